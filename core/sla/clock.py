"""The SLA clock: each ticket's targets as stored due times, paused while the customer has the turn.

A ticket carries one timer per target that applies to it (first response, resolution, the
tier's response or acknowledgement and assessment, and the auto-close of a ticket left
waiting for the customer). Due times are computed in business hours when a timer starts or
resumes and then stored, so a restart changes nothing; the ticker only reads the timers
whose next moment (the 75% warning, then the due time) has come.

Which event stops which timer:

- first response: the first answer an agent sends the customer (AI answers do not count);
- resolution: the ticket is resolved;
- tier 2 response, tier 3 acknowledgement: someone other than who escalated claims the
  ticket or writes in its thread;
- tier 3 assessment: that person's internal note (``//``) after the acknowledgement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Protocol

from core.common.business_hours import BusinessHours
from core.common.effects import Effect
from core.common.journal import Journal
from core.customers.model import Channel
from core.escalation.ports import Escalations
from core.queue.effects import RefreshHomes
from core.sla.effects import SlaAlert
from core.sla.model import Activity, DueTimer, SlaPolicy, Timer, TimerKind, TimerState
from core.sla.ports import SlaTimers
from core.tickets.model import Ticket, TicketStatus


class SlaTx(Journal, Escalations, SlaTimers, Protocol):
    """What the SLA clock needs from a unit of work."""


TIER_TIMERS: Mapping[int, tuple[TimerKind, ...]] = MappingProxyType(
    {2: (TimerKind.TIER2_RESPONSE,), 3: (TimerKind.TIER3_ACK, TimerKind.TIER3_ASSESSMENT)}
)


@dataclass(slots=True)
class TickResult:
    """What one tick did, for logs and the benchmark."""

    warnings: int = 0
    breaches: int = 0
    auto_closed: list[int] = field(default_factory=list)


class SlaClock:
    """Starts, pauses, resumes and stops a ticket's clocks as the ticket changes."""

    def __init__(self, policy: SlaPolicy | None = None, hours: BusinessHours | None = None) -> None:
        self.policy = policy or SlaPolicy()
        self.hours = hours or BusinessHours()

    # ------------------------------------------------------------------ reacting to the desk

    async def sync(
        self,
        tx: SlaTx,
        ticket: Ticket,
        at: datetime,
        actor: str = "",
        activity: Activity = Activity.OTHER,
    ) -> bool:
        """Bring the ticket's clocks in line with its status and what ``actor`` just did.

        Returns whether any clock changed (the queue then looks different).
        """
        timers = {t.kind: t for t in await tx.timers_of(ticket.id)}
        changed: list[Timer] = []
        if not timers and ticket.status is not TicketStatus.RESOLVED:
            changed += self._start_ticket(ticket, at)
        if activity is not Activity.OTHER:
            changed += await self._activity(tx, ticket, timers, actor, activity, at)
        if ticket.status is TicketStatus.RESOLVED:
            changed += [
                self._end(t, at, TimerState.MET if t.kind is TimerKind.RESOLUTION else TimerState.STOPPED)
                for t in timers.values()
                if _live(t)
            ]
        elif ticket.status is TicketStatus.WAITING_CUSTOMER:
            changed += [self._pause(t, at) for t in timers.values() if t.state is TimerState.RUNNING]
            if not _live(timers.get(TimerKind.AUTO_CLOSE)):
                changed.append(self._new(ticket.id, TimerKind.AUTO_CLOSE, at, warn=False))
        else:
            auto_close = timers.get(TimerKind.AUTO_CLOSE)
            if _live(auto_close):
                assert auto_close is not None
                changed.append(self._end(auto_close, at, TimerState.STOPPED))
            changed += [
                self._resume(t, at)
                for t in timers.values()
                if t.state is TimerState.PAUSED and t.kind is not TimerKind.AUTO_CLOSE
            ]
        if changed:
            await tx.save_timers(_unique(changed))
        return bool(changed)

    async def restart(self, tx: SlaTx, ticket: Ticket, at: datetime) -> None:
        """A reopened ticket: first response and resolution count again from now."""
        stopped = [
            self._end(timer, at, TimerState.STOPPED)
            for timer in await tx.timers_of(ticket.id)
            if timer.kind is TimerKind.AUTO_CLOSE and _live(timer)
        ]
        await tx.save_timers([*self._start_ticket(ticket, at), *stopped])

    async def escalated(self, tx: SlaTx, ticket: Ticket, from_tier: int, at: datetime) -> None:
        """The ticket moved to ``ticket.tier``: the old tier's clocks stop, the new tier's start."""
        old_kinds = TIER_TIMERS.get(from_tier, ())
        stopped = [
            self._end(timer, at, TimerState.STOPPED)
            for timer in await tx.timers_of(ticket.id)
            if timer.kind in old_kinds and _live(timer)
        ]
        await tx.save_timers(
            [*stopped, *(self._new(ticket.id, kind, at) for kind in TIER_TIMERS.get(ticket.tier, ()))]
        )

    async def critical(self, tx: SlaTx, ticket_id: int, at: datetime) -> None:
        """The ticket is critical: its resolution is due within the critical target from its opening."""
        for timer in await tx.timers_of(ticket_id):
            if timer.kind is TimerKind.RESOLUTION and timer.state is TimerState.RUNNING:
                due = self.hours.add(timer.started_at, self.policy.resolution_critical)
                if due < timer.due_at:
                    await tx.save_timers([self._timer(ticket_id, timer.kind, timer.started_at, due)])

    # ------------------------------------------------------------------ the ticker

    async def tick(self, tx: SlaTx, now: datetime, limit: int = 5000) -> TickResult:
        """Give the warnings and record the breaches that are due; list tickets to auto-close."""
        result = TickResult()
        due_now = await tx.due_timers(now, limit)
        breached: list[DueTimer] = []
        alerts: list[Effect] = []
        for due in due_now:
            timer = due.timer
            if timer.kind is TimerKind.AUTO_CLOSE:
                self._end(timer, now, TimerState.MET)
                result.auto_closed.append(timer.ticket_id)
            elif timer.due_at > now:  # only the warning has come
                timer.warn_at = None
                alerts.append(SlaAlert(timer.ticket_id, timer.kind.value, breach=False))
                result.warnings += 1
            else:
                timer.warn_at = None
                timer.state = TimerState.BREACHED
                timer.ended_at = now
                breached.append(due)
                alerts.append(SlaAlert(timer.ticket_id, timer.kind.value, breach=True))
                alerts.append(SlaAlert(timer.ticket_id, timer.kind.value, breach=True, in_channel=True))
                result.breaches += 1
        if due_now:
            await tx.save_timers([due.timer for due in due_now])
        if breached:
            await tx.record_breaches(breached, now)
        if alerts:
            await tx.add_effects([*alerts, RefreshHomes(0)], now)
        return result

    # ------------------------------------------------------------------ clock arithmetic

    def _start_ticket(self, ticket: Ticket, at: datetime) -> list[Timer]:
        return [
            self._timer(ticket.id, TimerKind.FIRST_RESPONSE, at, self.first_response_due(ticket.channel, at)),
            self._new(ticket.id, TimerKind.RESOLUTION, at),
        ]

    def first_response_due(self, channel: Channel, at: datetime) -> datetime:
        """In business hours the channel's target (or the general one) counts in business time.

        After hours the promise is the after-hours target in calendar time, but never due
        before the desk has had its business-hours target's worth of open time.
        """
        business = self.policy.first_response_by_channel.get(channel, self.policy.first_response)
        in_hours = self.hours.add(at, business)
        if self.hours.is_open(at):
            return in_hours
        return max(at + self.policy.first_response_after_hours, in_hours)

    def _new(self, ticket_id: int, kind: TimerKind, at: datetime, *, warn: bool = True) -> Timer:
        return self._timer(ticket_id, kind, at, self.hours.add(at, self.policy.target(kind)), warn=warn)

    def _timer(
        self, ticket_id: int, kind: TimerKind, at: datetime, due: datetime, *, warn: bool = True
    ) -> Timer:
        target = self.hours.elapsed(at, due) or (due - at)
        warn_at = self._warn_at(at, target) if warn else None
        return Timer(ticket_id, kind, TimerState.RUNNING, target, at, due, warn_at)

    def _warn_at(self, start: datetime, left: timedelta, target: timedelta | None = None) -> datetime:
        """When the business time used reaches the warning fraction of the target."""
        target = target if target is not None else left
        before_warning = left - target * (1 - self.policy.warning_fraction)
        return self.hours.add(start, max(before_warning, timedelta(0)))

    def _pause(self, timer: Timer, at: datetime) -> Timer:
        timer.remaining = self.hours.elapsed(at, timer.due_at)
        timer.state = TimerState.PAUSED
        return timer

    def _resume(self, timer: Timer, at: datetime) -> Timer:
        left = timer.remaining or timedelta(0)
        timer.due_at = self.hours.add(at, left)
        if timer.warn_at is not None:
            timer.warn_at = self._warn_at(at, left, timer.target)
        timer.remaining = None
        timer.state = TimerState.RUNNING
        return timer

    @staticmethod
    def _end(timer: Timer, at: datetime, state: TimerState) -> Timer:
        timer.state = state
        timer.ended_at = at
        timer.remaining = None
        return timer

    async def _activity(
        self,
        tx: SlaTx,
        ticket: Ticket,
        timers: dict[TimerKind, Timer],
        actor: str,
        activity: Activity,
        at: datetime,
    ) -> list[Timer]:
        """Which clocks this person's action meets."""
        met: list[Timer] = []
        first = timers.get(TimerKind.FIRST_RESPONSE)
        if activity is Activity.REPLY and _live(first):
            assert first is not None
            met.append(self._end(first, at, TimerState.MET))
        tier_kinds = TIER_TIMERS.get(ticket.tier, ())
        if not any(_live(timers.get(kind)) for kind in tier_kinds):
            return met
        escalation = await tx.last_escalation(ticket.id)
        if escalation is not None and escalation.actor == actor:
            return met  # whoever escalated is waiting for the tier, not answering for it
        assessment = timers.get(TimerKind.TIER3_ASSESSMENT)
        ack = timers.get(TimerKind.TIER3_ACK)
        if activity is Activity.NOTE and _live(assessment) and ack is not None and not _live(ack):
            assert assessment is not None
            met.append(self._end(assessment, at, TimerState.MET))
        for kind in (TimerKind.TIER2_RESPONSE, TimerKind.TIER3_ACK):
            timer = timers.get(kind)
            if kind in tier_kinds and _live(timer):
                assert timer is not None
                met.append(self._end(timer, at, TimerState.MET))
        return met


def _live(timer: Timer | None) -> bool:
    return timer is not None and timer.state in (TimerState.RUNNING, TimerState.PAUSED)


def _unique(timers: list[Timer]) -> list[Timer]:
    seen: dict[tuple[int, TimerKind], Timer] = {}
    for timer in timers:
        seen[(timer.ticket_id, timer.kind)] = timer
    return list(seen.values())
