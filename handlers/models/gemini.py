"""The Gemini side of the LanguageModel port, through google-genai.

``GEMINI_API_URL`` becomes ``HttpOptions.base_url`` (a fake in tests, a proxy in
production). The SDK's own retries are off: a failed call moves the fallback chain to
its next model at once, which is what the customer waiting needs. Structured answers
are requested with the pydantic schema and validated again by the core, since the SDK
leaves ``response.parsed`` silently empty when the JSON does not fit.

Thinking is set per model: 2.5 Flash and Flash-Lite can stop thinking (budget 0: triage
and short drafts need no reasoning tokens, and they cost output price), 2.5 Pro cannot
(Gemini refuses a budget of 0 for it, so it gets its smallest budget). A model this table
does not know is left to its own default rather than sent a setting it may refuse.
"""

from __future__ import annotations

from typing import cast

import aiohttp
import httpx
from google import genai
from google.genai import errors, types

from core.ai.schema import FailureKind, ModelFailure, ModelRequest, ModelResult

PROVIDER = "gemini"

THINKING_BUDGETS: dict[str, int] = {
    "gemini-2.5-flash": 0,
    "gemini-2.5-flash-lite": 0,
    "gemini-2.5-pro": 128,  # the least it accepts: Pro only works in thinking mode
}
"""The thinking budget each known model is asked for (GEMINI_THINKING_BUDGET overrides)."""

# Audio formats Gemini takes, by the MIME types WhatsApp and Telegram send them as.
AUDIO_TYPES: dict[str, str] = {
    "audio/ogg": "audio/ogg",
    "audio/opus": "audio/ogg",
    "audio/mpeg": "audio/mp3",
    "audio/mp3": "audio/mp3",
    "audio/aac": "audio/aac",
    "audio/x-aac": "audio/aac",
    "audio/wav": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/flac": "audio/flac",
    "audio/aiff": "audio/aiff",
}


class GeminiModel:
    """Implements :class:`core.ai.ports.LanguageModel` on the Gemini API (text and audio input)."""

    provider = PROVIDER

    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None,
        timeout: float,
        thinking_budget: int | None = None,
    ) -> None:
        self.model = model
        self._thinking = thinking_budget if thinking_budget is not None else THINKING_BUDGETS.get(model)
        options = types.HttpOptions(
            base_url=base_url or None,
            timeout=int(timeout * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        self._client = genai.Client(api_key=api_key, http_options=options)  # kept: it closes when collected

    async def generate(self, request: ModelRequest) -> ModelResult:
        thinking = self._thinking
        config = types.GenerateContentConfig(
            system_instruction=request.instructions,
            temperature=request.temperature,
            # thinking tokens count against the output limit: the answer keeps its own room
            max_output_tokens=request.max_tokens + max(thinking or 0, 0),
            response_mime_type="application/json" if request.schema else None,
            response_schema=request.schema,
            thinking_config=None if thinking is None else types.ThinkingConfig(thinking_budget=thinking),
        )
        contents: list[types.Part | str] = []
        if request.audio is not None:
            contents.append(
                types.Part.from_bytes(data=request.audio.data, mime_type=_audio_mime(request.audio.mime_type))
            )
        if request.content:
            contents.append(request.content)
        try:
            response = await self._client.aio.models.generate_content(
                # the SDK's union changes when Pillow is installed (matplotlib brings it)
                model=self.model,
                contents=cast(types.ContentListUnion, contents),
                config=config,
            )
        except errors.APIError as error:
            raise ModelFailure(
                FailureKind.HTTP_ERROR, f"Gemini HTTP {error.code}: {error.message}"
            ) from error
        except (TimeoutError, httpx.TimeoutException, aiohttp.ServerTimeoutError) as error:
            raise ModelFailure(FailureKind.TIMEOUT, "Gemini did not answer in time") from error
        except (httpx.HTTPError, aiohttp.ClientError, ValueError) as error:
            raise ModelFailure(FailureKind.HTTP_ERROR, f"Gemini unreachable: {error!r}") from error
        usage = response.usage_metadata
        prompt = (usage.prompt_token_count or 0) if usage else 0
        completion = ((usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)) if usage else 0
        try:
            text = response.text or ""
        except ValueError:  # a candidate with no text part (blocked, empty)
            text = ""
        return ModelResult(text=text, prompt_tokens=prompt, completion_tokens=completion)

    async def close(self) -> None:
        """Release the SDK's HTTP connections."""
        await self._client.aio.aclose()


def _audio_mime(mime: str) -> str:
    """The type Gemini knows for this audio (WhatsApp voice notes say ``audio/ogg; codecs=opus``).

    A format Gemini does not take (AMR, MP4 audio) is not sent at all: the chain moves on and,
    when nobody can hear it, a person listens.
    """
    bare = mime.split(";", 1)[0].strip().lower() or "audio/ogg"
    if bare not in AUDIO_TYPES:
        raise ModelFailure(FailureKind.UNSUPPORTED, f"Gemini does not take {bare} audio")
    return AUDIO_TYPES[bare]
