"""What the customers capability needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.model import Channel, Customer, CustomerRecord


class Customers(Protocol):
    """Customer records and the addresses (phone, chat id) that lead to them."""

    async def find_customer(self, channel: Channel, addresses: list[str]) -> Customer | None:
        """The customer reachable at any of these addresses on this channel (linked addresses first)."""
        ...

    async def link_address(self, customer_id: int, channel: Channel, address: str, at: datetime) -> None:
        """Make an address on a channel lead to this customer (from now on, and over any other)."""
        ...

    async def merge_customer(self, source_id: int, into_id: int, at: datetime) -> None:
        """Fold one customer record into another: its tickets and addresses now belong to ``into_id``."""
        ...

    async def create_customer(
        self, channel: Channel, address: str, name: str | None, at: datetime
    ) -> Customer:
        """Register a customer seen for the first time."""
        ...

    async def rename_customer(self, customer_id: int, name: str) -> None:
        """Keep the name the customer currently shows on their channel."""
        ...

    async def save_profile(self, customer_id: int, record: CustomerRecord) -> None:
        """Store what the platform knows about the customer (plan, signup, usage...); None fields stay."""
        ...

    async def set_opted_out(self, customer_id: int, at: datetime | None) -> None:
        """Mark the customer as refusing proactive and broadcast messages since ``at`` (None: accepting)."""
        ...

    async def get_customer(self, customer_id: int) -> Customer:
        """A customer by id."""
        ...
