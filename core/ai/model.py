"""What the AI core stores: the triage of each customer message and the drafts waiting for an agent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.kb.model import ArticleHit

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class TriageRecord:
    """One row of ``ai_triage``: the classification, the escalation decision and what the AI did."""

    message_id: int
    ticket_id: int
    category: str
    urgency: str
    complexity: str
    sentiment: float
    language: str
    confidence: float
    requires_human: bool
    reason: str | None
    tier: int
    model: str
    at: datetime
    tier_reason: str | None = None
    decision: str = ""
    cost_usd: float = 0.0
    likely_resolved: bool | None = None
    transcript: str | None = None
    why: str | None = None
    """What decided the offline triage ("regra: ...", "modelo: «palavra», ..."); None for remote models."""
    through_message_id: int | None = None
    """The last customer message this outcome read with ``message_id`` (a burst sent in a row)."""
    messages_read: int = 1
    """How many customer messages in a row this outcome read: one answer for a burst, not one per line."""


class DraftState(StrEnum):
    """Where a draft stands: waiting for an agent, sent (as is or edited), discarded, or stale
    (an agent tried to send it after the ticket had moved on; nothing was sent)."""

    PENDING = "pending"
    SENT = "sent"
    DISCARDED = "discarded"
    STALE = "stale"


@dataclass(slots=True)
class DraftRecord:
    """A drafted answer shown in the thread with Enviar / Editar / Descartar."""

    id: int
    ticket_id: int
    message_id: int
    text: str
    model: str
    confidence: float
    sources: list[ArticleHit]
    state: DraftState
    created_at: datetime
    desk_ref: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    sent_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class ResolvedTicket:
    """A resolved ticket as training material: what the customer wrote first and how it ended.

    ``category`` is the ticket's last triage; ``human`` whether an agent had to write (or the
    AI handed it over); ``reason`` the playbook reason when the AI recorded one.
    """

    text: str
    category: str | None
    human: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class TriageHistory:
    """What the store knows about the customer beyond this message, for the context step."""

    first_seen: datetime
    recent_categories: list[str]
    same_category_count: dict[str, int]
    """Category -> earlier contacts about it: the customer's other tickets, not the messages of this
    one (the fourth message of one conversation is not a fourth attempt)."""


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
    """What the AI made of the customer's message (:func:`core.ai.texts.ai_triage_line`), drawn above."""
