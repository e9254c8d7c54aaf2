"""SQL for reports: the period's tickets reduced to one row each, ratings, NPS and the AI's call log.

The report itself is counted from the facts kept per ticket
(:mod:`storage.sqlite.read.report_tally`); reading the rows (the CSV export, and the reference
the tests compare it with) reduces the messages with one grouped scan. What the numbers mean
is decided in :mod:`core.reports.metrics`. Reads go through the read-only connection, so a
monthly report never holds up intake. The AI core's tables (``ai_calls``, ``ai_triage``) are
read only when they exist.
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
# The models are found by skipping through the (model, at, ...) index, then each is one range of it.
_MODELS = """
WITH RECURSIVE m(model) AS (
    SELECT (SELECT MIN(model) FROM {table})
    UNION ALL SELECT (SELECT MIN(model) FROM {table} WHERE model > m.model) FROM m WHERE m.model IS NOT NULL
)
SELECT m.model, {columns} FROM m JOIN {table} a ON a.model = m.model AND a.at >= :start AND a.at < :end
GROUP BY m.model ORDER BY m.model
"""
_CALLS = _MODELS.format(
    table="ai_calls", columns="COUNT(*), COALESCE(SUM(cost_usd), 0), COALESCE(SUM(latency_ms), 0)"
)
_MODEL_TRIAGE = _MODELS.format(table="ai_triage", columns="COUNT(*), SUM(requires_human)")

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
        calls, by_model = await asyncio.gather(
            self._read(_CALLS, span) if ai else _none(),
            self._read(_MODEL_TRIAGE, span) if ai and triage else _none(),
        )
        escalations = {r[0]: (r[1], r[2] or 0) for r in by_model}
        models = []
        for r in calls:
            triaged, human = escalations.get(r[0], (0, 0))
            models.append(ModelRow(r[0], r[1], float(r[2]), float(r[3]), triaged, human))
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
