"""Reports in Slack: the ``/suporte relatorio`` subcommand, and posting a computed report with charts.

The subcommand only queues the report (a durable outbox row) and answers at once; the
outbox then runs :meth:`core.reports.desk.ReportPoster.run`, which shows the computed report
on :class:`SlackReportBoard`: it draws the charts in a worker thread (CPU work that must not
stall the event loop), posts the summary, uploads the charts and, when asked, the raw rows as
CSV.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import datetime

from core.common.spreadsheet import csv_text
from core.reports import texts as report_texts
from core.reports.desk import Period, ReportDesk
from core.reports.model import Report, TicketRow
from core.tickets.model import FileData
from handlers.slack import markup
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import CommandReply, CommandRequest
from handlers.slack.desk import split_ref, thread_ref
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
        return CommandReply(report_texts.report_queued(period.value, markup.channel(channel)))


class SlackReportBoard:
    """Implements :class:`ReportBoard`: the summary posted, the charts and the CSV uploaded."""

    def __init__(self, client: SafeWebClient) -> None:
        self._client = client

    async def post_report(self, channel: str, summary: str, report: Report) -> str:
        pictures = await asyncio.to_thread(charts, report)
        posted = await self._client.call("chat.postMessage", channel=channel, text=summary)
        if pictures:
            await self._client.call(
                "files_upload_v2",
                channel=channel,
                initial_comment=report_texts.CHARTS_COMMENT,
                file_uploads=[
                    {"content": p.data, "filename": p.filename, "title": p.filename} for p in pictures
                ],
            )
        return thread_ref(posted["channel"], posted["ts"])

    async def post_rows(self, channel: str, summary_ref: str, tickets: Sequence[TicketRow]) -> None:
        table = raw_rows_csv(tickets)
        await self._client.call(
            "files_upload_v2",
            channel=channel,
            thread_ts=split_ref(summary_ref)[1],
            content=table.data,
            filename=table.filename,
            title=table.filename,
            initial_comment=report_texts.CSV_COMMENT,
        )


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
