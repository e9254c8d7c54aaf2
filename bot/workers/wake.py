"""The one loop every worker runs: a step, then a wait until the next interval or until woken.

A :class:`Wake` is a worker's doorbell. It is made before the worker and before whatever
commits the worker's work (the desk, the broadcast service...), so both sides get the same
object and nobody needs the worker to exist first. Waiting always ends on a stop:
see :meth:`Wake.wait`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

__all__ = ["Wake", "run_every", "run_woken"]

Step = Callable[[], Awaitable[float | None]]
"""One pass of a worker; returns how long to wait before the next (0: go on at once, None: until woken)."""


class Wake:
    """Rung (``wake()``) when there is new work; the worker waits on it between passes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def __call__(self) -> None:
        """There is new work: the waiting worker looks now."""
        self._event.set()

    def clear(self) -> None:
        """A pass starts: work committed from now on rings again."""
        self._event.clear()

    async def wait(self, timeout: float | None) -> None:
        """Return when rung or ``timeout`` seconds have passed (None: only when rung).

        ``asyncio.wait_for`` on Python 3.11 swallows a cancellation that arrives in the same loop
        turn as the event (gh-86296): a worker stopped just as new work woke it would go on looping,
        and stopping the bot waited out its 10 s limit. ``asyncio.timeout`` tells its own deadline
        from a cancellation, so a stop always goes through.
        """
        if timeout is None:
            await self._event.wait()
            return
        with suppress(TimeoutError):
            async with asyncio.timeout(max(timeout, 0.001)):
                await self._event.wait()


async def run_woken(step: Step, wake: Wake | None = None) -> None:
    """Run ``step`` forever (cancel to stop), waiting between passes for as long as it asks.

    Without a ``wake`` the wait is a plain sleep; a step that asks to wait until woken then
    must not return None.
    """
    while True:
        if wake is not None:
            wake.clear()
        timeout = await step()
        if timeout == 0:
            continue
        if wake is not None:
            await wake.wait(timeout)
        else:
            assert timeout is not None, "a worker with no wake-up asked to wait for one"
            await asyncio.sleep(timeout)


async def run_every(
    interval: float,
    tick: Callable[[], Awaitable[object]],
    log: logging.Logger,
    failure: str,
    *,
    first_after: bool = False,
) -> None:
    """Call ``tick`` every ``interval`` seconds, forever (cancel to stop).

    A failing tick is logged (``failure``, on the worker's own logger) and tried again at the
    next one. The first tick is at once, or one interval after the start with ``first_after``.
    """

    async def step() -> float:
        try:
            await tick()
        except Exception:
            log.exception(failure)
        return interval

    if first_after:
        await asyncio.sleep(interval)
    await run_woken(step)
