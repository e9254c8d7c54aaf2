"""SQL for reports: the period's tickets reduced to one row each, ratings, NPS and the AI's call log.

The report itself is counted from the facts kept per ticket
(:mod:`storage.sqlite.read.report_tally`); reading the rows (the CSV export, and the reference
the tests compare it with) reduces the messages with one grouped scan. What the numbers mean
is decided in :mod:`core.reports.metrics`. Reads go through the read-only connection, so a
monthly report never holds up intake. The AI core's usage by model is read from the sums kept
per model and hour (``ai_usage_hourly``, migration 0019) when they exist.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from core.common.business_hours import BusinessHours
from core.reports.metrics import assemble, compute
from core.reports.model import CostPolicy, CsatRow, ModelRow, NpsRow, Report, ReportInput, TicketRow
from storage.sqlite.database import Database
from storage.sqlite.messages import AI_AUTHOR, HUMAN_AUTHOR
from storage.sqlite.read.report_tally import TEMP_TABLES, tally_in_sql

# Rows of the period's tickets only (ids grow with time, so this is a range of the ticket indexes).
_COHORT = "ticket_id BETWEEN (SELECT MIN(id) FROM t) AND (SELECT MAX(id) FROM t)"

_T = "WITH t AS (SELECT id FROM tickets WHERE opened_at >= :start AND opened_at < :end) "

# The three parts of a ticket's row, read at once on separate connections (each is a scan of
# its own table; a month holds a million messages) and joined by ticket id here. The same facts
# as ``ticket_facts`` (migration 0017), counted from the rows.
_TICKETS = (
    _T
    + f"""
SELECT k.id, k.customer_id, k.channel, k.opened_at, k.resolved_at, r.reopened_at,
    CASE WHEN r.reopened_at IS NOT NULL THEN (
        SELECT MIN(sent_at) FROM messages h
        WHERE h.ticket_id = k.id AND h.direction = 'out' AND h.sent_at > r.reopened_at AND {HUMAN_AUTHOR}
    ) END AS human_after_reopen,
    x.ticket_id IS NOT NULL AS escalated,
    (SELECT MIN(n.opened_at) FROM tickets n WHERE n.customer_id = k.customer_id AND n.id > k.id) AS next_at,
    c.score AS csat
FROM tickets k
LEFT JOIN (
    SELECT ticket_id, MAX(at) AS reopened_at FROM events
    WHERE action = 'reopened' AND {_COHORT} GROUP BY ticket_id
) r ON r.ticket_id = k.id
LEFT JOIN (
    SELECT DISTINCT ticket_id FROM events WHERE action LIKE 'escalat%' AND {_COHORT}
) x ON x.ticket_id = k.id
LEFT JOIN csat c ON c.ticket_id = k.id
WHERE k.id IN t
"""
)

_MESSAGES = (
    _T
    + f"""
SELECT ticket_id,
    MIN(sent_at) FILTER (WHERE direction = 'out' AND {HUMAN_AUTHOR}) AS first_human,
    MIN(sent_at) FILTER (WHERE direction = 'out' AND {AI_AUTHOR}) AS first_ai,
    MAX(sent_at) FILTER (WHERE direction = 'in') AS last_customer,
    COUNT(*) FILTER (WHERE direction = 'out' AND {HUMAN_AUTHOR}) AS human_replies,
    COUNT(*) FILTER (WHERE direction = 'out' AND {AI_AUTHOR}) AS ai_replies
