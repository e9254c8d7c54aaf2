"""Sends one batch of a broadcast: claim durably, send, record.

The guarantee against sending anyone twice rests on the order of three steps:

1. **Claim** (one transaction): the batch's rows move from ``queued`` to ``sending`` with the
   route chosen (text or template), or to ``skipped``, or back to the queue for later (the
   daily limit). Committed before any send starts.
2. **Send** (no transaction open): each send carries the row's tracker
   (``biz_opaque_callback_data``), which WhatsApp echoes in the message's status webhooks.
3. **Record** (one transaction): ``sent`` with the message id, or ``failed`` with a reason.

A kill before 1 commits leaves the rows ``queued``: nothing was sent, they are sent after the
restart. A kill after 3 leaves nothing to do. A kill between 1 and 3 leaves rows ``sending``
whose request may or may not have reached WhatsApp: at start they become ``unconfirmed``; the
status webhook of a message that did go (WhatsApp always sends one, and re-delivers it while we
are down) carries the tracker and marks its row sent; a row still unconfirmed after the grace
period never reached WhatsApp and is sent then. A request that timed out is treated the same way.
So a duplicate needs WhatsApp to accept a message and then fail to report it for the whole
grace period; nothing is ever lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.broadcast.model import (
    BroadcastState,
    Claimed,
    Outcome,
    RecipientState,
    SkipReason,
    Via,
    personal,
    tracker,
)
from core.broadcast.pacing import Pacer
from core.broadcast.ports import BroadcastSends
from core.broadcast.routing import WINDOW, Router, RoutingPolicy, quota
from core.common.clock import Clock
from core.common.errors import PermanentError, TransientError
from core.common.retry import backoff
from core.customers.model import Channel
from core.delivery.ports import CustomerChannel
from core.tickets.model import FailureReason
from core.unit_of_work import Store


class SenderTx(BroadcastSends, Protocol):
    """What the broadcast sender needs from a unit of work."""


log = logging.getLogger(__name__)

BATCH = 50
"""The playbook's batch size (``send_batch_whatsapp_messages(..., batch_size=50)``)."""


@dataclass(frozen=True, slots=True)
class SendPolicy:
    """How the engine sends, beyond the platform rules of :class:`RoutingPolicy`."""

    routing: RoutingPolicy = RoutingPolicy()
    max_attempts: int = 8
    """Throttling and server errors retried this many times per recipient before it fails."""
    retry_base: float = 1.0
    confirm_grace: timedelta = timedelta(minutes=5)
    """How long a send of unknown outcome waits for its status webhook before it is sent again."""
    language: str = "pt_BR"
    held_until: Callable[[str, datetime], datetime | None] | None = None
    """``(kind, now)``: until when a broadcast of that kind may not send (journeys' quiet hours)."""


@dataclass(slots=True)
class _Send:
    recipient: Claimed
    via: Via


