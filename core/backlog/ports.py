"""What the feature backlog needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.backlog.model import Idea, IdeaRequest, IdeaTally
from core.customers.model import Customer


class Ideas(Protocol):
    """Feature ideas and who asked for them, so each customer is told when theirs ships."""

    async def idea_by_key(self, key: str) -> Idea | None:
        """The live idea with this normalised wording (following merges to the survivor)."""
        ...

    async def get_idea(self, idea_id: int) -> Idea | None:
        """An idea by id, merged or not."""
        ...

    async def create_idea(self, key: str, summary: str, customer_id: int, at: datetime) -> Idea:
        """Start a new idea in the backlog, worded by ``customer_id``'s request (erased with their data)."""
        ...

    async def add_idea_request(
        self, idea_id: int, customer: Customer, ticket_id: int | None, summary: str, source: str, at: datetime
    ) -> bool:
        """Count a customer's request for an idea; False when this customer already asked for it."""
        ...

    async def idea_request_of_ticket(self, ticket_id: int) -> IdeaRequest | None:
        """The latest request recorded from a ticket (in this customer's or their agent's words), if any."""
        ...

    async def merge_ideas(self, keep: int, absorbed: int) -> None:
        """Fold ``absorbed`` into ``keep``: its requests (once per customer) and its wording."""
        ...

    async def tally_ideas(self, plan: str | None = None) -> list[IdeaTally]:
        """Live ideas with their customer counts, most asked first (only ``plan``'s requests if given)."""
        ...

    async def idea_requests(self, idea_id: int) -> list[IdeaRequest]:
        """Everyone who asked for an idea, in order."""
        ...

    async def set_idea_delivered(self, idea_id: int, actor: str, at: datetime) -> None:
        """Mark an idea delivered (the first time only)."""
        ...

    async def set_idea_request_notified(self, request_id: int, at: datetime) -> None:
        """Remember that the customer behind a request was told of the delivery."""
        ...
