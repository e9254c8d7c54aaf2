"""An escalation and what the AI concluded before it (values only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
class Classification:
    """What the AI core concluded about the conversation, when it has run."""

    category: str
    urgency: str
    complexity: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """The customer context of an escalation: since when we know them, and how often they wrote."""

    first_seen: datetime
    previous_tickets: int
