"""CSAT and NPS surveys and QA reviews (values only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
