"""Carries out the escalation and SLA effects: lines in the thread, posts in the tiers' channels.

Plugged into :class:`core.delivery.EffectRunner` (its ``more`` handlers). Like every effect,
each reads the current rows when it runs, calls the desk outside any transaction, and may
be retried: a post is the last thing it does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from core.ai.ports import AiRecords
from core.ai.summary import ConversationSummarizer, Summarizer
from core.common import ptbr
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.customers.ports import Customers
from core.delivery.ports import AgentDesk
from core.escalation import texts
from core.escalation.effects import EscalationNotice
from core.escalation.model import Classification
from core.escalation.ports import Escalations
from core.escalation.tiers import SUMMARY_MESSAGES, Diagnosis, TierDesk, diagnose, package, summary, tier_desk
from core.sla import texts as sla_texts
from core.sla.clock import TIER_TIMERS
from core.sla.effects import SlaAlert
from core.sla.ports import SlaTimers
from core.tickets import texts as tickets_texts
from core.tickets.model import Direction, Message
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Store


class NoticeTx(Customers, Tickets, Messages, AiRecords, Escalations, SlaTimers, Protocol):
    """What escalation notices needs from a unit of work."""


TIER_TIMER_NAMES = frozenset(kind.value for kinds in TIER_TIMERS.values() for kind in kinds)

AI_ACTOR = "ai"


class TierNotices:
    """Shows escalations and SLA alerts on the desk."""

    def __init__(
        self,
        store: Store[NoticeTx],
        desk: AgentDesk,
        clock: Clock,
        tiers: Mapping[int, TierDesk],
        hours: BusinessHours,
        thread_of: Callable[[int], Awaitable[str]],
        summarizer: Summarizer | None = None,
    ) -> None:
        self._summarizer = summarizer or ConversationSummarizer()
        self._store = store
        self._desk = desk
        self._clock = clock
        self._tiers = tiers
        self._hours = hours
        self._thread_of = thread_of

    def handlers(self) -> dict[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effects this class carries out, for the effect runner."""
        return {EscalationNotice: self._escalation, SlaAlert: self._alert}  # type: ignore[dict-item]

    def _actor(self, actor: str) -> str:
        return texts.AI_ACTOR if actor == AI_ACTOR else self._desk.mention_user(actor)

    async def _escalation(self, effect: EscalationNotice) -> None:
        async with self._store.snapshot() as tx:
            escalation = await tx.get_escalation(effect.escalation_id)
            ticket = await tx.get_ticket(effect.ticket_id)
            if escalation is None or ticket is None:
                raise PermanentError(f"escalation {effect.escalation_id} not found")
            customer = await tx.get_customer(ticket.customer_id)
            messages = await tx.recent_messages(ticket.id, SUMMARY_MESSAGES)
            history = await tx.customer_history(customer.id, before_ticket=ticket.id)
            classification = await tx.latest_classification(ticket.id)
        actor = self._actor(escalation.actor)
        thread = await self._thread_of(ticket.id)
        desk = tier_desk(self._tiers, escalation.tier)
        if not effect.in_channel:
            await self._desk.post_in_thread(
                thread, texts.escalated_note(escalation.tier, actor, escalation.reason)
            )
            return
        diagnosis = await self._diagnose(ticket.id, messages, customer.name, classification)
        text = package(escalation, ticket, customer, history, diagnosis, actor)
        text += "\n" + self._desk.link(await self._desk.permalink(thread), texts.OPEN_THREAD)
        if desk.group:
            text += " " + self._desk.mention_group(desk.group)
        await self._desk.post_to_channel(self._channel(escalation.tier), text)

    async def _diagnose(
        self, ticket_id: int, messages: list[Message], name: str | None, stored: Classification | None
    ) -> Diagnosis:
        """The package's summary (logged like every model call), classification and checks."""
        lines = summary(messages, name or tickets_texts.UNKNOWN_CUSTOMER)
        written = await self._summarizer.summarize(lines)
        if written.log.calls:
            now = self._clock.now()
            async with self._store.transaction() as tx:
                for call in written.log.calls:
                    await tx.record_ai_call(ticket_id, None, call, now)
        said = " ".join(m.text or "" for m in messages if m.direction is Direction.INBOUND)
        return diagnose(said, written.text, written.model, stored)

    async def _alert(self, effect: SlaAlert) -> None:
        async with self._store.snapshot() as tx:
            ticket = await tx.get_ticket(effect.ticket_id)
            if ticket is None:
                raise PermanentError(f"ticket {effect.ticket_id} not found")
            timer = next((t for t in await tx.timers_of(ticket.id) if t.kind.value == effect.timer), None)
            customer = await tx.get_customer(ticket.customer_id)
        if timer is None:
            raise PermanentError(f"timer {effect.timer} of ticket {ticket.id} not found")
        now = self._clock.now().astimezone(self._hours.zone)
        due = ptbr.moment(timer.due_at.astimezone(self._hours.zone), now)
        thread = await self._thread_of(ticket.id)
        if not effect.breach:
            left = tickets_texts.duration(self._hours.elapsed(now, timer.due_at).total_seconds())
            await self._desk.post_in_thread(thread, sla_texts.sla_warning(effect.timer, due, left))
            return
        who = self._who(ticket.tier, ticket.assignee, effect.timer in TIER_TIMER_NAMES)
        if not effect.in_channel:
            await self._desk.post_in_thread(thread, sla_texts.sla_breach(effect.timer, due, who))
            return
        name = customer.name or tickets_texts.UNKNOWN_CUSTOMER
        link = self._desk.link(await self._desk.permalink(thread), texts.OPEN_THREAD)
        text = sla_texts.sla_breach_in_channel(ticket.id, name, effect.timer, due, who, link)
        await self._desk.post_to_channel(self._channel(ticket.tier), text)

    def _who(self, tier: int, assignee: str | None, tier_clock: bool) -> str:
        """Who a breach calls: the tier's group for a tier's own clock, else the assignee (or the group)."""
        group = tier_desk(self._tiers, tier).group
        if assignee and not (tier_clock and group):
            return self._desk.mention_user(assignee)
        return self._desk.mention_group(group) if group else ""

    def _channel(self, tier: int) -> str:
        """The tier's channel; a tier without one is served in tier 1's (the support channel)."""
        return tier_desk(self._tiers, tier).channel or tier_desk(self._tiers, 1).channel
