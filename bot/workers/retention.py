"""Retention: message bodies older than ``RETENTION_DAYS`` are blanked, a few times a day."""

from __future__ import annotations

import logging

from bot.workers.wake import run_every
from core.common.clock import Clock
from core.privacy.requests import Privacy

log = logging.getLogger(__name__)

EVERY_SECONDS = 6 * 3600


class RetentionWorker:
    """Runs the retention rule at start and then periodically."""

    def __init__(self, privacy: Privacy, clock: Clock, days: int) -> None:
        self._privacy = privacy
        self._clock = clock
        self._days = days

    async def run_once(self) -> int:
        expired = await self._privacy.expire(self._clock.now(), self._days)
        if expired:
            log.info("retention: blanked %d message bodies older than %d days", expired, self._days)
        return expired

    async def run(self) -> None:
        """Loop forever (cancel to stop); a failed pass is retried at the next one."""
        await run_every(EVERY_SECONDS, self.run_once, log, "retention pass failed")
