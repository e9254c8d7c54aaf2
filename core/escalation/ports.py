"""What escalation needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.escalation.model import Classification, CustomerHistory, Escalation


class Escalations(Protocol):
    """Escalations, and the context an escalation notice shows."""

    async def record_escalation(
        self, ticket_id: int, from_tier: int, tier: int, reason: str, actor: str, at: datetime
    ) -> int:
        """Store an escalation; returns its id."""
        ...

    async def get_escalation(self, escalation_id: int) -> Escalation | None:
        """An escalation by id."""
        ...

    async def last_escalation(self, ticket_id: int) -> Escalation | None:
        """The ticket's latest escalation, if any."""
        ...

    async def customer_history(self, customer_id: int, before_ticket: int) -> CustomerHistory:
        """When the customer was first seen and how many tickets they had before this one."""
        ...

    async def latest_classification(self, ticket_id: int) -> Classification | None:
        """The AI core's latest classification of the ticket, when it has one."""
