"""Customer satisfaction: the CSAT rating after a resolution, its comment, and the monthly NPS.

After a ticket is resolved the customer gets a 1-5 list (an interactive list on WhatsApp,
since reply buttons hold only 3). The pick carries the ticket in its id
(``csat:<ticket>:<score>``), so it is matched whenever it comes. A score of 2 or less
reopens the ticket with an alert in its thread and is a complaint (QA reviews it); a score
above 4 on a resolved ticket runs the "good rating" hooks (the knowledge base learns from
it). After a rating the customer may write one comment, and is asked the NPS question (0-10,
typed: a list holds at most 10 rows) when they were not asked in the last ``nps_interval``.

These answers are not new conversations: :func:`intercept` takes them before intake would
open a ticket for them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.common.journal import Journal
from core.feedback import texts
from core.feedback.effects import GoodRating
from core.feedback.model import Survey, SurveyKind, SurveyState
from core.feedback.ports import Surveys
from core.tickets import intake
from core.tickets.effects import PostNote, SendChoices, SendToCustomer
from core.tickets.model import (
    ActionResult,
    Choice,
    DeliveryState,
    Direction,
    InboundMessage,
    MessageKind,
    TicketStatus,
)
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Transaction


class SurveyTx(Journal, Tickets, Messages, Surveys, Protocol):
    """What CSAT and NPS surveys needs from a unit of work."""


log = logging.getLogger(__name__)

CHOICE_PREFIX = "csat"
LOW_SCORE = 2
"""A rating at or below this reopens the ticket."""
GOOD_SCORE = 4
"""A rating above this on a resolved ticket runs the good-rating hooks."""
SURVEY_AUTHOR = "system:survey"
"""Author of the desk's own survey messages: neither an agent's answer nor the AI's."""

_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.!]?\s*")


@dataclass(frozen=True, slots=True)
class SurveyPolicy:
    """When and how customers are asked (see ``CSAT_*``/``NPS_*`` settings)."""

    enabled: bool = True
    nps_interval: timedelta = timedelta(days=30)
    comment_window: timedelta = timedelta(minutes=30)
    answer_window: timedelta = timedelta(hours=24)
    """How long a typed score (instead of a tap) is taken as the answer."""


def rating_choices(ticket_id: int) -> list[Choice]:
    """The 1-5 options, best first, each id naming the ticket it rates."""
    return [
        Choice(f"{CHOICE_PREFIX}:{ticket_id}:{score}", title, description)
        for score, (title, description) in sorted(texts.CSAT_OPTIONS.items(), reverse=True)
    ]


def parse_pick(choice_id: str | None) -> tuple[int, int] | None:
    """``(ticket_id, score)`` of a rating pick, or None when the id is not one of ours."""
    if not choice_id or not choice_id.startswith(CHOICE_PREFIX + ":"):
        return None
    parts = choice_id.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    score = int(parts[2])
    return (int(parts[1]), score) if 1 <= score <= 5 else None


def _typed_number(msg: InboundMessage) -> int | None:
    if msg.kind is not MessageKind.TEXT or not msg.text:
        return None
    match = _NUMBER.fullmatch(msg.text)
    return int(match.group(1)) if match else None


async def ask_rating(tx: SurveyTx, ticket_id: int, at: datetime, policy: SurveyPolicy) -> None:
    """A ticket was resolved: ask its customer to rate it (after the closing message, same lane)."""
    if not policy.enabled:
        return
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return
    await tx.add_survey(SurveyKind.CSAT, ticket.customer_id, ticket.id, at)
    choices = [asdict(choice) for choice in rating_choices(ticket.id)]
    await tx.add_effect(SendChoices(ticket.id, texts.CSAT_QUESTION, choices, texts.CSAT_BUTTON), at)


Reopen = Callable[[Transaction, int, str, str, datetime], Awaitable[ActionResult]]
"""Reopen a ticket inside the current unit of work: (tx, ticket_id, actor, reason, at)."""
Complained = Callable[[Transaction, int, datetime], Awaitable[None]]
"""Tell the desk, inside the current unit of work, that a ticket was rated low: (tx, ticket_id, at)."""


async def _nobody_listens(tx: Transaction, ticket_id: int, at: datetime) -> None:
    """The default :data:`Complained`: no feature asked to hear of low ratings."""


