"""Drives the broadcast engine: batches of 50 through claim, send and record, and the progress ticks.

Like the outbox worker it is woken when work is committed and looks again now and then; the
recipient rows are the durable state, so a restart at any moment resumes where it stopped
(:mod:`core.broadcast.sender` explains why nobody is sent twice).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from bot.workers.wake import Wake, run_every, run_woken
from core.broadcast.sender import BATCH, BroadcastSender
from core.broadcast.service import Broadcasts
from core.common.clock import Clock

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 5.0
ERROR_PAUSE_SECONDS = 1.0


class BroadcastWorker:
    """``lanes`` batch loops (one batch's sends overlap the next one's claim) and a progress ticker."""

    def __init__(
        self,
        sender: BroadcastSender,
        broadcasts: Broadcasts,
        clock: Clock,
        *,
        progress_seconds: float,
        lanes: int = 4,
        batch: int = BATCH,
        wake: Wake | None = None,
    ) -> None:
        self._sender = sender
        self._broadcasts = broadcasts
        self._clock = clock
        self._progress_seconds = progress_seconds
        self._lanes = lanes
        self._batch = batch
        self._wake = wake or Wake()
        self._dirty: set[int] = set()
        self.batches = 0

    def wake(self) -> None:
        """A broadcast was queued, resumed or confirmed: look for due recipients now."""
        self._wake()

    async def run(self) -> None:
        """Recover a crash's unfinished sends, then loop forever (cancel to stop)."""
        recovered = await self._sender.recover()
        if recovered:
            log.warning(
                "%d broadcast sends were under way at the last stop: waiting for their statuses", recovered
            )
        tasks = [asyncio.create_task(run_woken(self._lane, self._wake)) for _ in range(self._lanes)]
        progress = run_every(
            self._progress_seconds, self._redraw, log, "broadcast progress failed", first_after=True
        )
        tasks.append(asyncio.create_task(progress))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task

    async def _lane(self) -> float:
        """One batch through claim, send and record; when none was due, how long to wait for one."""
        try:
            touched = await self._sender.run_batch(self._batch)
        except Exception:
            log.exception("broadcast batch failed")
            await asyncio.sleep(ERROR_PAUSE_SECONDS)
            return 0
        if touched:
            self.batches += 1
            self._dirty.update(touched)
            return 0
        return await self._idle()

    async def _idle(self) -> float:
        """Nothing due: finish what is complete; then wait until woken or the next deferral."""
        try:
            done = await self._broadcasts.finish_idle()
            self._dirty.difference_update(done)
            next_due = await self._broadcasts.next_due()
        except Exception:
            log.exception("broadcast bookkeeping failed")
            next_due = None
        timeout = IDLE_POLL_SECONDS
        if next_due is not None:
            timeout = min(timeout, max((next_due - self._clock.now()).total_seconds(), 0.01))
        return timeout

    async def _redraw(self) -> None:
        """Redraw the progress of the broadcasts that moved (every few seconds); a failure keeps them."""
        dirty, self._dirty = self._dirty | self._broadcasts.take_moved(), set()
        try:
            await self._broadcasts.show_progress(sorted(dirty))
            done = await self._broadcasts.finish_idle()
        except Exception:
            self._dirty.update(dirty)
            raise
        self._dirty.difference_update(done)
