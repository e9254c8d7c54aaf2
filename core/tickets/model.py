"""Tickets, their messages and files, and how a message travels (values only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.customers.model import Channel


class TicketStatus(StrEnum):
    """Life cycle of a ticket as agents see it."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    WAITING_CUSTOMER = "waiting_customer"
    REOPENED = "reopened"


class Direction(StrEnum):
    """Who wrote a message: the customer, an agent (relayed), or an agent's internal note."""

    INBOUND = "in"
    OUTBOUND = "out"
    NOTE = "note"


class MessageKind(StrEnum):
    """What a message carries. Media kinds are relayed as files, the rest as text."""

    TEXT = "text"
    IMAGE = "image"
    DOCUMENT = "document"
    AUDIO = "audio"
    VOICE = "voice"
    VIDEO = "video"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACTS = "contacts"
    REACTION = "reaction"
    INTERACTIVE = "interactive"
    UNSUPPORTED = "unsupported"


MEDIA_KINDS = frozenset(
    {
        MessageKind.IMAGE,
        MessageKind.DOCUMENT,
        MessageKind.AUDIO,
        MessageKind.VOICE,
        MessageKind.VIDEO,
        MessageKind.STICKER,
    }
)


class DeliveryState(StrEnum):
    """Delivery progress of a message we sent to a customer, in the order it can only advance."""

    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        """Position in the delivery order; a status update never moves a message backwards."""
        return _DELIVERY_RANK[self]


_DELIVERY_RANK = {
    DeliveryState.PENDING: 0,
    DeliveryState.SENT: 1,
    DeliveryState.DELIVERED: 2,
    DeliveryState.READ: 3,
    DeliveryState.FAILED: 4,
}


class FailureReason(StrEnum):
    """Why a message could not reach a customer, in terms an agent can act on."""

    OUTSIDE_WINDOW = "outside_window"
    RECIPIENT_UNAVAILABLE = "recipient_unavailable"
    MEDIA_UNSUPPORTED = "media_unsupported"
    RATE_LIMITED = "rate_limited"
    UNKNOWN = "unknown"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message: a platform media id (inbound) or a desk file id (outbound)."""

    ref: str
    mime_type: str | None = None
    filename: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One customer message as it arrived, already translated from the platform's format.

    ``text`` holds the readable rendering for non-media kinds (a location, a contact card,
    a tapped button); ``reaction_to`` is the platform id of the message a reaction targets.
    """

    channel: Channel
    external_id: str
    sender: str
    sender_name: str | None
    kind: MessageKind
    sent_at: datetime
    text: str | None = None
    attachment: Attachment | None = None
    reaction_to: str | None = None
    note: str | None = None
    choice_id: str | None = None
    """The id of the option the customer picked from choices we sent (a reply button or list row)."""
    shared_phone: str | None = None
    """The sender's own phone number, shared as a contact (Telegram): links their channels."""


@dataclass(frozen=True, slots=True)
class DeliveryUpdate:
    """A platform's report on a message we sent: sent, delivered, read or failed (with why)."""

    channel: Channel
    external_id: str
    state: DeliveryState
    at: datetime
    reason: FailureReason | None = None
    detail: str | None = None
    tracker: str | None = None
    """What the send carried to be recognised by (WhatsApp's ``biz_opaque_callback_data``)."""


@dataclass(slots=True)
class Ticket:
    """One conversation from first message to resolution; shown to agents as one desk thread."""

    id: int
    customer_id: int
    channel: Channel
    status: TicketStatus
    opened_at: datetime
    assignee: str | None = None
    thread_ref: str | None = None
    previous_ticket_id: int | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    address: str | None = None
    """Where replies go: the customer's address on the ticket's channel (None: their own address)."""
    tier: int = 1


@dataclass(slots=True)
class Message:
    """A stored message of a ticket, in either direction, with its platform and desk references."""

    id: int
    ticket_id: int
    direction: Direction
    kind: MessageKind
    sent_at: datetime
    text: str | None = None
    attachment: Attachment | None = None
    external_id: str | None = None
    desk_ref: str | None = None
    author: str | None = None
    delivery: DeliveryState | None = None
    delivery_reason: FailureReason | None = None
    delivery_detail: str | None = None


@dataclass(frozen=True, slots=True)
class FileData:
    """Bytes of a small file held in memory: a report's CSV or chart, a voice note to transcribe."""

    data: bytes
    mime_type: str
    filename: str


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What a download learned about a file it wrote into a stream (the bytes are in the stream).

    Customers' files travel through a temporary file on disk, never whole in memory.
    """

    mime_type: str
    filename: str
    size: int


@dataclass(frozen=True, slots=True)
class TicketView:
    """Everything the desk shows on a ticket's parent message, already decided by the core."""

    ticket_id: int
    status: TicketStatus
    customer_name: str
    customer_address: str
    channel: Channel
    plan: str | None
    opened_at: datetime
    assignee: str | None = None
    resolved_by: str | None = None
    resolution_time: str | None = None
    previous_ticket_id: int | None = None
    previous_thread_ref: str | None = None
    tier: int = 1


@dataclass(frozen=True, slots=True)
class Choice:
    """One option offered to a customer (a reply button, a list row, an inline keyboard key)."""

    id: str
    title: str
    description: str | None = None


class Refusal(StrEnum):
    """Why an agent's action was not applied; the desk tells the agent privately."""

    NOT_FOUND = "not_found"
    CLAIMED_BY_OTHER = "claimed_by_other"
    NOT_ASSIGNEE = "not_assignee"
    ALREADY_RESOLVED = "already_resolved"
    NOT_RESOLVED = "not_resolved"
    ALREADY_AT_TIER = "already_at_tier"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """Outcome of an agent action: applied, or refused with the agent who holds the ticket."""

    refusal: Refusal | None = None
    holder: str | None = None

    @property
    def ok(self) -> bool:
        """True when the action changed the ticket."""
        return self.refusal is None


@dataclass(frozen=True, slots=True)
class AgentReply:
    """An agent's message in a ticket thread: text and/or files, with the desk's reference to it."""

    thread_ref: str
    agent: str
    desk_ref: str
    event_key: str
    at: datetime
    text: str = ""
    files: list[Attachment] = field(default_factory=list)
