"""A fake OpenAI API (``chat/completions``) that the openai SDK talks to through ``base_url``.

Point the client at ``fake.url + "/v1"``. Method name for recording and faults:
``chat.completions``. Errors come back in OpenAI's shape (``{"error": {"message", "type"}}``).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from aiohttp import web

from .fake_server import Call, Fault, Handler
from .model_api import FakeModelAPI, task_of
from .model_rules import openai_refusal


class FakeOpenAIAPI(FakeModelAPI):
    """Fake of ``POST /v1/chat/completions`` (JSON-schema structured output included)."""

    def __init__(
        self, *, api_key: str | None = "openai-test-key", host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__(token=api_key, host=host, port=port)

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        if request.method == "POST" and request.path.rstrip("/").endswith("/chat/completions"):
            return "chat.completions", self._complete
        return "unknown", self._not_found

    async def _complete(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self.bearer_ok(call):
            return self._error(401, "Incorrect API key provided", "invalid_request_error")
        body = json.loads(call.raw or b"{}")
        messages = body.get("messages") or []
        instructions = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "system")
        content = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
        response_format = body.get("response_format") or {}
        schema = (response_format.get("json_schema") or {}).get("schema") or _schema_in(instructions)
        prompt_tokens = self.tokens(instructions + content)
        refusal = openai_refusal(body, prompt_tokens)
        if refusal is not None:
            status, message, code = refusal
            return self._error(status, message, "invalid_request_error", code)
        text = self.answer(task_of(schema, has_audio=False), instructions, content)
        completion = self.tokens(text)
        payload: dict[str, Any] = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "gpt-4o-mini"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion,
                "total_tokens": prompt_tokens + completion,
            },
        }
        return web.json_response(payload)

    def _error(
        self, status: int, message: str, kind: str = "server_error", code: str | None = None
    ) -> web.Response:
        return web.json_response({"error": {"message": message, "type": kind, "code": code}}, status=status)

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        kind = "rate_limit_exceeded" if fault.status == 429 else "server_error"
        return self._error(fault.status, fault.message or "injected fault", kind)

    async def _not_found(self, request: web.Request, call: Call) -> web.StreamResponse:
        return self._error(404, f"no such path {request.path}", "invalid_request_error")


def _schema_in(instructions: str) -> dict[str, Any] | None:
    """The JSON schema written into the instructions (JSON mode, for models before structured outputs)."""
    decoder = json.JSONDecoder()
    start = instructions.rfind("{")
    while start >= 0:
        try:
            schema, _ = decoder.raw_decode(instructions[start:])
        except ValueError:
            schema = None
        if isinstance(schema, dict) and "properties" in schema:
            return schema
        start = instructions.rfind("{", 0, start)
    return None
