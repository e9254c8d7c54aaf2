"""Asking for reports: the periods, the weekly schedule, and the ports a report is built through.

A report is posted by the outbox (a :class:`core.reports.effects.PostReport` row), whether a supervisor
typed ``/suporte relatorio`` or the weekly schedule came due: the request is durable, its
window is fixed when asked, and a crash before posting only delays it. :class:`ReportPoster`
carries the row out: the metrics are counted where the rows are (a month is a million
messages), the summary is written, a :class:`ReportBoard` shows both, the QA triggers read the
numbers, and the raw rows follow as CSV when asked (the only case that reads one row per ticket).
The weekly report claims its week's key in the same transaction, so it goes out once per week
even across restarts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.common.journal import Journal
from core.reports import texts as report_texts
from core.reports.effects import PostReport
from core.reports.model import CostPolicy, Report
from core.reports.ports import ReportBoard, ReportSource
from core.unit_of_work import Store


class ReportTx(Journal, Protocol):
    """What posting a report needs from a unit of work."""


class Period(StrEnum):
    """The report windows a supervisor can ask for, by the word they type."""

    TODAY = "hoje"
    WEEK = "semana"
    MONTH = "mes"


def window(period: Period, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """``[start, end)`` of a period ending now: today since local midnight, the last 7 or 30 days."""
    if period is Period.TODAY:
        midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
        return midnight, now
    days = 7 if period is Period.WEEK else 30
    return now - timedelta(days=days), now


def weekly_slot(now: datetime, weekday: int, hour: int, zone: ZoneInfo) -> tuple[str, datetime] | None:
    """The current week's key and scheduled moment, once that moment has passed (else None).

    Weeks are ISO weeks in the desk's time zone; ``weekday`` 0 is Monday.
    """
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    moment = datetime.combine(monday + timedelta(days=weekday), time(hour), tzinfo=zone)
    if local < moment:
        return None
    year, week, _ = monday.isocalendar()
    return f"report:weekly:{year}-W{week:02d}", moment


class ReportPoster:
    """Carries out :class:`PostReport`: count, write, show, then let the QA triggers read it."""

    def __init__(
        self,
        source: ReportSource,
        board: ReportBoard,
        hours: BusinessHours,
        cost: CostPolicy,
        after: Callable[[Report], Awaitable[object]] | None = None,
    ) -> None:
        self._source = source
        self._board = board
        self._hours = hours
        self._cost = cost
        self._after = after
        """Runs on each computed report once it is posted (the QA triggers read it)."""

    async def run(self, effect: PostReport) -> None:
        start, end = datetime.fromisoformat(effect.start), datetime.fromisoformat(effect.end)
        report = await self._source.report(start, end, end, self._hours, self._cost)
        zone = self._hours.zone
        summary = report_texts.summary(
            report, effect.period, (report.start.astimezone(zone), report.end.astimezone(zone))
        )
        summary_ref = await self._board.post_report(effect.channel, summary, report)
        if self._after is not None:
            await self._after(report)
        if effect.csv:
            tickets = (await self._source.load(start, end, end)).tickets
            await self._board.post_rows(effect.channel, summary_ref, tickets)


class ReportDesk:
    """Use cases that ask for a report; each is one transaction, then the outbox is woken."""

    def __init__(
        self,
        store: Store[ReportTx],
        clock: Clock,
        zone: ZoneInfo,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._zone = zone
        self._on_commit = on_commit

    async def request(self, period: Period, channel: str, requested_by: str, *, csv: bool = False) -> None:
        """A supervisor asked for a report: it will be posted to ``channel``."""
        now = self._clock.now()
        start, end = window(period, now, self._zone)
        async with self._store.transaction() as tx:
            await tx.add_effect(
                PostReport(0, channel, period.value, start.isoformat(), end.isoformat(), csv, requested_by),
                now,
            )
            await tx.record_event(
                None, requested_by, "report.requested", now, detail=f"{period.value} {channel}"
            )
        self._on_commit()

    async def weekly_if_due(self, channel: str, weekday: int, hour: int) -> bool:
        """Queue this week's report if its moment has passed and it was not queued yet."""
        now = self._clock.now()
        slot = weekly_slot(now, weekday, hour, self._zone)
        if slot is None:
            return False
        key, moment = slot
        async with self._store.transaction() as tx:
            if not await tx.claim_key(key, now):
                return False
            start = moment - timedelta(days=7)
            await tx.add_effect(
                PostReport(0, channel, Period.WEEK.value, start.isoformat(), moment.isoformat()), now
            )
            await tx.record_event(None, "schedule", "report.weekly", now, detail=key)
        self._on_commit()
        return True
