"""What surveys and QA reviews need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.model import Channel
from core.feedback.model import InteractionFacts, QaReview, Survey, SurveyKind, SurveyState


class Surveys(Protocol):
    """CSAT and NPS surveys: sent, waiting, answered."""

    async def add_survey(self, kind: SurveyKind, customer_id: int, ticket_id: int, at: datetime) -> int:
        """Remember that a survey was put to a customer about a ticket."""
        ...

    async def surveys_waiting(self, channel: Channel, addresses: list[str]) -> list[Survey]:
        """The surveys of the customer at any of these addresses that are not finished, newest first."""
        ...

    async def set_survey_state(self, survey_id: int, state: SurveyState, at: datetime) -> None:
        """Move a survey on (answered, or finished); ``at`` is when it was answered."""
        ...

    async def last_survey_at(self, customer_id: int, kind: SurveyKind) -> datetime | None:
        """When this kind of survey was last put to the customer."""
        ...

    async def record_csat(self, ticket_id: int, score: int, at: datetime) -> None:
        """Store the customer's 1-5 rating of a ticket (a later rating of the same ticket replaces it)."""
        ...

    async def set_csat_comment(self, ticket_id: int, comment: str) -> None:
        """Attach the customer's comment to their rating."""
        ...

    async def record_nps(self, customer_id: int, score: int, at: datetime) -> None:
        """Store a customer's 0-10 answer to the NPS question."""
        ...


class Reviews(Protocol):
    """QA reviews: the sampled interactions queued for review and their scores."""

    async def interaction_facts(self, ticket_id: int) -> InteractionFacts:
        """Who answered a ticket, whether it was escalated, and whether the customer complained."""
        ...

    async def queue_review(self, facts: InteractionFacts, reason: str, at: datetime) -> int | None:
        """Put a ticket in the QA review queue; None when it is already there."""
        ...

    async def get_review(self, review_id: int) -> QaReview | None:
        """A review by id."""
        ...

    async def set_review_ref(self, review_id: int, desk_ref: str) -> None:
        """Remember where the review's card is shown on the desk."""
        ...

    async def score_review(
        self, review_id: int, reviewer: str, scores: dict[str, int], score: float, notes: str, at: datetime
    ) -> None:
        """Record a reviewer's scores and the weighted result."""
        ...

    async def reviews_since(self, since: datetime) -> list[QaReview]:
        """Reviews scored since ``since``."""
