"""Runs the SLA clock: every few seconds, one tick gives due warnings, records breaches and
auto-closes tickets left waiting for the customer.

Due times are stored, so the ticker holds no state of its own: after a restart the first
tick catches up with whatever came due meanwhile. Time comes from the injected Clock, so
tests move the clock and call :meth:`SlaTicker.tick` instead of sleeping.
"""

from __future__ import annotations

import logging

from bot.workers.wake import run_every
from core.sla.clock import TickResult
from core.tickets.service import SupportDesk

log = logging.getLogger(__name__)


class SlaTicker:
    """Calls :meth:`SupportDesk.sla_tick` every ``interval`` seconds."""

    def __init__(self, support: SupportDesk, interval: float) -> None:
        self._support = support
        self._interval = interval
        self.ticks = 0
        self.warnings = 0
        self.breaches = 0
        self.auto_closed = 0

    async def tick(self) -> TickResult:
        """One tick now."""
        result = await self._support.sla_tick()
        self.ticks += 1
        self.warnings += result.warnings
        self.breaches += result.breaches
        self.auto_closed += len(result.auto_closed)
        if result.warnings or result.breaches or result.auto_closed:
            log.info(
                "SLA tick: %d warnings, %d breaches, %d auto-closed",
                result.warnings,
                result.breaches,
                len(result.auto_closed),
            )
        return result

    async def run(self) -> None:
        """Loop forever (cancel to stop); a failing tick is logged and tried again next time."""
        await run_every(self._interval, self.tick, log, "SLA tick failed")
