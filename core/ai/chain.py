"""The fallback chain: primary model -> escalation model -> offline rules, every call logged and priced.

A timeout, an HTTP error, malformed JSON, an answer that fails the schema, an empty or
unsafe answer: each moves to the next step, and each attempt is a :class:`CallRecord`
with provider, model, tokens, cost, latency and outcome. When no step is left the
caller hands the message to a person (:class:`ChainExhausted`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from core.ai.health import ModelHealth
from core.ai.ports import LanguageModel
from core.ai.schema import CallLog, CallRecord, FailureKind, ModelFailure, ModelRequest

log = logging.getLogger(__name__)

# USD per million tokens (input, output); AI_PRICES overrides. Unknown models are logged at cost 0.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.5-pro": (1.25, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-3.5-turbo": (0.50, 1.50),
}


@dataclass(frozen=True, slots=True)
class PriceTable:
    """What a call costs, by model name."""

    prices: Mapping[str, tuple[float, float]]

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        """Cost in USD of one call."""
        input_price, output_price = self.prices.get(model, (0.0, 0.0))
        return (prompt_tokens * input_price + completion_tokens * output_price) / 1_000_000


@dataclass(frozen=True, slots=True)
class Answer:
    """A validated answer and the step of the chain that gave it."""

    value: BaseModel | str
    model: LanguageModel
    step: int

    @property
    def model_name(self) -> str:
        """The model's name as agents see it."""
        return self.model.model


class ChainExhausted(Exception):
    """Every automatic step failed; the message goes to a person."""


Check = Callable[[BaseModel], None]


class ModelChain:
    """Tries each model in order until one gives a valid answer."""

    def __init__(
        self,
        models: Sequence[LanguageModel],
        prices: PriceTable,
        timeout: float,
        escalation_step: int | None = None,
        health: ModelHealth | None = None,
    ) -> None:
        """``models`` in the order tried; ``escalation_step`` is the index of the escalation model, if any."""
        self.models = list(models)
        self.escalation_step = escalation_step
        self.health = health or ModelHealth(alert_after=0)
        self._prices = prices
        self._timeout = timeout

    async def run(
        self, request: ModelRequest, calls: CallLog, *, start: int = 0, check: Check | None = None
    ) -> Answer:
        """The first valid answer from step ``start`` on; raises :class:`ChainExhausted` when none."""
        failures = []
        for step in range(start, len(self.models)):
            model = self.models[step]
            began = time.perf_counter()
            prompt_tokens = completion_tokens = 0
            try:
                async with asyncio.timeout(self._timeout):  # unlike 3.11's wait_for, never eats a stop
                    result = await model.generate(request)
                prompt_tokens, completion_tokens = result.prompt_tokens, result.completion_tokens
                value = _validate(request, result.text)
                if check is not None and isinstance(value, BaseModel):
                    check(value)
            except ModelFailure as failure:
                if failure.kind is not FailureKind.UNSUPPORTED:
                    self._log(calls, request, model, began, (prompt_tokens, completion_tokens), failure)
                failures.append(f"{model.model}: {failure.kind.value}")
                continue
            except TimeoutError:
                self._log(calls, request, model, began, (0, 0), ModelFailure(FailureKind.TIMEOUT))
                failures.append(f"{model.model}: {FailureKind.TIMEOUT.value}")
                continue
            self._log(calls, request, model, began, (prompt_tokens, completion_tokens), None)
            return Answer(value, model, step)
        raise ChainExhausted("; ".join(failures) or "no model configured")

    def _log(
        self,
        calls: CallLog,
        request: ModelRequest,
        model: LanguageModel,
        began: float,
        tokens: tuple[int, int],
        failure: ModelFailure | None,
    ) -> None:
        """Record one attempt (with why it failed) and count it for the model's health."""
        record = CallRecord(
            step=request.task.value,
            provider=model.provider,
            model=model.model,
            prompt_tokens=tokens[0],
            completion_tokens=tokens[1],
            cost_usd=self._prices.cost(model.model, *tokens),
            latency_ms=round((time.perf_counter() - began) * 1000, 2),
            outcome="ok" if failure is None else failure.kind.value,
            detail="" if failure is None else failure.detail[:500],
        )
        if failure is not None:
            log.warning(
                "%s %s failed (%s): %s", model.model, request.task.value, record.outcome, record.detail or "-"
            )
        calls.calls.append(record)
        self.health.observe(record)


def _validate(request: ModelRequest, text: str) -> BaseModel | str:
    """The answer as the request's schema (or stripped text); a bad answer raises :class:`ModelFailure`."""
    if not text or not text.strip():
        raise ModelFailure(FailureKind.EMPTY)
    if request.schema is None:
        return text.strip()
    raw = _strip_fences(text)
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise ModelFailure(FailureKind.MALFORMED, str(error)) from error
    try:
        return request.schema.model_validate(data)
    except ValidationError as error:
        raise ModelFailure(FailureKind.SCHEMA, str(error.errors()[0]["msg"])) from error


def _strip_fences(text: str) -> str:
    """Some models wrap JSON in a Markdown code fence even when asked not to."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    return stripped.strip()
