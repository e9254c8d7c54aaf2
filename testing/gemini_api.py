"""A fake Gemini API (``generateContent``) that google-genai talks to through ``HttpOptions(base_url=...)``.

Method names for recording and faults: ``generateContent`` and ``embed`` (every
``embed_content`` call goes to ``:batchEmbedContents``). Errors come back in Google's
shape (``{"error": {"code", "message", "status"}}``), which the SDK turns into APIError.

Embeddings are made from ``topics``: each topic is a list of words, and a text's vector
counts how many words of each topic it contains (accents and case ignored), plus a small
constant part. Tests give two texts with no word in common one topic to make them "close
in meaning".
"""

from __future__ import annotations

import base64
import json
import unicodedata
from typing import Any

from aiohttp import web

from .fake_server import Call, Fault, Handler
from .model_api import FakeModelAPI, task_of
from .model_rules import gemini_refusal

_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED"}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


class FakeGeminiAPI(FakeModelAPI):
    """Fake of ``POST /v1beta/models/{model}:generateContent``."""

    def __init__(
        self, *, api_key: str | None = "gemini-test-key", host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__(token=None, host=host, port=port)
        self.api_key = api_key
        self.audio: list[tuple[str, bytes]] = []
        """(mime type, bytes) of every audio part received."""
        self.topics: list[list[str]] = []
        self.embedded: list[dict[str, Any]] = []
        """Every embedding request received (``content``, ``taskType``, ``outputDimensionality``)."""

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        if request.method == "POST" and request.path.endswith(":generateContent"):
            return "generateContent", self._generate
        if request.method == "POST" and request.path.endswith(":batchEmbedContents"):
            return "embed", self._embed
        return "unknown", self._not_found

    async def _generate(self, request: web.Request, call: Call) -> web.StreamResponse:
        if self.api_key is not None and call.headers.get("x-goog-api-key") != self.api_key:
            return self._error(401, "API key not valid")
        body = json.loads(call.raw or b"{}")
        instructions = " ".join(
            p.get("text", "") for p in (body.get("systemInstruction") or {}).get("parts", [])
        )
        texts, audio_types = [], []
        for content in body.get("contents", []):
            for part in content.get("parts", []):
                if "text" in part:
                    texts.append(part["text"])
                inline = part.get("inlineData") or part.get("inline_data")
                if inline:
                    audio_types.append(inline.get("mimeType") or inline.get("mime_type", ""))
                    self.audio.append((audio_types[-1], base64.b64decode(inline.get("data", ""))))
        config = body.get("generationConfig") or {}
        model = request.path.rsplit("/", 1)[-1].split(":", 1)[0]
        prompt_tokens = self.tokens(instructions + "".join(texts)) + 200 * len(audio_types)
        refusal = gemini_refusal(model, config, prompt_tokens, audio_types)
        if refusal is not None:
            return self._error(*refusal)
        schema = (
            config.get("responseSchema") or config.get("response_schema") or config.get("responseJsonSchema")
        )
        task = task_of(schema, bool(audio_types))
        text = self.answer(task, instructions, "\n".join(texts))
        completion = self.tokens(text)
        payload: dict[str, Any] = {
            "candidates": [
                {"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}
            ],
            "usageMetadata": {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": completion,
                "totalTokenCount": prompt_tokens + completion,
            },
            "modelVersion": model,
        }
        return web.json_response(payload)

    def vector(self, text: str) -> list[float]:
        """The embedding served for ``text`` (see the module docstring)."""
        folded = _fold(text)
        counts = [float(sum(folded.count(_fold(w)) for w in topic)) for topic in self.topics]
        return [*counts, 0.01]

    async def _embed(self, request: web.Request, call: Call) -> web.StreamResponse:
        if self.api_key is not None and call.headers.get("x-goog-api-key") != self.api_key:
            return self._error(401, "API key not valid")
        requests = call.params.get("requests") or []
        self.embedded.extend(requests)
        texts = [" ".join(p.get("text", "") for p in r.get("content", {}).get("parts", [])) for r in requests]
        return web.json_response({"embeddings": [{"values": self.vector(t)} for t in texts]})

    def _error(self, status: int, message: str) -> web.Response:
        return web.json_response(
            {"error": {"code": status, "message": message, "status": _STATUS.get(status, "INTERNAL")}},
            status=status,
        )

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        return self._error(fault.status, fault.message or "injected fault")

    async def _not_found(self, request: web.Request, call: Call) -> web.StreamResponse:
        return self._error(404, f"no such method {request.path}")
