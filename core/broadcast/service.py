"""Broadcasts as use cases: enqueue, preview, pause, resume, cancel, and delivery statuses.

Each call is one transaction. Enqueueing writes the broadcast, one row per recipient and the
progress message's effect together, then wakes the worker; nothing is sent here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.broadcast.effects import ShowBroadcast
from core.broadcast.model import (
    Broadcast,
    BroadcastState,
    Preview,
    RecipientState,
    SkipReason,
    Tally,
    Via,
    recipient_of,
)
from core.broadcast.ports import BroadcastRecords, BroadcastSends
from core.broadcast.routing import WINDOW, Router, RoutingPolicy, quota
from core.common.clock import Clock
from core.common.journal import Journal
from core.customers.model import Channel
from core.tickets.model import DeliveryState, DeliveryUpdate
from core.unit_of_work import Store


class BroadcastTx(Journal, BroadcastRecords, BroadcastSends, Protocol):
    """What the broadcast engine needs from a unit of work."""


_STATES = {
    DeliveryState.SENT: RecipientState.SENT,
    DeliveryState.DELIVERED: RecipientState.DELIVERED,
    DeliveryState.READ: RecipientState.READ,
    DeliveryState.FAILED: RecipientState.FAILED,
}


@dataclass(frozen=True, slots=True)
class NewBroadcast:
    """A broadcast to queue (see :meth:`Broadcasts.enqueue` for what each field means)."""

    kind: str
    key: str
    customer_ids: tuple[int, ...]
    text: str
    template: str = ""
    actor: str = "system"
    progress_thread: str | None = None
    show_progress: bool = True


class Broadcasts:
    """The broadcast engine's entry point for features (crises, proactive journeys)."""

    def __init__(
        self,
        store: Store[BroadcastTx],
        clock: Clock,
        channels: Sequence[Channel],
        routing: RoutingPolicy | None = None,
        on_commit: Callable[[], None] = lambda: None,
        on_progress: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._channels = tuple(channels)
        self._routing = routing or RoutingPolicy()
        self._on_commit = on_commit
        self._on_progress = on_progress
        self.moved: set[int] = set()
        self.stopped: dict[int, BroadcastState] = {}
        """Broadcasts paused or cancelled by this process: the sender drops their claimed,
        not yet sent recipients (back to the queue, or skipped) instead of sending them."""

    async def enqueue(
        self,
        kind: str,
        key: str,
        customer_ids: Sequence[int],
        text: str,
        template: str = "",
        *,
        actor: str = "system",
        progress_thread: str | None = None,
        show_progress: bool = True,
    ) -> int:
        """Queue ``text`` for every customer; returns the broadcast id.

        ``key`` makes it idempotent: the same key again returns the first broadcast and queues
        nothing. ``template`` is the approved WhatsApp template used outside the 24-hour
        window (its one body variable is ``text``); without one those customers are skipped.
        Opted-out customers are skipped when their turn comes. ``show_progress`` posts a
        progress message on the desk (in ``progress_thread`` if given).
        """
        request = NewBroadcast(
            kind, key, tuple(customer_ids), text, template, actor, progress_thread, show_progress
        )
        async with self._store.transaction() as tx:
            broadcast_id = await self.enqueue_within(tx, request)
        self._on_commit()
        return broadcast_id

    def wake(self) -> None:
        """Work was committed by a caller's own unit of work (:meth:`enqueue_within`): look now."""
        self._on_commit()

    async def enqueue_within(self, tx: BroadcastTx, request: NewBroadcast) -> int:
        """:meth:`enqueue` inside a unit of work the caller commits (then the caller wakes the worker)."""
        if not request.text.strip():
            raise ValueError("a broadcast needs a message")
        at = self._clock.now()
        broadcast_id, new = await tx.add_broadcast(
            request.kind,
            request.key,
            request.text,
            request.template,
            request.actor,
            at,
            request.progress_thread,
        )
        if new:
            await tx.add_recipients(broadcast_id, request.customer_ids)
            await tx.record_event(
                None, request.actor, "broadcast_queued", at, f"{request.kind} #{broadcast_id}"
            )
            if request.show_progress:
                await tx.add_effect(ShowBroadcast(0, broadcast_id), at)
        return broadcast_id

    async def preview(self, customer_ids: Sequence[int], template: str) -> Preview:
        """How many would get free text now, the template now, the template later, or nothing."""
        now = self._clock.now()
        async with self._store.snapshot() as tx:
            facts = await tx.audience_facts(customer_ids)
            counted, reached, oldest = await tx.template_recipients_since(now - WINDOW, customer_ids)
        left = quota(self._routing.daily_limit, counted, reached, oldest)
        router = Router(frozenset(self._channels), self._routing, now, left)
        counts = {"text": 0, "template": 0, "later": 0, "opted_out": 0, "unreachable": 0}
        later_from: datetime | None = None
        for fact in facts:
            decision = router.route(fact, template)
            if decision.via is not None:
                counts["text" if decision.via is Via.TEXT else "template"] += 1
            elif decision.skip is SkipReason.OPTED_OUT:
                counts["opted_out"] += 1
            elif decision.skip is not None:
                counts["unreachable"] += 1
            else:
                counts["later"] += 1
                later_from = later_from or decision.later
        return Preview(
            total=len(facts),
            text_now=counts["text"],
            template_now=counts["template"],
            later=counts["later"],
            later_from=later_from,
            opted_out=counts["opted_out"],
            unreachable=counts["unreachable"],
        )

    async def pause(self, broadcast_id: int, actor: str) -> Broadcast | None:
        """Stop sending (sends under way finish); None when it is not running."""
        return await self._move(broadcast_id, actor, BroadcastState.PAUSED, {BroadcastState.RUNNING})

    async def resume(self, broadcast_id: int, actor: str) -> Broadcast | None:
        """Send again after a pause; None when it is not paused."""
        return await self._move(broadcast_id, actor, BroadcastState.RUNNING, {BroadcastState.PAUSED})

    async def cancel(self, broadcast_id: int, actor: str) -> Broadcast | None:
        """Give up on everyone not yet sent to; None when it had finished already."""
        return await self._move(
            broadcast_id, actor, BroadcastState.CANCELLED, {BroadcastState.RUNNING, BroadcastState.PAUSED}
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        async with self._store.snapshot() as tx:
            return await tx.get_broadcast(broadcast_id)

    async def tally(self, broadcast_id: int) -> Tally:
        """Recipients by state and reason."""
        async with self._store.snapshot() as tx:
            return await tx.broadcast_tally(broadcast_id)

    async def show_progress(self, broadcast_ids: Sequence[int]) -> None:
        """Redraw these broadcasts' progress messages (the worker calls this every few seconds)."""
        if not broadcast_ids:
            return
        at = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.add_effects([ShowBroadcast(0, broadcast_id) for broadcast_id in broadcast_ids], at)
        self._on_progress()

    async def finish_idle(self) -> list[int]:
        """Mark broadcasts with nobody left to send done, and show their final tally."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            done = await tx.finish_idle_broadcasts(at)
            for broadcast_id in done:
                await tx.record_event(None, "system", "broadcast_done", at, f"#{broadcast_id}")
            await tx.add_effects([ShowBroadcast(0, broadcast_id) for broadcast_id in done], at)
        if done:
            self._on_progress()
        return done

    async def next_due(self) -> datetime | None:
        """When the earliest waiting recipient becomes due (a daily-limit deferral, a grace period)."""
        async with self._store.snapshot() as tx:
            return await tx.next_recipient_due()

    async def record_status(self, tx: BroadcastTx, update: DeliveryUpdate) -> None:
        """A delivery status about a broadcast message moves its recipient row forward.

        Matched by message id, or by the tracker the send carried when the message id was never
        recorded (the process died mid-send): that is what confirms an unconfirmed row. Runs in
        the transaction that applies the webhook; the broadcast's progress is redrawn at the
        next tick, even after it finished (delivered and read keep coming).
        """
        state = _STATES.get(update.state)
        if state is None:
            return
        reason = update.reason.value if update.reason is not None else None
        moved = await tx.recipient_status(
            update.external_id, recipient_of(update.tracker), state, reason, update.detail, update.at
        )
        if moved is not None:
            self.moved.add(moved)

    def take_moved(self) -> set[int]:
        """Broadcasts whose recipients' statuses changed since the last call."""
        moved, self.moved = self.moved, set()
        return moved

    async def _move(
        self, broadcast_id: int, actor: str, to: BroadcastState, allowed: set[BroadcastState]
    ) -> Broadcast | None:
        at = self._clock.now()
        async with self._store.transaction() as tx:
            broadcast = await tx.get_broadcast(broadcast_id)
            if broadcast is None or broadcast.state not in allowed:
                return None
            await tx.set_broadcast_state(broadcast_id, to, at)
            if to is BroadcastState.CANCELLED:
                await tx.skip_queued(broadcast_id, SkipReason.CANCELLED.value)
            await tx.record_event(None, actor, f"broadcast_{to.value}", at, f"#{broadcast_id}")
            await tx.add_effect(ShowBroadcast(0, broadcast_id), at)
            moved = await tx.get_broadcast(broadcast_id)
        if to is BroadcastState.RUNNING:
            self.stopped.pop(broadcast_id, None)
        else:
            self.stopped[broadcast_id] = to
        self._on_commit()
        self._on_progress()
        return moved
