"""The port every use case writes through: idempotency keys, outbox effects, audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.common.effects import Effect


class Journal(Protocol):
    """What every use case records: idempotency keys, the effects to run after commit, the audit trail."""

    async def claim_key(self, key: str, at: datetime) -> bool:
        """Record an idempotency key; False when it was already recorded (a re-delivery)."""
        ...

    async def add_effect(self, effect: Effect, at: datetime) -> None:
        """Queue an effect in the outbox, committed with this transaction."""
        ...

    async def add_effects(self, effects: list[Effect], at: datetime) -> None:
        """Queue several effects at once (in this order), committed with this transaction."""
        ...

    async def withdraw_effects(self, effects: list[Effect], at: datetime) -> None:
        """Close queued effects this transaction made unnecessary, so they never run.

        For example the AI jobs of a burst's later lines, answered with its first. An effect
        that is not waiting (it ran, or was never queued) is left as it is.
        """
        ...

    async def record_event(
        self, ticket_id: int | None, actor: str, action: str, at: datetime, detail: str = ""
    ) -> None:
        """Append to the audit trail: who did what, when."""
        ...
