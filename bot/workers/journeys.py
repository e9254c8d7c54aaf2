"""Runs the proactive journeys once a day: at the first look after quiet hours end (08:00 by default).

The decisions (who is due, what the ledger already has, whether it is quiet) are the core's
and durable, so this loop only looks every few minutes; time comes from the injected Clock,
so tests move the clock and call :meth:`JourneyWorker.tick` instead of sleeping.
"""

from __future__ import annotations

import logging

from bot.workers.wake import run_every
from core.journeys.run import Journeys, RunResult

log = logging.getLogger(__name__)


class JourneyWorker:
    """Calls :meth:`Journeys.run_daily` every ``interval`` seconds."""

    def __init__(self, journeys: Journeys, interval: float) -> None:
        self._journeys = journeys
        self._interval = interval

    async def tick(self) -> RunResult | None:
        """One look now; the run's result when today's run happened now."""
        result = await self._journeys.run_daily()
        if result is not None:
            log.info("journeys: %d messages queued %s", result.total, dict(result.queued))
        return result

    async def run(self) -> None:
        """Loop forever (cancel to stop); a failing run is logged and tried again next time.

        The first look is one interval after the start, so a bot started with an empty
        database (or just before the platform's nightly push) does not spend the day's run
        on nothing.
        """
        await run_every(self._interval, self.tick, log, "journeys run failed", first_after=True)
