"""The OpenAI side of the LanguageModel port, through the openai SDK (the escalation model).

``OPENAI_BASE_URL`` points the real client elsewhere; a timeout is always set (the SDK's
default is ten minutes) and its retries are off, so a failure moves the fallback chain
on at once. Structured answers go through ``chat.completions.parse`` with the pydantic
schema: the SDK builds the strict schema OpenAI accepts (every property required,
``additionalProperties: false``) and raises on an answer that does not fit, so nothing here
writes a schema by hand. Models older than structured outputs (GPT-3.5, GPT-4 Turbo) refuse
a ``json_schema`` response format: they get JSON mode with the schema in the instructions,
and the core validates the answer as for every model.
"""

from __future__ import annotations

import json

import openai
import pydantic
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion
from openai.types.shared_params import ResponseFormatJSONObject

from core.ai.schema import FailureKind, ModelFailure, ModelRequest, ModelResult

PROVIDER = "openai"

_BEFORE_STRUCTURED_OUTPUTS = ("gpt-3.5", "gpt-4-")
"""Prefixes of model names (with ``gpt-4`` itself) that have no ``json_schema`` response format."""


def has_structured_outputs(model: str) -> bool:
    """Whether the model accepts ``response_format={"type": "json_schema", "strict": true}``."""
    return model != "gpt-4" and not model.startswith(_BEFORE_STRUCTURED_OUTPUTS)


class OpenAIModel:
    """Implements :class:`core.ai.ports.LanguageModel` on the OpenAI chat completions API (text only)."""

    provider = PROVIDER

    def __init__(self, api_key: str, model: str, base_url: str | None, timeout: float) -> None:
        self.model = model
        self._client = AsyncOpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)

    async def generate(self, request: ModelRequest) -> ModelResult:
        if request.audio is not None:
            raise ModelFailure(FailureKind.UNSUPPORTED, "audio goes to Gemini")
        instructions = request.instructions
        json_mode = request.schema is not None and not has_structured_outputs(self.model)
        if json_mode and request.schema is not None:
            schema = json.dumps(request.schema.model_json_schema(), ensure_ascii=False)
            instructions += f"\n\nResponda somente com um objeto JSON que siga este esquema: {schema}"
        messages = [
            {"role": "system", "content": instructions},
            {"role": "user", "content": request.content},
        ]
        response: ChatCompletion
        try:
            if json_mode:
                response = await self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]
                    response_format=ResponseFormatJSONObject(type="json_object"),
                    temperature=request.temperature,
                    max_completion_tokens=request.max_tokens,
                )
            elif request.schema is not None:
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
            raise ModelFailure(
                FailureKind.HTTP_ERROR, f"OpenAI HTTP {error.status_code}: {_message(error)}"
            ) from error
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


def _message(error: openai.APIStatusError) -> str:
    """OpenAI's own words for a refused request (what to fix), without the request itself."""
    body = error.body if isinstance(error.body, dict) else {}
    return str(body.get("message") or error.message)[:300]


def _json_error(error: pydantic.ValidationError) -> bool:
    """pydantic reports unparsable JSON as a ``json_invalid`` error."""
    return any(item.get("type") == "json_invalid" for item in error.errors())
