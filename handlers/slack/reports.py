"""Reports in Slack: the ``/suporte relatorio`` subcommand, and posting a computed report with charts.

The subcommand only queues the report (a durable outbox row) and answers at once; the
outbox then runs :meth:`SlackReportPoster.run`, which has the metrics counted in SQL (a month
is a million messages: they stay in the database), writes the summary and draws the charts
in a worker thread (CPU work that must not stall the event loop), posts the summary, uploads
the charts and, when asked, the raw rows as CSV (the only case that reads one row per ticket).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from core.common.business_hours import BusinessHours
from core.common.spreadsheet import csv_text
from core.effects import PostReport
from core.models import FileData
from core.reports import texts as report_texts
from core.reports.desk import Period, ReportDesk, ReportSource
from core.reports.metrics import CostPolicy, Report, TicketRow
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import CommandReply, CommandRequest
from handlers.slack.report_charts import charts

CSV_FLAG = "--csv"


class ReportCommand:
    """``/suporte relatorio [hoje|semana|mes] [--csv]`` (supervisors only; the router checks)."""

    def __init__(self, reports: ReportDesk, channel: str) -> None:
        self._reports = reports
        self._channel = channel

    async def __call__(self, request: CommandRequest) -> CommandReply:
        words = [word.lower() for word in request.args]
        wants_csv = CSV_FLAG in words
        periods = [word for word in words if word != CSV_FLAG]
        if len(periods) > 1 or (periods and periods[0] not in Period._value2member_map_):
            return CommandReply(report_texts.UNKNOWN_PERIOD)
        period = Period(periods[0]) if periods else Period.WEEK
        channel = self._channel or request.channel
        await self._reports.request(period, channel, request.user, csv=wants_csv)
        return CommandReply(report_texts.report_queued(period.value, channel))


class SlackReportPoster:
    """Carries out :class:`PostReport` effects."""

    def __init__(
        self,
        client: SafeWebClient,
        source: ReportSource,
        hours: BusinessHours,
        cost: CostPolicy,
        after: Callable[[Report], Awaitable[object]] | None = None,
    ) -> None:
        self._client = client
        self._source = source
        self._hours = hours
        self._cost = cost
        self._after = after
        """Runs on each computed report once it is posted (the QA triggers read it)."""

    async def run(self, effect: PostReport) -> None:
        start, end = datetime.fromisoformat(effect.start), datetime.fromisoformat(effect.end)
        report = await self._source.report(start, end, end, self._hours, self._cost)
        text, pictures = await asyncio.to_thread(self._build, report, effect.period)
        posted = await self._client.call("chat.postMessage", channel=effect.channel, text=text)
        if pictures:
            await self._client.call(
                "files_upload_v2",
                channel=effect.channel,
                initial_comment=report_texts.CHARTS_COMMENT,
                file_uploads=[
                    {"content": p.data, "filename": p.filename, "title": p.filename} for p in pictures
                ],
            )
        if self._after is not None:
            await self._after(report)
        if effect.csv:
            table = raw_rows_csv((await self._source.load(start, end, end)).tickets)
            await self._client.call(
                "files_upload_v2",
                channel=effect.channel,
                thread_ts=posted["ts"],
                content=table.data,
                filename=table.filename,
                title=table.filename,
                initial_comment=report_texts.CSV_COMMENT,
            )

    def _build(self, report: Report, period: str) -> tuple[str, list[FileData]]:
        zone = self._hours.zone
        text = report_texts.summary(
            report, period, (report.start.astimezone(zone), report.end.astimezone(zone))
        )
        return text, charts(report)


def raw_rows_csv(tickets: Sequence[TicketRow]) -> FileData:
    """One line per ticket with every fact the metrics used (times in ISO 8601, UTC)."""
    names = [f.name for f in dataclasses.fields(TicketRow)]
    rows = ([_cell(getattr(ticket, name)) for name in names] for ticket in tickets)
    return FileData(csv_text(names, rows).encode("utf-8"), "text/csv", "relatorio.csv")


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None:
        return ""
    return value