FROM messages WHERE {_COHORT}
GROUP BY ticket_id
"""
)

# The AI's reading of the ticket's first triaged message (SQLite takes the bare columns from the MIN row).
_TRIAGE = (
    _T
    + "SELECT ticket_id, category, urgency, MIN(at) AS first_at FROM ai_triage"
    + f" WHERE {_COHORT} GROUP BY ticket_id"
)


# The AI core's calls and triage by model: usage, cost, latency and how often it called for a person.
# The hours wholly inside the period come from the sums kept per model and hour (``ai_usage_hourly``,
# migration 0019); the rows of its first and last hour are read from the tables, each model one
# range of its (model, at) index (the models are found by skipping through that index).
_MODELS_OF = """{name}(model) AS (
    SELECT (SELECT MIN(model) FROM {table}) UNION ALL
    SELECT (SELECT MIN(model) FROM {table} WHERE model > {name}.model) FROM {name}
    WHERE {name}.model IS NOT NULL
)"""
_RANGES = (("start", "first_end"), ("last_start", "end"))
_TABLES = (
    ("ai_calls", "c", "1, a.cost_usd, a.latency_ms, 0, 0"),
    ("ai_triage", "t", "0, 0.0, 0.0, 1, a.requires_human"),
)
# Each range has a list of models of its own: a list read twice makes SQLite build a Bloom filter
# over the whole table for the second read (80 ms for a month of calls).
_MODEL_LISTS = ", ".join(
    _MODELS_OF.format(name=f"{m}{n}", table=table) for table, m, _ in _TABLES for n in (1, 2)
)
_EDGE_ROWS = " ".join(
    f"UNION ALL SELECT a.model, {columns} FROM {m}{n} JOIN {table} a ON a.model = {m}{n}.model"
    f" AND a.at >= :{lo} AND a.at < :{hi}"
    for table, m, columns in _TABLES
    for n, (lo, hi) in enumerate(_RANGES, start=1)
)
_USAGE = f"""
WITH RECURSIVE {_MODEL_LISTS}
SELECT model, SUM(calls), SUM(cost_usd), SUM(latency_ms), SUM(triaged), SUM(requires_human) FROM (
    SELECT model, calls, cost_usd, latency_ms, triaged, requires_human FROM ai_usage_hourly
    WHERE hour > :first AND hour < :last {_EDGE_ROWS}
) GROUP BY model HAVING SUM(calls) > 0 ORDER BY model
"""
HOUR_CHARS = 13
"""An ``at`` text's hour in ``ai_usage_hourly``: its first 13 characters (``2026-11-27T21``)."""


def usage_span(start: str, end: str) -> dict[str, str]:
    """The parameters of ``_USAGE`` for the ``at`` texts in ``[start, end)``, compared as text.

    The hours strictly between ``start``'s and ``end``'s are wholly inside the period (their
    texts differ from both within the first 13 characters). The rest of it is ``[start,
    first_end)``, the texts of ``start``'s hour, and ``[last_start, end)``, those of ``end``'s
    hour: the texts starting with an hour ``h`` are those from ``h`` up to ``h`` with its last
    character one higher.
    """
    assert min(len(start), len(end)) >= HOUR_CHARS  # ISO 8601 texts
    first, last = start[:HOUR_CHARS], end[:HOUR_CHARS]
    if first >= last:  # one hour (or an empty period): the first range is all of it
        first_end = last_start = end
    else:
        first_end, last_start = first[:-1] + chr(ord(first[-1]) + 1), last
    return {
        "start": start,
        "end": end,
        "first": first,
        "last": last,
        "first_end": first_end,
        "last_start": last_start,
    }


# What agents did with the AI's drafts (the AI core's audit actions), as the report names it.
_DRAFT_OUTCOMES = {
    "ai.draft_sent": "sent",
    "ai.draft_edited_sent": "edited",
    "ai.draft_discarded": "discarded",
}


