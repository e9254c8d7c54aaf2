"""What the real Gemini and OpenAI APIs refuse, so the fakes refuse it too.

A fake that accepts any request hid two bugs that would have turned every real call into a
silent fallback (a ``default`` in a strict OpenAI schema; ``thinking_budget=0`` sent to a
Gemini model that cannot stop thinking). Each check returns the error message the real API
gives (close to its wording), or None when the request is acceptable. Sources: OpenAI's
structured-outputs guide ("Supported schemas") and model pages; Gemini's API reference
(``Schema``, ``ThinkingConfig``) and its audio guide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class GeminiSpec:
    """One Gemini model's limits."""

    thinking: tuple[int, int]
    """Allowed thinking budgets, inclusive (-1, dynamic, is always allowed)."""
    can_stop_thinking: bool
    max_output_tokens: int = 65_536
    input_tokens: int = 1_048_576


GEMINI_MODELS: dict[str, GeminiSpec] = {
    "gemini-2.5-flash": GeminiSpec((1, 24_576), can_stop_thinking=True),
    "gemini-2.5-flash-lite": GeminiSpec((512, 24_576), can_stop_thinking=True),
    "gemini-2.5-pro": GeminiSpec((128, 32_768), can_stop_thinking=False),
}

GEMINI_AUDIO = {"audio/wav", "audio/mp3", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac"}

# The fields of Gemini's ``Schema`` (an OpenAPI subset); JSON parsers accept both spellings.
_GEMINI_SCHEMA_FIELDS = {
    "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties",
    "required", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example",
    "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum", "additionalProperties",
    "defs", "ref", "$defs", "$ref",
}  # fmt: skip


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def gemini_refusal(
    model: str, config: dict[str, Any], prompt_tokens: int, audio_types: list[str]
) -> tuple[int, str] | None:
    """(status, message) of the error Gemini would answer to this ``generateContent``, or None."""
    spec = GEMINI_MODELS.get(model)
    if spec is None:
        return (
            404,
            f"models/{model} is not found for API version v1beta, or is not supported for generateContent.",
        )
    problem = _gemini_problem(spec, config, prompt_tokens, audio_types)
    return None if problem is None else (400, problem)


def _gemini_problem(
    spec: GeminiSpec, config: dict[str, Any], prompt_tokens: int, audio_types: list[str]
) -> str | None:
    for mime in audio_types:
        if mime not in GEMINI_AUDIO:
            return f"Unsupported MIME type: {mime}"
    thinking = config.get("thinkingConfig", config.get("thinking_config")) or {}
    refused = _thinking_refusal(spec, {_camel(k): v for k, v in thinking.items()})
    if refused:
        return refused
    if prompt_tokens > spec.input_tokens:
        return (
            f"The input token count ({prompt_tokens}) exceeds the maximum number of tokens allowed "
            f"({spec.input_tokens})."
        )
    limit = config.get("maxOutputTokens", config.get("max_output_tokens"))
    if limit is not None and not 1 <= int(limit) <= spec.max_output_tokens:
        return (
            f"Unable to submit request because it has a maxOutputTokens value of {limit} but the supported "
            f"range is from 1 (inclusive) to {spec.max_output_tokens + 1} (exclusive)."
        )
    if "responseSchema" in config and "responseJsonSchema" in config:
        return "responseSchema and responseJsonSchema cannot both be set."
    schema = config.get("responseSchema", config.get("response_schema"))
    if schema is not None:
        unknown = _unknown_schema_field(schema, "generation_config.response_schema")
        if unknown:
            return unknown
    return None


def _unknown_schema_field(schema: Any, where: str) -> str | None:
    if not isinstance(schema, dict):
        return None
    for key, value in schema.items():
        if _camel(key) not in _GEMINI_SCHEMA_FIELDS:
            return f"Invalid JSON payload received. Unknown name \"{key}\" at '{where}': Cannot find field."
        children: list[Any] = []
        if _camel(key) == "properties" and isinstance(value, dict):
            children = list(value.values())
        elif _camel(key) == "items":
            children = [value]
        elif _camel(key) == "anyOf" and isinstance(value, list):
            children = value
        for child in children:
            found = _unknown_schema_field(child, f"{where}.{key}")
            if found:
                return found
    return None


def _thinking_refusal(spec: GeminiSpec, thinking: dict[str, Any]) -> str | None:
    if "thinkingLevel" in thinking:
        return "Thinking level is not supported for this model."
    budget = thinking.get("thinkingBudget")
    if budget is None or budget == -1:
        return None
    if budget == 0:
        return (
            None if spec.can_stop_thinking else "Budget 0 is invalid. This model only works in thinking mode."
        )
    low, high = spec.thinking
    if not low <= int(budget) <= high:
        return f"The thinking budget {budget} is invalid. Please choose a value between {low} and {high}."
    return None


@dataclass(frozen=True, slots=True)
class OpenAISpec:
    """One OpenAI chat model's limits."""

    max_completion_tokens: int
    context_tokens: int
    structured_outputs: bool = True


OPENAI_MODELS: dict[str, OpenAISpec] = {
    "gpt-4o-mini": OpenAISpec(16_384, 128_000),
    "gpt-4o": OpenAISpec(16_384, 128_000),
    "gpt-4.1-mini": OpenAISpec(32_768, 1_047_576),
    "gpt-3.5-turbo": OpenAISpec(4_096, 16_385, structured_outputs=False),
}

# JSON Schema keywords strict structured outputs refuse ("Supported schemas" in OpenAI's guide).
_STRICT_REFUSED = {
    "default", "allOf", "not", "oneOf", "if", "then", "else", "dependentRequired", "dependentSchemas",
    "patternProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames", "minProperties",
    "maxProperties", "uniqueItems", "contains", "minContains", "maxContains",
}  # fmt: skip


def openai_refusal(body: dict[str, Any], prompt_tokens: int) -> tuple[int, str, str | None] | None:
    """(status, message, code) of the error OpenAI would answer to this ``chat/completions``, or None."""
    model = str(body.get("model", ""))
    spec = OPENAI_MODELS.get(model)
    if spec is None:
        return 404, f"The model `{model}` does not exist or you do not have access to it.", "model_not_found"
    if prompt_tokens > spec.context_tokens:
        return (
            400,
            f"This model's maximum context length is {spec.context_tokens} tokens. However, your messages "
            f"resulted in {prompt_tokens} tokens.",
            "context_length_exceeded",
        )
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and int(limit) > spec.max_completion_tokens:
        return (
            400,
            f"max_tokens is too large: {limit}. This model supports at most {spec.max_completion_tokens} "
            f"completion tokens, whereas you provided {limit}.",
            None,
        )
    response_format = body.get("response_format") or {}
    if (
        response_format.get("type") == "json_object"
        and "json" not in json.dumps(body.get("messages")).lower()
    ):
        return (
            400,
            "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
            "'json_object'.",
            None,
        )
    if response_format.get("type") != "json_schema":
        return None
    if not spec.structured_outputs:
        return (
            400,
            "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
            None,
        )
    wrapper = response_format.get("json_schema") or {}
    if wrapper.get("strict"):
        problem = _strict_problem(wrapper.get("schema") or {}, ())
        if problem:
            return 400, f"Invalid schema for response_format '{wrapper.get('name', '')}': {problem}", None
    return None


def _strict_problem(schema: Any, context: tuple[str, ...]) -> str | None:
    """The first rule of strict mode the schema breaks, in OpenAI's words."""
    if not isinstance(schema, dict):
        return None
    where = f"In context={context}, "
    for key in schema:
        if key in _STRICT_REFUSED:
            return f"{where}'{key}' is not permitted."
    if schema.get("type") == "object" or "properties" in schema:
        if schema.get("additionalProperties", True) is not False:
            return f"{where}'additionalProperties' is required to be supplied and to be false."
        properties = schema.get("properties") or {}
        missing = [name for name in properties if name not in (schema.get("required") or [])]
        if missing:
            return f"{where}'required' is required to be supplied and to be an array including every key in properties. Missing '{missing[0]}'."
    children = [
        ((*context, "properties", name), child) for name, child in (schema.get("properties") or {}).items()
    ]
    children += [((*context, "items"), schema["items"])] if "items" in schema else []
    children += [((*context, "anyOf", str(i)), child) for i, child in enumerate(schema.get("anyOf") or [])]
    children += [((*context, "$defs", name), child) for name, child in (schema.get("$defs") or {}).items()]
    for where_child, child in children:
        found = _strict_problem(child, where_child)
        if found:
            return found
    return None