class BroadcastSender:
    """Moves due recipient rows through claim, send and record, a batch at a time."""

    def __init__(
        self,
        store: Store[SenderTx],
        channels: Mapping[Channel, CustomerChannel],
        pacers: Mapping[Channel, Pacer],
        clock: Clock,
        policy: SendPolicy | None = None,
        stopped: Mapping[int, BroadcastState] | None = None,
    ) -> None:
        self._store = store
        self._channels = channels
        self._pacers = pacers
        self._clock = clock
        self._policy = policy or SendPolicy()
        self._stopped: Mapping[int, BroadcastState] = stopped if stopped is not None else {}

    async def recover(self) -> int:
        """At start: sends a previous process left under way may have gone; wait for their statuses."""
        async with self._store.transaction() as tx:
            return await tx.unconfirm_sending(self._clock.now() + self._policy.confirm_grace)

    async def run_batch(self, size: int = BATCH) -> list[int]:
        """Claim, send and record one batch; returns the broadcasts it touched (empty: nothing due)."""
        sends, touched = await self._claim(size)
        if sends:
            outcomes = await asyncio.gather(*(self._send(send) for send in sends))
            async with self._store.transaction() as tx:
                await tx.finish_recipients(outcomes, self._clock.now())
        return touched

    async def _claim(self, size: int) -> tuple[list[_Send], list[int]]:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            claimed = await tx.claimable_recipients(now, size)
            if not claimed:
                return [], []
            router = await self._router(tx, now, [c.customer_id for c in claimed])
            sends: list[_Send] = []
            skipped: list[Outcome] = []
            later: list[tuple[int, datetime]] = []
            held = self._policy.held_until
            for c in claimed:
                if held is not None and (until := held(c.kind, now)) is not None:
                    later.append((c.id, until))
                    continue
                decision = router.route(c, c.template)
                if decision.via is not None:
                    sends.append(_Send(c, decision.via))
                elif decision.skip is not None:
                    skipped.append(Outcome(c.id, RecipientState.SKIPPED, reason=decision.skip.value))
                elif decision.later is not None:
                    later.append((c.id, decision.later))
            await tx.start_sends([(s.recipient.id, s.via) for s in sends])
            await tx.finish_recipients(skipped, now)
            await tx.defer_recipients(later)
        return sends, sorted({c.broadcast_id for c in claimed})

    async def _router(self, tx: SenderTx, now: datetime, customer_ids: list[int]) -> Router:
        limit = self._policy.routing.daily_limit
        left = quota(limit, 0, set(), None)  # no daily limit: nothing to count
        if limit > 0:
            counted, reached, oldest = await tx.template_recipients_since(now - WINDOW, customer_ids)
            left = quota(limit, counted, reached, oldest)
        return Router(frozenset(self._channels), self._policy.routing, now, left)

    async def _send(self, send: _Send) -> Outcome:
        """One recipient, retried in place while the platform throttles (the row stays claimed)."""
        c = send.recipient
        channel = self._channels[c.channel]
        pacer = self._pacers[c.channel]
        attempt = 0
        while True:
            attempt += 1
            if (halted := self._halted(c)) is not None:
                return halted
            await pacer.slot()
            if (halted := self._halted(c)) is not None:
                return halted
            try:
                text = personal(c.body, c.name)
                if send.via is Via.TEMPLATE:
                    external_id = await channel.send_template(
                        c.address, c.template, self._policy.language, text, tracker=tracker(c.id)
                    )
                else:
                    external_id = await channel.send_text(c.address, text, tracker=tracker(c.id))
                return Outcome(c.id, RecipientState.SENT, external_id=external_id)
            except PermanentError as error:
                return Outcome(c.id, RecipientState.FAILED, reason=error.reason.value, detail=str(error))
            except TransientError as error:
                if error.maybe_sent:
                    return self._unconfirmed(c, str(error))
                if attempt >= self._policy.max_attempts:
                    reason = error.reason or FailureReason.UNKNOWN
                    return Outcome(c.id, RecipientState.FAILED, reason=reason.value, detail=str(error))
                pacer.pause(error.retry_after or backoff(attempt, self._policy.retry_base, cap=60))
            except (
                Exception
            ) as error:  # a bug or an unexpected answer: it may have gone, do not resend blindly
                log.exception("broadcast send to recipient %s failed", c.id)
                return self._unconfirmed(c, f"{type(error).__name__}: {error}")

    def _halted(self, c: Claimed) -> Outcome | None:
        """A claimed recipient whose broadcast was paused (back to the queue) or cancelled meanwhile."""
        state = self._stopped.get(c.broadcast_id)
        if state is BroadcastState.PAUSED:
            return Outcome(c.id, RecipientState.QUEUED)
        if state is BroadcastState.CANCELLED:
            return Outcome(c.id, RecipientState.SKIPPED, reason=SkipReason.CANCELLED.value)
        return None

    def _unconfirmed(self, c: Claimed, detail: str) -> Outcome:
        retry_at = (self._clock.now() + self._policy.confirm_grace).timestamp()
        return Outcome(c.id, RecipientState.UNCONFIRMED, detail=detail, retry_at=retry_at)
