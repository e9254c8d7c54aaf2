"""What tickets and their messages need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.model import Channel
from core.tickets.model import (
    Attachment,
    DeliveryState,
    Direction,
    FailureReason,
    Message,
    MessageKind,
    Ticket,
)


class Tickets(Protocol):
    """Tickets: opened, found by customer or thread, moved between customers, saved."""

    async def open_ticket_of(self, customer_id: int) -> Ticket | None:
        """The customer's ticket that is not resolved yet, if any."""
        ...

    async def latest_ticket_of(self, customer_id: int) -> Ticket | None:
        """The customer's most recent ticket, open or not."""
        ...

    async def create_ticket(
        self,
        customer_id: int,
        channel: Channel,
        at: datetime,
        previous_ticket_id: int | None,
        address: str | None = None,
    ) -> Ticket:
        """Open a new ticket; replies go to ``address`` on ``channel`` (None: the customer's own)."""
        ...

    async def move_ticket(self, ticket_id: int, channel: Channel, address: str) -> None:
        """The conversation continues on another channel: replies go there from now on."""
        ...

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """A ticket by id."""
        ...

    async def ticket_by_thread(self, thread_ref: str) -> Ticket | None:
        """The ticket shown in this desk thread."""
        ...

    async def set_thread_ref(self, ticket_id: int, thread_ref: str) -> None:
        """Remember the desk thread a ticket was posted as (touching nothing else of the ticket)."""
        ...

    async def save_ticket(self, ticket: Ticket) -> None:
        """Persist a ticket's changed fields."""
        ...


class Messages(Protocol):
    """A ticket's messages: added, found by platform id, and their delivery state."""

    async def add_message(
        self,
        ticket_id: int,
        direction: Direction,
        kind: MessageKind,
        at: datetime,
        *,
        text: str | None = None,
        attachment: Attachment | None = None,
        external_id: str | None = None,
        desk_ref: str | None = None,
        author: str | None = None,
        delivery: DeliveryState | None = None,
    ) -> Message:
        """Store a message of a ticket."""
        ...

    async def get_message(self, message_id: int) -> Message | None:
        """A message by id."""
        ...

    async def message_by_external_id(self, external_id: str) -> Message | None:
        """The message a platform knows by this id."""
        ...

    async def last_inbound_message(self, ticket_id: int) -> Message | None:
        """The customer's latest message in a ticket."""
        ...

    async def messages_after(self, ticket_id: int, message_id: int, limit: int = -1) -> list[Message]:
        """The ticket's messages newer than ``message_id``, oldest first (what happened since);
        the first ``limit`` of them (-1: all)."""
        ...

    async def set_message_refs(
        self, message_id: int, *, external_id: str | None = None, desk_ref: str | None = None
    ) -> None:
        """Remember where a message now lives on the platform and on the desk."""
        ...

    async def set_delivery(
        self,
        message_id: int,
        state: DeliveryState,
        reason: FailureReason | None = None,
        detail: str | None = None,
    ) -> None:
        """Record a message's delivery progress."""
        ...

    async def recent_messages(self, ticket_id: int, limit: int) -> list[Message]:
        """The ticket's latest messages, oldest first."""
        ...
