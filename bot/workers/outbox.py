"""Delivers outbox rows: in order within a lane, lanes in parallel, retries with backoff.

A platform's ``Retry-After`` pauses every lane of that platform until it passes, since
rate limits there are per app or per channel, not per conversation. A target may have a
budget of its own (the AI's jobs, which can wait seconds on a remote model): its rows
never take more workers than that, so a burst of AI work cannot hold the workers that
show customers' messages on the desk.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Mapping
from contextlib import suppress

from bot.workers.wake import Wake, run_woken
from core.common.effects import Effect
from core.common.errors import OutcomeNotRecorded, PermanentError, TransientError
from core.common.retry import backoff, gives_up
from core.delivery.registry import effect_from_row
from core.delivery.runner import EffectRunner
from storage.sqlite.queues import Outbox, OutboxRow

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 5.0
BUSY_POLL_SECONDS = 0.25


class OutboxWorker:
    """Runs effects from the outbox through an :class:`EffectRunner`."""

    def __init__(
        self,
        outbox: Outbox,
        runner: EffectRunner,
        *,
        max_attempts: int,
        concurrency: int,
        retry_base: float,
        budgets: Mapping[str, int] | None = None,
        wake: Wake | None = None,
    ) -> None:
        self._outbox = outbox
        self._runner = runner
        self._max_attempts = max_attempts
        self._concurrency = concurrency
        self._retry_base = retry_base
        self._wake = wake or Wake()
        """Rung by whatever commits rows (made first, so the desk and this worker share it)."""
        self._busy: set[str] = set()
        self._budgets = dict(budgets or {})
        """Most rows of these targets delivered at once (out of ``concurrency``)."""
        self._running: Counter[str] = Counter()
        self._paused: dict[str, float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.delivered = 0
        self.retried = 0
        self.dead = 0
        self.rejected = 0

    def wake(self) -> None:
        """New rows were committed (or a lane became free)."""
        self._wake()

    async def run(self) -> None:
        """Loop forever (cancel to stop); in-flight deliveries are cancelled with it."""
        try:
            await run_woken(self._start_due, self._wake)
        finally:
            for task in list(self._tasks):
                task.cancel()
            for task in list(self._tasks):
                with suppress(asyncio.CancelledError):
                    await task

    async def _start_due(self) -> float | None:
        """Start the rows due on free lanes; when none, how long to wait for the next (or a wake-up)."""
        now = time.time()
        skipped = {target for target, until in self._paused.items() if until > now}
        skipped.update(t for t, most in self._budgets.items() if self._running[t] >= most)
        free = self._concurrency - len(self._busy)
        rows = await self._outbox.due(now, self._busy, skipped, free) if free > 0 else []
        rows = self._within_budgets(rows)
        for row in rows:
            self._start(row)
        if rows:
            return 0
        return await self._idle_wait(now)

    async def _idle_wait(self, now: float) -> float:
        """Until woken (new rows, a lane freed), or until the next retry or pause comes due."""
        self._paused = {target: until for target, until in self._paused.items() if until > now}
        deadlines = list(self._paused.values())
        if self._busy:
            # a delivery in flight wakes us when it ends; meanwhile look again soon anyway
            deadlines.append(now + BUSY_POLL_SECONDS)
        else:
            next_due = await self._outbox.next_due_at()
            if next_due is not None and next_due > now:
                deadlines.append(next_due)
        return min([IDLE_POLL_SECONDS, *(deadline - now for deadline in deadlines)])

    def _within_budgets(self, rows: list[OutboxRow]) -> list[OutboxRow]:
        """The rows to start now: those of a budgeted target only up to what it has left."""
        room = {target: most - self._running[target] for target, most in self._budgets.items()}
        chosen = []
        for row in rows:
            target = _target(row.lane)
            if target in room:
                if room[target] <= 0:
                    continue
                room[target] -= 1
            chosen.append(row)
        return chosen

    def _start(self, row: OutboxRow) -> None:
        self._busy.add(row.lane)
        self._running[_target(row.lane)] += 1
        task = asyncio.create_task(self._deliver(row))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, row: OutboxRow) -> None:
        effect = effect_from_row(row.kind, row.payload)
        try:
            await self._runner.run(effect, retry=row.attempts > 0)
            await self._outbox.finish(row.id, "done", time.time())
            self.delivered += 1
        except PermanentError as error:
            log.warning("outbox %s %s refused: %s", row.id, row.kind, error)
            # what the refusal causes is stored before the row is closed: a crash in between
            # repeats the explanation rather than losing it, and no one sees an idle queue early
            await self._report(row, self._runner.rejected(effect, error))
            await self._outbox.finish(row.id, "failed", time.time(), str(error))
            self.rejected += 1
        except OutcomeNotRecorded as error:
            # the platform already has it: running the row again would send it again
            log.error("outbox %s %s not retried: %s", row.id, row.kind, error, exc_info=error.__cause__)
            await self._outbox.finish(row.id, "dead", time.time(), str(error))
            self.dead += 1
        except Exception as error:  # transient, or a bug: retry either way, never lose the row
            await self._failed(row, effect, error)
        finally:
            self._busy.discard(row.lane)
            self._running[_target(row.lane)] -= 1
            self._wake()

    async def _report(self, row: OutboxRow, report: Awaitable[None]) -> None:
        """Store what a refused or abandoned row causes; a failure there must not keep the row alive."""
        try:
            await report
        except Exception:
            log.exception("outbox %s %s: reporting its failure failed", row.id, row.kind)

    async def _failed(self, row: OutboxRow, effect: Effect, error: Exception) -> None:
        attempts = row.attempts + 1
        detail = str(error) or type(error).__name__
        if not isinstance(error, TransientError):
            log.exception("outbox %s %s crashed", row.id, row.kind, exc_info=error)
        if gives_up(effect, attempts, self._max_attempts, transient=isinstance(error, TransientError)):
            log.error("outbox %s %s dead after %d attempts: %s", row.id, row.kind, attempts, detail)
            await self._report(row, self._runner.gave_up(effect, attempts, detail))  # first, as above
            await self._outbox.finish(row.id, "dead", time.time(), detail)
            self.dead += 1
            return
        retry_after = error.retry_after if isinstance(error, TransientError) else None
        now = time.time()
        if retry_after is not None:
            target = _target(row.lane)
            self._paused[target] = max(self._paused.get(target, 0.0), now + retry_after)
        delay = retry_after if retry_after is not None else backoff(attempts, self._retry_base)
        await self._outbox.retry(row.id, now + delay, detail)
        self.retried += 1


def _target(lane: str) -> str:
    """The platform (or job kind) a lane belongs to: ``desk:12`` -> ``desk``."""
    return lane.partition(":")[0]
