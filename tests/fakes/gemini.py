"""A fake Gemini API (the embeddings endpoint) that google-genai talks to over HTTP.

Point the SDK at it with ``HttpOptions(base_url=fake.url)``. google-genai sends every
``embed_content`` call to ``POST /{version}/models/{model}:batchEmbedContents`` with
``{"requests": [{"model", "content": {"parts": [{"text"}]}, "taskType", "outputDimensionality"}]}``
and reads ``{"embeddings": [{"values": [...]}]}``.

Vectors are made from ``topics``: each topic is a list of words, and a text's vector counts
how many words of each topic it contains (accents and case ignored). Tests give two texts
with no word in common the same topic to make them "close in meaning".
"""

from __future__ import annotations

import unicodedata
from typing import Any

from aiohttp import web

from .fake_server import Call, FakeServer, Fault, Handler


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FakeGemini(FakeServer):
    """Fake Gemini: ``embed`` (batchEmbedContents). Faults by that name; requests in ``embedded``."""

    def __init__(self, *, api_key: str | None = None, topics: list[list[str]] | None = None) -> None:
        super().__init__(token=None)
        self.api_key = api_key
        self.topics: list[list[str]] = topics or []
        self.embedded: list[dict[str, Any]] = []

    def vector(self, text: str) -> list[float]:
        """The vector served for ``text``: one count per topic, plus a small constant part."""
        folded = _fold(text)
        return [float(sum(folded.count(_fold(w)) for w in topic)) for topic in self.topics] + [0.01]

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        if request.method == "POST" and request.path.endswith(":batchEmbedContents"):
            return "embed", self._embed
        return "unknown", self._unknown

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        body = fault.body or {
            "error": {
                "code": fault.status,
                "message": fault.message or "injected fault",
                "status": "UNAVAILABLE" if fault.status >= 500 else "INVALID_ARGUMENT",
            }
        }
        return web.json_response(body, status=fault.status)

    async def _embed(self, request: web.Request, call: Call) -> web.StreamResponse:
        if self.api_key is not None and call.headers.get("x-goog-api-key") != self.api_key:
            return web.json_response(
                {"error": {"code": 403, "message": "bad key", "status": "PERMISSION_DENIED"}}, status=403
            )
        requests = call.params.get("requests") or []
        self.embedded.extend(requests)
        texts = [" ".join(p.get("text", "") for p in r.get("content", {}).get("parts", [])) for r in requests]
        return web.json_response({"embeddings": [{"values": self.vector(t)} for t in texts]})

    async def _unknown(self, request: web.Request, call: Call) -> web.StreamResponse:
        return web.json_response({"error": {"code": 404, "message": f"no route {request.path}"}}, status=404)
