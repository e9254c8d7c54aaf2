"""What LGPD requests need from storage: find, export, erase and expire a customer's data."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class PersonalDataStore(Protocol):
    """Everything stored about a customer, for LGPD access and erasure requests and retention."""

    async def find_customer(self, phone: str) -> int | None:
        """The customer reachable at this phone (any form of it), if any."""
        ...

    async def export(self, customer_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every stored row about the customer, by table."""
        ...

    async def erase(self, customer_id: int) -> dict[str, int]:
        """Erase the customer's personal data, keeping anonymous counts; rows touched by table."""
        ...

    async def expire_bodies(self, before: datetime) -> int:
        """Blank message bodies older than ``before``; how many were blanked."""
        ...
