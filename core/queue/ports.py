"""What the agents' queue needs: its read model, and a screen to draw each agent's home on."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.model import Customer
from core.queue.model import HomeView, QueueItem, TierRows


class HomeViewers(Protocol):
    """Who has opened the App Home, so their home is redrawn when the queue moves."""

    async def add_home_viewer(self, user: str, at: datetime) -> None:
        """Remember that this agent opened the App Home, so it is redrawn on change."""
        ...


class QueueReader(Protocol):
    """Read-only views of the open tickets for the queue, commands and the App Home."""

    async def open_tickets(self, limit: int, assignee: str | None = None) -> list[QueueItem]:
        """Open tickets (of one assignee, or all), breached first, then by nearest due time."""
        ...

    async def open_count(self) -> int:
        """How many tickets are open."""
        ...

    async def queue_item(self, ticket_id: int) -> QueueItem | None:
        """One ticket, open or not, as the queue shows it."""
        ...

    async def customer_by_address(self, addresses: list[str]) -> tuple[Customer, datetime] | None:
        """The customer at one of these addresses (any channel) and when they were first seen."""
        ...

    async def tickets_of_customer(self, customer_id: int, limit: int) -> list[QueueItem]:
        """The customer's latest tickets, newest first."""
        ...

    async def tier_rows(self, since: datetime) -> TierRows:
        """What the tier targets are computed from, for tickets opened since ``since``."""
        ...

    async def home_viewers(self) -> list[str]:
        """Agents who opened the App Home."""
        ...


class HomeScreen(Protocol):
    """An agent's own page on the desk (Slack's App Home)."""

    async def publish(self, agent: str, home: HomeView) -> None:
        """Draw the agent's home: their tickets, the queue and the tier targets."""
