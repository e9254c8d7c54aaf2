"""The Embedder port on Gemini (google-genai): article and query vectors for hybrid search.

The client is pointed at ``GEMINI_API_URL`` through ``HttpOptions(base_url=...)``, which is
how tests and the sandbox serve it from a fake. google-genai does not retry timeouts and
ignores Retry-After, so a failure is reported at once and search falls back to words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import httpx
from google import genai
from google.genai import errors, types

from core.common.errors import PermanentError, TransientError

DEFAULT_DIMENSIONS = 768


class GeminiEmbedder:
    """Implements :class:`core.kb.ports.Embedder`."""

    def __init__(
        self,
        api_key: str,
        model: str,
        *,
        base_url: str | None = None,
        timeout_seconds: float = 10.0,
        dimensions: int = DEFAULT_DIMENSIONS,
    ) -> None:
        self.model = model
        self._dimensions = dimensions
        # keep the client referenced: it closes its connections when collected
        self._client = genai.Client(
            api_key=api_key,
            http_options=types.HttpOptions(base_url=base_url, timeout=int(timeout_seconds * 1000)),
        )

    async def embed(self, texts: Sequence[str], *, query: bool) -> list[list[float]]:
        """One vector per text; raises TransientError (retry later) or PermanentError."""
        config = types.EmbedContentConfig(
            task_type="RETRIEVAL_QUERY" if query else "RETRIEVAL_DOCUMENT",
            output_dimensionality=self._dimensions,
        )
        # typed as the SDK's union: its members change when Pillow is installed (matplotlib brings it)
        contents = cast(types.ContentListUnion, list(texts))
        try:
            response = await self._client.aio.models.embed_content(
                model=self.model, contents=contents, config=config
            )
        except errors.ServerError as error:
            raise TransientError(f"Gemini embeddings: {error.code} {error.message}") from error
        except errors.ClientError as error:
            if error.code == 429:
                raise TransientError(f"Gemini embeddings: 429 {error.message}") from error
            raise PermanentError(f"Gemini embeddings: {error.code} {error.message}") from error
        except (httpx.HTTPError, ValueError) as error:  # timeouts, broken connections, bodies not JSON
            raise TransientError(f"Gemini embeddings: {type(error).__name__}: {error}") from error
        vectors = [list(e.values or []) for e in response.embeddings or []]
        if len(vectors) != len(texts) or any(not v for v in vectors):
            raise TransientError(f"Gemini embeddings: {len(vectors)} vectors for {len(texts)} texts")
        return vectors
