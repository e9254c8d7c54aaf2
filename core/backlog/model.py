"""Feature ideas customers asked for, and their tally (values only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Idea:
    """A feature request in the backlog; requests with the same normalised wording share one idea.

    ``merged_into`` points to the idea an agent folded this one into; ``key`` is the wording's
    normalised form (core.common.ptbr_text), so a later request worded the same joins the survivor.
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
