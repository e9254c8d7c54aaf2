"""What the SLA clock needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.sla.model import DueTimer, Timer


class SlaTimers(Protocol):
    """The stored SLA clocks of tickets, and the crisis pause over them."""

    async def timers_of(self, ticket_id: int) -> list[Timer]:
        """Every SLA clock of a ticket, whatever its state."""
        ...

    async def save_timers(self, timers: list[Timer]) -> None:
        """Store clocks (insert or replace)."""
        ...

    async def due_timers(self, now: datetime, limit: int) -> list[DueTimer]:
        """Running clocks whose warning or due time has come, oldest first."""
        ...

    async def record_breaches(self, breaches: list[DueTimer], at: datetime) -> None:
        """Keep missed targets for reports (with the ticket's tier and assignee at the time)."""
        ...

    async def sla_suspended(self) -> bool:
        """Whether an open crisis suspends the SLAs (no warnings or breaches are given)."""
        ...

    async def resume_sla_after(self, since: datetime, now: datetime) -> None:
        """A suspension from ``since`` ends: running clocks are pushed back by the time it lasted
        (for each, at most the time it has been running)."""
        ...