async def _none() -> list[Any]:
    return []


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class ReportRows:
    """Implements :class:`core.reports.desk.ReportSource` on the SQLite database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _read(self, sql: str, params: dict[str, str]) -> list[Any]:
        """Rows of one query on a connection of its own (read-only), so the parts run side by side."""
        if self._db.path == ":memory:":
            return list(await self._db.reader.execute_fetchall(sql, params))
        async with aiosqlite.connect(f"file:{self._db.path}?mode=ro", uri=True) as conn:
            return list(await conn.execute_fetchall(sql, params))

    @asynccontextmanager
    async def _own(self) -> AsyncIterator[aiosqlite.Connection]:
        """A connection for temp tables: a read-only one of its own, or the only one, held (in memory)."""
        if self._db.path != ":memory:":
            async with aiosqlite.connect(f"file:{self._db.path}?mode=ro", uri=True) as conn:
                yield conn
            return
        async with self._db.locked() as conn:
            try:
                yield conn
            finally:
                for table in TEMP_TABLES:
                    await conn.execute(f"DROP TABLE IF EXISTS temp.{table}")

    async def report(
        self, start: datetime, end: datetime, now: datetime, hours: BusinessHours, cost: CostPolicy
    ) -> Report:
        """The report of the tickets opened in ``[start, end)``, counted in SQL (no ticket rows read).

        Falls back to reading the rows when the SQL tally cannot count a moment (see
        :mod:`storage.sqlite.read.report_tally`).
        """
        tables = await self._tables()
        counted = tally_in_sql(self._own, start, end, now, hours)
        context, tally = await asyncio.gather(self._context(start, end, now, tables), counted)
        if tally is None:
            return compute(await self.load(start, end, now), hours, cost)
        return assemble(context, tally, cost)

    async def _tables(self) -> set[str]:
        return {row[0] for row in await self._db.reader.execute_fetchall("SELECT name FROM sqlite_master")}

    async def _context(self, start: datetime, end: datetime, now: datetime, tables: set[str]) -> ReportInput:
        """The period without its tickets: categories of the period before, AI usage by model, drafts."""
        conn = self._db.reader
        triage = "ai_triage" in tables
        ai = "ai_calls" in tables
        span = {"start": _ts(start), "end": _ts(end)}
        previous = start - (end - start)
        categories: dict[str, int] = {}
        if triage:
            rows = await conn.execute_fetchall(
                "SELECT category, COUNT(*) FROM (SELECT ticket_id, category, MIN(at) FROM ai_triage"
                " WHERE ticket_id IN (SELECT id FROM tickets WHERE opened_at >= ? AND opened_at < ?)"
                " GROUP BY ticket_id) GROUP BY category",
                (_ts(previous), _ts(start)),
            )
            categories = {row[0] or "sem categoria": row[1] for row in rows}
        drafts = {
            _DRAFT_OUTCOMES[r[0]]: r[1]
            for r in await conn.execute_fetchall(
                "SELECT action, COUNT(*) FROM events"
                f" WHERE action IN ({','.join('?' * len(_DRAFT_OUTCOMES))}) AND at >= ? AND at < ?"
                " GROUP BY action",
                (*_DRAFT_OUTCOMES, span["start"], span["end"]),
            )
        }
        models = [
            ModelRow(r[0], r[1], float(r[2]), float(r[3]), r[4], r[5])
            for r in (await self.usage(span["start"], span["end"]) if "ai_usage_hourly" in tables else [])
        ]
        return ReportInput(
            start=start,
            end=end,
            now=now,
            tickets=(),
            previous_categories=categories,
            models=models,
            drafts=drafts,
            ai_log=ai,
        )

    async def usage(self, start: str, end: str) -> list[Any]:
        """The AI's usage by model with ``at`` in ``[start, end)``, for the models that made a call.

        Rows of (model, calls, cost, latency summed, triage rows, triage rows requiring a person),
        by model name; the same sums as every row of the period, read from the hourly sums.
        """
        return list(await self._db.reader.execute_fetchall(_USAGE, usage_span(start, end)))

    async def load(self, start: datetime, end: datetime, now: datetime) -> ReportInput:
        """Rows of the tickets opened in ``[start, end)`` and what was said and spent in it."""
        conn = self._db.reader
        tables = await self._tables()
        triage = "ai_triage" in tables
        span = {"start": _ts(start), "end": _ts(end)}
        ticket_rows, message_rows, triage_rows, context = await asyncio.gather(
            self._read(_TICKETS, span),
            self._read(_MESSAGES, span),
            self._read(_TRIAGE, span) if triage else _none(),
            self._context(start, end, now, tables),
        )
        by_messages = {r[0]: r for r in message_rows}
        by_triage = {r[0]: r for r in triage_rows}
        no_messages = (None, None, None, None, 0, 0)
        no_triage = (None, None, None)
        tickets = []
        for r in ticket_rows:
            m = by_messages.get(r[0], no_messages)
            a = by_triage.get(r[0], no_triage)
            tickets.append(
                TicketRow(
                    id=r[0],
                    customer_id=r[1],
                    channel=r[2],
                    opened_at=datetime.fromisoformat(r[3]),
                    resolved_at=_dt(r[4]),
                    first_human_at=_dt(m[1]),
                    first_ai_at=_dt(m[2]),
                    last_customer_at=_dt(m[3]),
                    human_replies=m[4] or 0,
                    ai_replies=m[5] or 0,
                    reopened_at=_dt(r[5]),
                    human_after_reopen_at=_dt(r[6]),
                    escalated=bool(r[7]),
                    next_ticket_at=_dt(r[8]),
                    csat=r[9],
                    category=a[1],
                    urgency=a[2],
                )
            )
        tickets.sort(key=lambda t: t.id)
        csat = [
            CsatRow(r[0], r[1], datetime.fromisoformat(r[2]), r[3])
            for r in await conn.execute_fetchall(
                "SELECT c.ticket_id, c.score, c.at, t.channel"
                " FROM csat c JOIN tickets t ON t.id = c.ticket_id"
                " WHERE c.at >= :start AND c.at < :end ORDER BY c.at",
                span,
            )
        ]
        nps = [
            NpsRow(r[0], r[1], datetime.fromisoformat(r[2]))
            for r in await conn.execute_fetchall(
                "SELECT customer_id, score, at FROM nps WHERE at >= :start AND at < :end ORDER BY at", span
            )
        ]
        return dataclasses.replace(context, tickets=tickets, csat=csat, nps=nps)
