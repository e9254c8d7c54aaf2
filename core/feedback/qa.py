"""Quality assurance: which interactions are reviewed, how a review is scored, and when to alert.

The playbook's framework: review a random 10% of AI interactions and 25% of human ones, and
every escalated case and every complaint; score accuracy (40%), helpfulness (25%), tone and
professionalism (20%) and efficiency (15%), each 1-5; alert supervisors when an agent's
average falls below 3.5, a category's below 4.0, AI accuracy below 70% or CSAT below 4.0.

Sampling is decided when a ticket is resolved, from a hash of its id: the same ticket always
gets the same draw (a retried transaction never samples twice), and the rates hold over any
large population (the tests check them on a synthetic one). A rating of 2 or less comes after
the resolution: it is sampled when it arrives, and a ticket is queued at most once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from core.common.clock import Clock
from core.common.errors import PermanentError
from core.common.journal import Journal
from core.delivery.effects import PostToChannel
from core.feedback import texts
from core.feedback.effects import QueueReview
from core.feedback.model import InteractionFacts, QaReview
from core.feedback.ports import Reviews
from core.reports.model import Report
from core.tickets.ports import Tickets
from core.unit_of_work import Store


class QaTx(Journal, Tickets, Reviews, Protocol):
    """What QA sampling and reviews needs from a unit of work."""


AI_RATE = 0.10
HUMAN_RATE = 0.25
WEIGHTS = {"accuracy": 0.40, "helpfulness": 0.25, "tone": 0.20, "efficiency": 0.15}
AGENT_FLOOR = 3.5
CATEGORY_FLOOR = 4.0
AI_ACCURACY_FLOOR = 0.70
CSAT_FLOOR = 4.0
MIN_REVIEWS = 3
"""An average needs this many reviews before it can trigger an alert (one bad review is not a trend)."""
TRIGGER_WINDOW = timedelta(days=30)


class SampleReason(StrEnum):
    """Why an interaction is in the review queue."""

    ESCALATED = "escalated"
    COMPLAINT = "complaint"
    HUMAN = "human"
    AI = "ai"


def draw(ticket_id: int) -> float:
    """A number in [0, 1) fixed for each ticket, spread uniformly over tickets."""
    digest = hashlib.blake2b(f"qa:{ticket_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def sample(facts: InteractionFacts) -> SampleReason | None:
    """Whether (and why) a resolved ticket goes to review: every escalation and complaint, 25% of
    interactions a person answered, 10% of those only the AI answered."""
    if facts.escalated:
        return SampleReason.ESCALATED
    if facts.complaint:
        return SampleReason.COMPLAINT
    if facts.human_answered:
        return SampleReason.HUMAN if draw(facts.ticket_id) < HUMAN_RATE else None
    if facts.ai_answered:
        return SampleReason.AI if draw(facts.ticket_id) < AI_RATE else None
    return None


def weighted_score(scores: dict[str, int]) -> float:
    """The review's score (1-5): each criterion times its playbook weight."""
    if set(scores) != set(WEIGHTS) or not all(1 <= s <= 5 for s in scores.values()):
        raise ValueError(f"scores must rate {sorted(WEIGHTS)} from 1 to 5")
    return round(sum(WEIGHTS[name] * score for name, score in scores.items()), 2)


@dataclass(frozen=True, slots=True)
class Trigger:
    """An improvement trigger that fired: what (agent, category, ai_accuracy, csat), for whom, the value."""

    kind: str
    subject: str
    value: float
    floor: float
    reviews: int = 0


def review_triggers(reviews: Iterable[QaReview]) -> list[Trigger]:
    """Agents averaging below 3.5 and categories below 4.0, over scored reviews (at least 3 each)."""
    by_agent: dict[str, list[float]] = defaultdict(list)
    by_category: dict[str, list[float]] = defaultdict(list)
    for review in reviews:
        if review.score is None:
            continue
        by_agent[review.handled_by].append(review.score)
        if review.category:
            by_category[review.category].append(review.score)
    fired = []
    for kind, groups, floor in (("agent", by_agent, AGENT_FLOOR), ("category", by_category, CATEGORY_FLOOR)):
        for subject, scores in sorted(groups.items()):
            average = sum(scores) / len(scores)
            if len(scores) >= MIN_REVIEWS and average < floor:
                fired.append(Trigger(kind, subject, round(average, 2), floor, len(scores)))
    return fired


def report_triggers(report: Report) -> list[Trigger]:
    """AI accuracy below 70% and CSAT below 4.0, read from a computed report."""
    fired = []
    accuracy = report.ai_accuracy.value
    if accuracy is not None and accuracy < AI_ACCURACY_FLOOR:
        fired.append(Trigger("ai_accuracy", "ai", accuracy, AI_ACCURACY_FLOOR, report.ai_accuracy.whole))
    if report.csat.mean is not None and report.csat.mean < CSAT_FLOOR:
        fired.append(Trigger("csat", "csat", report.csat.mean, CSAT_FLOOR, report.csat.count))
    return fired


