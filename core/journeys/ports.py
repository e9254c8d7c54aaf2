"""What the journeys need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.journeys.model import Announcement, CustomerFacts


class JourneyRecords(Protocol):
    """What the proactive journeys read, and the ledger that sends each journey message once."""

    async def journey_customers(self) -> list[CustomerFacts]:
        """Customers with something the proactive journeys read (signup, renewal, activity)."""
        ...

    async def claim_journey(self, customer_id: int, trigger: str, occasion: str, at: datetime) -> bool:
        """Record in the journeys' ledger that this message goes out; False when it already went."""
        ...

    async def add_announcement(self, text: str, actor: str, at: datetime) -> int:
        """Store a feature announcement; its id."""
        ...

    async def announcements_since(self, since: datetime) -> list[Announcement]:
        """Feature announcements made since ``since``, oldest first."""
        ...
