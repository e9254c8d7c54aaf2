"""The OpenAI side of the LanguageModel port, through the openai SDK (the escalation model).

``OPENAI_BASE_URL`` points the real client elsewhere; a timeout is always set (the SDK's
default is ten minutes) and its retries are off, so a failure moves the fallback chain
on at once. Structured answers go through ``chat.completions.parse`` with the pydantic
schema, which raises on an answer that does not fit.
"""

from __future__ import annotations

import json

import openai
import pydantic
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion

from core.ai.schema import FailureKind, ModelFailure, ModelRequest, ModelResult

PROVIDER = "openai"


class OpenAIModel:
    """Implements :class:`core.ports.LanguageModel` on the OpenAI chat completions API (text only)."""

    provider = PROVIDER

    def __init__(self, api_key: str, model: str, base_url: str | None, timeout: float) -> None:
        self.model = model
        self._client = AsyncOpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)

    async def generate(self, request: ModelRequest) -> ModelResult:
        if request.audio is not None:
            raise ModelFailure(FailureKind.UNSUPPORTED, "audio goes to Gemini")
        messages = [
            {"role": "system", "content": request.instructions},
            {"role": "user", "content": request.content},
        ]
        response: ChatCompletion
        try:
            if request.schema is not None:
                response = await self._client.chat.completions.parse(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]
                    response_format=request.schema,
                    temperature=request.temperature,
                    max_completion_tokens=request.max_tokens,
                )
            else:
                response = await self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=request.temperature,
                    max_completion_tokens=request.max_tokens,
                )
        except openai.APITimeoutError as error:
            raise ModelFailure(FailureKind.TIMEOUT, "OpenAI did not answer in time") from error
        except openai.APIStatusError as error:
            raise ModelFailure(FailureKind.HTTP_ERROR, f"OpenAI HTTP {error.status_code}") from error
        except openai.APIConnectionError as error:
            raise ModelFailure(FailureKind.HTTP_ERROR, f"OpenAI unreachable: {error}") from error
        except pydantic.ValidationError as error:
            kind = FailureKind.MALFORMED if _json_error(error) else FailureKind.SCHEMA
            raise ModelFailure(kind, str(error.errors()[0]["msg"])) from error
        except (json.JSONDecodeError, openai.OpenAIError) as error:
            raise ModelFailure(FailureKind.MALFORMED, str(error)) from error
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content or "") if choice else ""
        usage = response.usage
        return ModelResult(
            text=text,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )

    async def close(self) -> None:
        """Release the SDK's HTTP connections."""
        await self._client.close()


def _json_error(error: pydantic.ValidationError) -> bool:
    """pydantic reports unparsable JSON as a ``json_invalid`` error."""
    return any(item.get("type") == "json_invalid" for item in error.errors())
