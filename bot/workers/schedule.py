"""Runs the desk's scheduled jobs: for now, the weekly report to the supervisors' channel.

The decision (is it due, was it sent) is the core's and durable (a claimed key per week), so
this loop only has to look now and then; a restart at any moment neither skips nor repeats.
"""

from __future__ import annotations

import logging

from bot.workers.wake import run_every
from core.reports.desk import ReportDesk

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 60.0


class ScheduleWorker:
    """Checks once a minute whether the weekly report is due."""

    def __init__(self, reports: ReportDesk, channel: str, weekday: int, hour: int) -> None:
        self._reports = reports
        self._channel = channel
        self._weekday = weekday
        self._hour = hour

    async def tick(self) -> bool:
        """Queue the weekly report if it is due; True when it was queued now."""
        return await self._reports.weekly_if_due(self._channel, self._weekday, self._hour)

    async def run(self) -> None:
        """Loop forever (cancel to stop); an error is logged and retried at the next check."""
        await run_every(CHECK_EVERY_SECONDS, self.tick, log, "weekly report check failed")
