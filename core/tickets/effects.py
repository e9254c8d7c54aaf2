"""Effects of a ticket's conversation: its thread on the desk, messages to and from the customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import CUSTOMER, DESK, DeskText, Effect


@dataclass(frozen=True, slots=True)
class PostTicket(Effect):
    """Open the ticket's thread on the desk (the parent message with its buttons)."""

    target: ClassVar[str] = DESK


@dataclass(frozen=True, slots=True)
class RefreshTicket(Effect):
    """Redraw the parent message after a status, assignee or resolution change."""

    target: ClassVar[str] = DESK


@dataclass(frozen=True, slots=True)
class ShowInboundMessage(Effect):
    """Show a customer message in the thread: text as a reply, media as an uploaded file."""

    target: ClassVar[str] = DESK
    message_id: int


@dataclass(frozen=True, slots=True)
class ShowReaction(Effect):
    """Put the customer's emoji reaction on the desk copy of the message it targets."""

    target: ClassVar[str] = DESK
    message_id: int
    emoji: str


@dataclass(frozen=True, slots=True)
class ShowDelivery(Effect):
    """Mark an agent's relayed message with its delivery state; a failure also explains why."""

    target: ClassVar[str] = DESK
    message_id: int
    state: str


@dataclass(frozen=True, slots=True)
class PostNote(DeskText, Effect):
    """Post a line from the desk itself in the thread (a warning, a notice)."""

    target: ClassVar[str] = DESK
    text: str
    markup: bool = False


@dataclass(frozen=True, slots=True)
class SendToCustomer(Effect):
    """Send a stored outbound message (text or file) to the customer on their channel."""

    target: ClassVar[str] = CUSTOMER
    message_id: int


@dataclass(frozen=True, slots=True)
class SendToAddress(Effect):
    """Send a text to a customer's address outside any ticket (an opt-out confirmation).

    Not part of a conversation, so not kept in a ticket's history; ``ticket_id`` is 0 and
    texts to one address go out in order.
    """

    target: ClassVar[str] = CUSTOMER
    channel: str
    address: str
    text: str

    @property
    def lane(self) -> str:
        return f"{self.target}:to:{self.channel}:{self.address}"


@dataclass(frozen=True, slots=True)
class MarkRead(Effect):
    """Tell the customer's channel that we read their messages up to this one."""

    target: ClassVar[str] = CUSTOMER
    external_id: str


@dataclass(frozen=True, slots=True)
class ShowAgentMessage(Effect):
    """Show in the thread a message an agent sent from outside it (a template from a modal).

    The post becomes the message's desk copy, so its delivery marks land on it.
    """

    target: ClassVar[str] = DESK
    message_id: int
    header: str


@dataclass(frozen=True, slots=True)
class SendChoices(Effect):
    """Offer the ticket's customer options to pick from (a rating); the pick returns as a choice id.

    ``choices`` are ``{"id", "title", "description"}`` objects, stored as they are sent.
    """

    target: ClassVar[str] = CUSTOMER
    text: str
    choices: list[dict[str, str | None]]
    button: str