def _week(at: datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


async def alert_once(
    tx: QaTx, trigger: Trigger, channel: str, at: datetime, mention: Callable[[str], str]
) -> bool:
    """Post a trigger's alert to the supervisors, at most once per trigger and subject each week.

    ``mention`` is the desk's mention of an agent (``AgentDesk.mention_user``).
    """
    if not channel or not await tx.claim_key(f"qa:alert:{trigger.kind}:{trigger.subject}:{_week(at)}", at):
        return False
    text = texts.qa_trigger(
        trigger.kind, trigger.subject, trigger.value, trigger.floor, trigger.reviews, mention
    )
    await tx.add_effect(PostToChannel(0, channel, text), at)
    await tx.record_event(None, "qa", "qa.trigger", at, detail=f"{trigger.kind} {trigger.subject}")
    return True


@dataclass(frozen=True)
class ReviewCard:
    """What a review's card in the QA channel shows: the review, and its ticket's id and thread."""

    review: QaReview
    ticket_id: int
    thread_ref: str | None


class QualityDesk:
    """The QA use cases: fill the queue at resolution, score a review, alert on the triggers."""

    def __init__(
        self,
        store: Store[QaTx],
        clock: Clock,
        review_channel: str,
        alert_channel: str,
        mention: Callable[[str], str],
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._review_channel = review_channel
        self._alert_channel = alert_channel
        self._mention = mention
        """The desk's mention of an agent, in the alerts (``AgentDesk.mention_user``)."""
        self._on_commit = on_commit

    async def on_resolved(self, tx: QaTx, ticket_id: int, at: datetime) -> None:
        """Listener for a resolution: queue the ticket for review when the sampling picks it."""
        if not self._review_channel:
            return
        facts = await tx.interaction_facts(ticket_id)
        reason = sample(facts)
        if reason is None:
            return
        review_id = await tx.queue_review(facts, reason.value, at)
        if review_id is not None:
            await tx.add_effect(QueueReview(ticket_id, self._review_channel, review_id), at)

    async def on_complaint(self, tx: QaTx, ticket_id: int, at: datetime) -> None:
        """Listener for a rating of 2 or less: the draw at resolution may have left the ticket out,
        but every complaint is reviewed (a ticket already in the queue is not queued again)."""
        await self.on_resolved(tx, ticket_id, at)

    async def score(
        self, review_id: int, reviewer: str, scores: dict[str, int], notes: str
    ) -> QaReview | None:
        """A reviewer submitted the scoring modal; returns the review, or None when it is unknown.

        The card is redrawn with the result; agent and category averages are checked.
        """
        at = self._clock.now()
        total = weighted_score(scores)
        async with self._store.transaction() as tx:
            review = await tx.get_review(review_id)
            if review is None:
                return None
            await tx.score_review(review_id, reviewer, scores, total, notes.strip(), at)
            await tx.record_event(review.ticket_id, reviewer, "qa.reviewed", at, detail=f"{total:.2f}")
            await tx.add_effect(QueueReview(review.ticket_id, self._review_channel, review_id), at)
            for trigger in review_triggers(await tx.reviews_since(at - TRIGGER_WINDOW)):
                await alert_once(tx, trigger, self._alert_channel, at, self._mention)
            scored = await tx.get_review(review_id)
        self._on_commit()
        return scored

    async def report_alerts(self, report: Report) -> list[Trigger]:
        """Alert on the report-wide triggers (AI accuracy, CSAT) of a report just computed."""
        at = self._clock.now()
        fired = report_triggers(report)
        async with self._store.transaction() as tx:
            for trigger in fired:
                await alert_once(tx, trigger, self._alert_channel, at, self._mention)
        self._on_commit()
        return fired

    async def review_card(self, review_id: int, ticket_id: int) -> ReviewCard:
        """The card of a queued review (:class:`QueueReview`), to post or redraw.

        Raises :class:`PermanentError` when the review or its ticket is gone.
        """
        async with self._store.snapshot() as tx:
            review = await tx.get_review(review_id)
            ticket = await tx.get_ticket(ticket_id)
        if review is None or ticket is None:
            raise PermanentError(f"review {review_id} not found")
        return ReviewCard(review, ticket.id, ticket.thread_ref)

    async def card_posted(self, review_id: int, card_ref: str) -> None:
        """The review's card was posted at ``card_ref``: it is redrawn there from now on."""
        async with self._store.transaction() as tx:
            await tx.set_review_ref(review_id, card_ref)