@dataclass
class Satisfaction:
    """The survey use cases, with their policy; handed to the desk as an inbound interceptor."""

    reopen: Reopen
    policy: SurveyPolicy = field(default_factory=SurveyPolicy)
    complained: Complained = _nobody_listens

    async def on_resolved(self, tx: Transaction, ticket_id: int, at: datetime) -> None:
        """Listener for a resolution: ask for the rating."""
        await ask_rating(tx, ticket_id, at, self.policy)

    async def intercept(self, tx: Transaction, msg: InboundMessage) -> bool:
        """Take a customer message that answers a survey; True when intake must not see it.

        A rating pick is always taken (even a late or repeated one, which changes nothing).
        Typed answers are taken only while a question waits: a number for the NPS (or for a
        rating asked by list), then one text as the rating's comment. A comment about a
        reopened ticket also goes on into that ticket's conversation. Answering the NPS ends
        the comment window: what the customer writes after that is a new conversation.
        """
        pick = parse_pick(msg.choice_id)
        number = _typed_number(msg) if pick is None else None
        if pick is None and (msg.kind is not MessageKind.TEXT or not msg.text):
            return False
        waiting = await tx.surveys_waiting(msg.channel, intake.addresses(msg.channel, msg.sender))
        if pick is not None:
            ticket_id, score = pick
            asked = [s for s in waiting if s.kind is SurveyKind.CSAT and s.state is SurveyState.ASKED]
            survey = next((s for s in asked if s.ticket_id == ticket_id), None)
            if await tx.claim_key(intake.inbound_key(msg), msg.sent_at) and survey is not None:
                await self._rated(tx, survey, score, msg.sent_at)
            return True
        fresh = [s for s in waiting if self._open(s, msg.sent_at)]
        for survey in fresh:
            if survey.state is SurveyState.ASKED and number is not None and _in_scale(survey.kind, number):
                if await tx.claim_key(intake.inbound_key(msg), msg.sent_at):
                    if survey.kind is SurveyKind.NPS:
                        await self._nps(tx, survey, number, msg.sent_at)
                        for other in fresh:  # answered the last question: whatever comes next is new
                            if other.state is SurveyState.COMMENT:
                                await tx.set_survey_state(other.id, SurveyState.DONE, msg.sent_at)
                    else:
                        await self._rated(tx, survey, number, msg.sent_at)
                return True
        for survey in fresh:
            if survey.kind is SurveyKind.CSAT and survey.state is SurveyState.COMMENT:
                return await self._comment(tx, survey, msg)
        return False

    def _open(self, survey: Survey, at: datetime) -> bool:
        """Still taking typed answers: a question within the answer window, a comment within its own."""
        if survey.state is SurveyState.COMMENT:
            return survey.answered_at is not None and at - survey.answered_at <= self.policy.comment_window
        return at - survey.asked_at <= self.policy.answer_window

    async def _rated(self, tx: Transaction, survey: Survey, score: int, at: datetime) -> None:
        await tx.record_csat(survey.ticket_id, score, at)
        await tx.set_survey_state(survey.id, SurveyState.COMMENT, at)
        await tx.record_event(survey.ticket_id, "customer", "csat", at, detail=str(score))
        await tx.add_effect(PostNote(survey.ticket_id, texts.csat_received(score)), at)
        ticket = await tx.get_ticket(survey.ticket_id)
        if score <= LOW_SCORE:
            await self.reopen(tx, survey.ticket_id, "customer", texts.low_rating_reason(score), at)
            await self.complained(tx, survey.ticket_id, at)
            await _tell(tx, survey.ticket_id, texts.CSAT_SORRY, at)
            return
        await _tell(tx, survey.ticket_id, texts.CSAT_THANKS, at)
        if score > GOOD_SCORE and ticket is not None and ticket.status is TicketStatus.RESOLVED:
            await tx.add_effect(GoodRating(survey.ticket_id, score), at)
        last_nps = await tx.last_survey_at(survey.customer_id, SurveyKind.NPS)
        if last_nps is None or at - last_nps >= self.policy.nps_interval:
            await tx.add_survey(SurveyKind.NPS, survey.customer_id, survey.ticket_id, at)
            await _tell(tx, survey.ticket_id, texts.NPS_QUESTION, at)

    async def _nps(self, tx: Transaction, survey: Survey, score: int, at: datetime) -> None:
        await tx.record_nps(survey.customer_id, score, at)
        await tx.set_survey_state(survey.id, SurveyState.DONE, at)
        await tx.add_effect(PostNote(survey.ticket_id, texts.nps_received(score)), at)
        await _tell(tx, survey.ticket_id, texts.NPS_THANKS, at)

    async def _comment(self, tx: Transaction, survey: Survey, msg: InboundMessage) -> bool:
        text = (msg.text or "").strip()
        await tx.set_csat_comment(survey.ticket_id, text)
        await tx.set_survey_state(survey.id, SurveyState.DONE, msg.sent_at)
        ticket = await tx.get_ticket(survey.ticket_id)
        if ticket is None or ticket.status is not TicketStatus.RESOLVED:
            return False  # the ticket is open again: the comment is part of that conversation
        if await tx.claim_key(intake.inbound_key(msg), msg.sent_at):
            await tx.add_effect(PostNote(survey.ticket_id, texts.csat_comment(text)), msg.sent_at)
            await _tell(tx, survey.ticket_id, texts.COMMENT_THANKS, msg.sent_at)
        return True


def _in_scale(kind: SurveyKind, number: int) -> bool:
    return 0 <= number <= 10 if kind is SurveyKind.NPS else 1 <= number <= 5


async def _tell(tx: SurveyTx, ticket_id: int, text: str, at: datetime) -> None:
    """Send the customer one of the survey's lines, kept in the ticket's history."""
    message = await tx.add_message(
        ticket_id,
        Direction.OUTBOUND,
        MessageKind.TEXT,
        at,
        text=text,
        author=SURVEY_AUTHOR,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(SendToCustomer(ticket_id, message.id), at)


GoodRatingHook = Callable[[int, int], Awaitable[None]]


class GoodRatingHooks:
    """Callbacks run (from the outbox, after commit, retried) when a resolved ticket is rated above 4.

    The knowledge base plugs its learning loop in with :meth:`add`; each gets the ticket id
    and the score.
    """

    def __init__(self) -> None:
        self._hooks: list[GoodRatingHook] = []

    def add(self, hook: GoodRatingHook) -> None:
        """Run ``hook(ticket_id, score)`` for every good rating from now on."""
        self._hooks.append(hook)

    async def run(self, effect: GoodRating) -> None:
        """Carry out a GoodRating effect: every hook, in the order they were added."""
        for hook in self._hooks:
            await hook(effect.ticket_id, effect.score)
