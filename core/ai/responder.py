"""Runs the AI pipeline for a queued message; records the outcome and what the desk and the customer see.

The job is an outbox effect (:class:`core.ai.effects.AnswerWithAI`), written with the
customer's message: a crash before the outcome commits runs it again, a crash after
finds the triage stored and stops. Model calls happen outside any transaction; the
outcome (calls, triage, draft or answer, notices) commits in one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.ai import texts
from core.ai.effects import AnswerWithAI, ShowAIReply, ShowDraft, ShowEscalationAlert
from core.ai.health import ModelHealth
from core.ai.model import UNCLASSIFIED, TriageRecord
from core.ai.offline import erasure_request
from core.ai.pipeline import Assistant, CustomerContext, Job, Outcome
from core.ai.policy import ReplyPolicy
from core.ai.ports import AiRecords
from core.backlog import ideas as backlog
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.customers.model import Channel
from core.delivery.effects import PostToChannel
from core.delivery.ports import CustomerChannel
from core.kb import texts as kb_texts
from core.templates import filling as templates
from core.templates.model import ResponseTemplate
from core.templates.ports import Templates
from core.tickets.effects import PostNote, SendToCustomer
from core.tickets.model import DeliveryState, Direction, FileData, Message, MessageKind, Ticket
from core.unit_of_work import Store


class ResponderTx(backlog.IdeasTx, AiRecords, Templates, Protocol):
    """What the AI responder needs from a unit of work."""


HISTORY_DAYS = 30
LAST_MESSAGES = 4
AUDIO_KINDS = frozenset({MessageKind.AUDIO, MessageKind.VOICE})
TRANSCRIBE_MAX_BYTES = 16_000_000
"""Longer audio is left to a person (WhatsApp's own limit for audio); it is read into memory."""
ANSWERED_KINDS = frozenset({MessageKind.TEXT, MessageKind.INTERACTIVE, *AUDIO_KINDS})
BURST_MAX = 10
"""At most this many text messages sent in a row are read as one (a longer run is answered in parts)."""
HANDOFF_NOTICE = "ai.handoff_notice"
FEATURE_REQUEST = "feature_request"
LEGAL = "legal_compliance_question"
AI_SOURCE = "ai"
AFTER_HOURS_NOTICE = "ai.after_hours_notice"


def wants_answer(kind: MessageKind) -> bool:
    """Messages the AI reads: text, tapped options, voice notes and audio (files wait for a person)."""
    return kind in ANSWERED_KINDS


def burst(first: Message, following: Sequence[Message]) -> tuple[Message, ...]:
    """The customer's text messages sent in a row from ``first``, read and answered as one.

    Customers on WhatsApp write in bursts ("oi", "tudo bem?", "meu pix não caiu"): one
    answer reads them all, where one per line would answer "oi" with a greeting and
    classify each fragment alone. A burst is plain text only (a tapped option, a voice note
    or a file is its own turn), and it ends at the first message that is not the
    customer's, so nothing an agent or the AI said is read as the customer's.
    """
    messages = [first]
    if first.kind is MessageKind.TEXT:
        for message in following:
            if message.direction is not Direction.INBOUND or message.kind is not MessageKind.TEXT:
                break
            messages.append(message)
    return tuple(messages[:BURST_MAX])


def said(messages: Sequence[Message]) -> str:
    """What a burst says: its lines' texts in order, one a line."""
    return "\n".join(m.text for m in messages if m.text)


@dataclass(frozen=True, slots=True)
class _Loaded:
    ticket: Ticket
    burst: tuple[Message, ...]
    context: CustomerContext
    address: str
    templates: tuple[ResponseTemplate, ...] = ()
    template_values: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def message(self) -> Message:
        """The message the job was queued for: the burst's first, whose id keys the outcome."""
        return self.burst[0]

    @property
    def text(self) -> str:
        """What the customer wrote, the burst's lines in order."""
        return said(self.burst)


class TicketRouting(Protocol):
    """The desk's use cases the AI's decisions go through (:class:`core.tickets.service.SupportDesk`)."""

    async def escalate(self, ticket_id: int, tier: int, reason: str, actor: str) -> object:
        """Move the ticket to tier 2 or 3 (refused when it is there already)."""
        ...

    async def mark_critical(self, ticket_id: int, actor: str) -> None:
        """The ticket is critical: its resolution is due within the critical target."""
        ...


class AIResponder:
    """Carries out :class:`AnswerWithAI` jobs."""

    def __init__(
        self,
        store: Store[ResponderTx],
        assistant: Assistant,
        channels: Mapping[Channel, CustomerChannel],
        clock: Clock,
        policy: ReplyPolicy,
        hours: BusinessHours,
        routing: TicketRouting | None = None,
        health: tuple[ModelHealth, str] | None = None,
    ) -> None:
        """``health``: the chain's model health and the channel its alerts go to."""
        self._store = store
        self._health = health
        self._routing = routing
        self._assistant = assistant
        self._channels = channels
        self._clock = clock
        self._policy = policy
        self._hours = hours

    async def answer(self, job: Effect) -> None:
        """Handle one customer message end to end (a no-op when it was handled before a crash)."""
        assert isinstance(job, AnswerWithAI)
        loaded = await self._load(job)
        if loaded is None:
            return
        audio = await self._audio(loaded)
        outcome = await self._assistant.handle(
            Job(
                text=loaded.text if loaded.message.kind not in AUDIO_KINDS else "",
                context=loaded.context,
                audio=audio,
                assigned=loaded.ticket.assignee is not None,
                templates=loaded.templates,
                template_values=loaded.template_values,
            )
        )
        if audio is None and loaded.message.kind in AUDIO_KINDS:
            outcome.audio_unheard = True
        async with self._store.transaction() as tx:
            if await tx.triage_covering(job.ticket_id, job.message_id) is not None:
                return
            await self._record(tx, loaded, outcome)
            # the later lines' own jobs would only find their message answered
            later: list[Effect] = [AnswerWithAI(job.ticket_id, m.id) for m in loaded.burst[1:]]
            await tx.withdraw_effects(later, self._clock.now())
        await self._route(loaded.ticket.id, outcome)

    async def _route(self, ticket_id: int, outcome: Outcome) -> None:
        """Tier decisions and critical urgency go through the desk's own use cases (SLA clocks follow)."""
        if self._routing is None or outcome.classification is None or outcome.decision is None:
            return
        decision = outcome.decision
        if decision.tier > 1:
            reason = texts.ai_tier_escalation(decision.tier_reason)
            if outcome.investigation:
                reason = kb_texts.no_known_solution(outcome.investigation)
            await self._routing.escalate(ticket_id, decision.tier, reason, "ai")
        if outcome.classification.urgency == "critical":
            await self._routing.mark_critical(ticket_id, "ai")

    async def gave_up(self, job: Effect, detail: str) -> None:
        """The job itself kept failing (storage, a download): hand the message to a person, say so."""
        assert isinstance(job, AnswerWithAI)
        async with self._store.transaction() as tx:
            if await tx.triage_covering(job.ticket_id, job.message_id) is not None:
                return
            ticket = await tx.get_ticket(job.ticket_id)
            if ticket is None:
                return
            outcome = Outcome(failure=detail)
            customer = await tx.get_customer(ticket.customer_id)
            message = await tx.get_message(job.message_id)
            if message is None:
                return
            await self._record(tx, _Loaded(ticket, (message,), CustomerContext(), customer.address), outcome)

    async def _load(self, job: AnswerWithAI) -> _Loaded | None:
        now = self._clock.now()
        async with self._store.snapshot() as tx:
            if await tx.triage_covering(job.ticket_id, job.message_id) is not None:
                return None  # answered, alone or with the burst it was sent in
            message = await tx.get_message(job.message_id)
            ticket = await tx.get_ticket(job.ticket_id)
            if message is None or ticket is None:
                return None
            read = burst(message, await tx.messages_after(ticket.id, message.id, BURST_MAX))
            customer = await tx.get_customer(ticket.customer_id)
            history = await tx.triage_history(customer.id, ticket.id, now - timedelta(days=HISTORY_DAYS))
            earlier = await tx.recent_messages(ticket.id, LAST_MESSAGES + 1)
            stored_templates = tuple(await tx.list_templates())
            asked = await tx.idea_request_of_ticket(ticket.id)
        read_ids = {m.id for m in read}
        last = tuple(
            " ".join((m.text or "").split())[:200]
            for m in earlier
            if m.id not in read_ids and m.text and m.direction is not Direction.NOTE
        )[-LAST_MESSAGES:]
        context = CustomerContext(
            plan=customer.plan,
            days_as_customer=max((now - history.first_seen).days, 0),
            recent_categories=tuple(history.recent_categories),
            same_category_count=history.same_category_count,
            last_messages=last,
        )
        # a feature request's template names what this customer asked for (recorded, or recorded now);
        # never the idea's wording, which may be another customer's words
        idea_summary = asked.summary if asked else backlog.request_summary(said(read))
        values = templates.ticket_values(customer, ticket.id, None, idea_summary)
        return _Loaded(ticket, read, context, customer.address, stored_templates, values)

    async def _audio(self, loaded: _Loaded) -> FileData | None:
        message = loaded.message
        if message.kind not in AUDIO_KINDS or message.attachment is None:
            return None
        audio = io.BytesIO()
        try:
            info = await self._channels[loaded.ticket.channel].download(
                message.attachment, audio, TRANSCRIBE_MAX_BYTES
            )
        except PermanentError:
            return None  # the thread already says the file could not be fetched; a person listens
        return FileData(audio.getvalue(), info.mime_type, info.filename)

    async def _record(self, tx: ResponderTx, loaded: _Loaded, outcome: Outcome) -> None:
        now = self._clock.now()
        ticket, message = loaded.ticket, loaded.message
        for call in outcome.log.calls:
            await tx.record_ai_call(ticket.id, message.id, call, now)
        if self._health is not None:
            health, alerts_channel = self._health
            for alert in health.take_notices():
                await tx.add_effect(PostToChannel(0, alerts_channel, alert), now)
        if outcome.transcript is not None and outcome.transcript_model:
            await tx.add_effect(
                PostNote(ticket.id, texts.ai_transcript(outcome.transcript_model, outcome.transcript)), now
            )
        elif outcome.audio_unheard:
            await tx.add_effect(PostNote(ticket.id, texts.AI_AUDIO_NEEDS_PERSON), now)
        decision = "human" if outcome.requires_human else ("sent" if outcome.send else "draft")
        await tx.record_triage(_triage(ticket.id, loaded.burst, outcome, decision, now))
        await _record_feature_request(tx, ticket, loaded.text, outcome, now)
        if outcome.requires_human:
            await tx.add_effect(ShowEscalationAlert(ticket.id, message.id), now)
        if outcome.failure is not None:
            await tx.add_effect(PostNote(ticket.id, texts.ai_failed(outcome.failure)), now)

        speaks = self._policy.speaks_to_customers and ticket.assignee is None
        closed = not self._hours.is_open(now)
        if outcome.draft is not None and outcome.send:
            text = outcome.draft.text
            if closed and await self._first_notice_of_closed_period(tx, ticket.id, now):
                text += "\n\n" + texts.customer_after_hours(self._hours.next_opening(now))
            await self._to_customer(tx, ticket.id, text, outcome.draft.model, now, answers=message.id)
            await tx.record_event(ticket.id, "ai", "ai.replied", now, outcome.draft.model)
            return
        if outcome.draft is not None:
            draft_id = await tx.add_draft(
                ticket.id,
                loaded.burst[-1].id,  # what it answers: stale once the customer writes after the burst
                outcome.draft.text,
                outcome.draft.model,
                outcome.draft.confidence,
                outcome.draft.sources,
                now,
            )
            await tx.add_effect(ShowDraft(ticket.id, draft_id), now)
        if not speaks:
            return
        notice = []
        if outcome.requires_human and await tx.last_event_at(ticket.id, HANDOFF_NOTICE) is None:
            notice.append(_handoff_text(outcome, f"{loaded.text} {outcome.transcript or ''}"))
            await tx.record_event(ticket.id, "ai", HANDOFF_NOTICE, now, decision)
        if closed and await self._first_notice_of_closed_period(tx, ticket.id, now):
            notice.append(texts.customer_after_hours(self._hours.next_opening(now)))
        if notice:
            await self._to_customer(tx, ticket.id, "\n\n".join(notice), outcome.answered_by, now)

    async def _first_notice_of_closed_period(self, tx: ResponderTx, ticket_id: int, now: datetime) -> bool:
        """Tell a customer about the closed desk once per closed period, not under every message."""
        last = await tx.last_event_at(ticket_id, AFTER_HOURS_NOTICE)
        if last is not None and self._hours.next_opening(last) == self._hours.next_opening(now):
            return False
        await tx.record_event(ticket_id, "ai", AFTER_HOURS_NOTICE, now)
        return True

    async def _to_customer(
        self, tx: ResponderTx, ticket_id: int, text: str, model: str, now: datetime, answers: int = 0
    ) -> None:
        """An AI message to the customer (an answer or a notice), shown in the thread with its model.

        ``answers``: the customer's message it answers, whose triage line its desk post carries.
        """
        stored = await tx.add_message(
            ticket_id,
            Direction.OUTBOUND,
            MessageKind.TEXT,
            now,
            text=text,
            author=f"ai:{model}",
            delivery=DeliveryState.PENDING,
        )
        await tx.add_effect(SendToCustomer(ticket_id, stored.id), now)
        await tx.add_effect(ShowAIReply(ticket_id, stored.id, answers), now)


async def _record_feature_request(
    tx: ResponderTx, ticket: Ticket, text: str, outcome: Outcome, now: datetime
) -> None:
    """A feature request adds the ticket's customer to the backlog, once per ticket."""
    if outcome.classification is None or outcome.classification.category != FEATURE_REQUEST:
        return
    if not text or await tx.idea_request_of_ticket(ticket.id) is not None:
        return
    await backlog.record(tx, ticket, text, AI_SOURCE, now)


def _handoff_text(outcome: Outcome, said: str) -> str:
    """The customer's acknowledgement: a legal or LGPD matter is told it is one, and an erasure who checks."""
    if outcome.audio_unheard:
        return texts.CUSTOMER_AUDIO_HANDOFF
    if outcome.failure is not None:
        return texts.CUSTOMER_HOLDING
    if outcome.decision is not None and outcome.decision.immediate_reason == LEGAL:
        return texts.CUSTOMER_ERASURE_HANDOFF if erasure_request(said) else texts.CUSTOMER_LEGAL_HANDOFF
    return texts.CUSTOMER_HANDOFF


def _triage(
    ticket_id: int, read: tuple[Message, ...], outcome: Outcome, decision: str, now: datetime
) -> TriageRecord:
    c, d = outcome.classification, outcome.decision
    if outcome.audio_unheard:
        reason: str | None = "audio_needs_person"
    elif outcome.failure is not None:
        reason = "ai_unavailable"
    else:
        reason = d.immediate_reason if d else None
    return TriageRecord(
        message_id=read[0].id,
        ticket_id=ticket_id,
        category=c.category if c else UNCLASSIFIED,
        urgency=c.urgency if c else "medium",
        complexity=c.complexity if c else "moderate",
        sentiment=c.sentiment if c else 0.5,
        language=c.language if c else "pt-BR",
        confidence=outcome.draft.confidence if outcome.draft else (c.confidence if c else 0.0),
        requires_human=outcome.requires_human,
        reason=reason,
        tier=d.tier if d else 1,
        model=outcome.classified_by or "none",
        at=now,
        tier_reason=d.tier_reason if d else None,
        decision=decision + (":injection" if outcome.injection_suspected else ""),
        cost_usd=outcome.log.cost_usd,
        likely_resolved=outcome.draft.likely_resolved if outcome.draft else None,
        transcript=outcome.transcript,
        why=outcome.why,
        through_message_id=read[-1].id if len(read) > 1 else None,
        messages_read=len(read),
    )
