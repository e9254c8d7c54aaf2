"""Domain records: what a customer, a ticket and a message are, independent of any platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Channel(StrEnum):
    """Where a customer talks to us."""

    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"


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
class Customer:
    """A person who writes to the desk, known by their channel address (a phone for WhatsApp)."""

    id: int
    channel: Channel
    address: str
    name: str | None = None
    plan: str | None = None
    opted_out_at: datetime | None = None
    """Since when the customer wants no proactive or broadcast messages (PARAR); None: they accept them."""


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


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """A knowledge-base article found for a query, best first; ``url`` when a help centre shows it."""

    slug: str
    title: str
    category: str
    body: str
    score: float
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    """A ticket moved to a higher tier: by whom (a Slack user id, or "ai") and why."""

    id: int
    ticket_id: int
    from_tier: int
    tier: int
    reason: str
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ResponseTemplate:
    """A reply agents send from a ticket: pt-BR text with ``{named}`` placeholders (see core.templates)."""

    id: str
    title: str
    category: str
    tone: str
    body: str


@dataclass(frozen=True, slots=True)
class Idea:
    """A feature request in the backlog; requests with the same normalised wording share one idea.

    ``merged_into`` points to the idea an agent folded this one into; ``key`` is the wording's
    normalised form (core.ptbr_text), so a later request worded the same joins the survivor.
    """

    id: int
    key: str
    summary: str
    created_at: datetime
    merged_into: int | None = None
    delivered_at: datetime | None = None
    delivered_by: str | None = None


@dataclass(frozen=True, slots=True)
class IdeaRequest:
    """One customer asking for an idea (counted once per customer), from a ticket."""

    id: int
    idea_id: int
    customer_id: int
    ticket_id: int | None
    plan: str | None
    summary: str
    source: str
    at: datetime
    notified_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IdeaTally:
    """An idea with how many customers asked, by plan, for the backlog listing."""

    idea: Idea
    customers: int
    by_plan: dict[str, int]
    first_at: datetime
    last_at: datetime


@dataclass(frozen=True, slots=True)
class DraftView:
    """An AI draft as the desk shows it: the text, who wrote it, its grounding, and what became of it."""

    draft_id: int
    ticket_id: int
    text: str
    model: str
    confidence: float
    sources: tuple[ArticleHit, ...] = ()
    likely_resolved: bool | None = None
    decided_line: str | None = None
    """Set once an agent sent or discarded the draft (then no buttons)."""
    triage_line: str | None = None
    """What the AI made of the customer's message (:func:`core.texts.ai_triage_line`), drawn above."""


class SurveyKind(StrEnum):
    """What a customer is asked after a resolution: a 1-5 rating of the ticket, or the 0-10 NPS."""

    CSAT = "csat"
    NPS = "nps"


class SurveyState(StrEnum):
    """Where a survey stands: waiting for the score, open to a comment, or finished."""

    ASKED = "asked"
    COMMENT = "comment"
    DONE = "done"


@dataclass(slots=True)
class Survey:
    """A question put to a customer about a ticket, and whether it was answered."""

    id: int
    kind: SurveyKind
    customer_id: int
    ticket_id: int
    state: SurveyState
    asked_at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class InteractionFacts:
    """Who handled a ticket and how it went: what QA sampling decides on."""

    ticket_id: int
    ai_answered: bool
    human_answered: bool
    escalated: bool
    complaint: bool
    """The customer was unhappy: a CSAT of 2 or less, or the AI read the sentiment as negative."""
    category: str | None = None
    agent: str | None = None
    """Who answered for the desk: the agent who last wrote, "ai" when only the AI did, else who resolved."""


@dataclass(slots=True)
class QaReview:
    """A sampled interaction in the review queue; scored (1-5 per criterion) once reviewed."""

    id: int
    ticket_id: int
    reason: str
    handled_by: str
    category: str | None
    queued_at: datetime
    desk_ref: str | None = None
    reviewer: str | None = None
    scores: dict[str, int] | None = None
    score: float | None = None
    notes: str | None = None
    reviewed_at: datetime | None = None
