"""The report counted in SQL equals the report computed in Python from one row per ticket.

``ReportRows.report`` counts every metric inside SQLite (storage/sqlite/read/report_tally.py);
``compute(ReportRows.load(...))`` is the straightforward reference. A small generated month
with the edge cases the definitions turn on (business hours, weekends and a holiday,
reopened tickets, escalations, no CSAT, tickets the AI alone answered, customers coming back
within 72 hours, critical urgency, unanswered tickets, sub-second timestamps) must give the
very same report.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.common.business_hours import BusinessHours
from core.reports.metrics import compute
from core.reports.model import CostPolicy
from storage.sqlite.database import Database
from storage.sqlite.read import reports as report_rows
from storage.sqlite.read.reports import ReportRows

HOURS = BusinessHours()
# 2026-11-02 is a holiday in Brazil (Finados); the 14th and 15th are a weekend.
START = datetime(2026, 10, 31, 3, 0, tzinfo=UTC)
END = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
AGENTS = ("UAGENT1", "UAGENT2")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


async def _month(db: Database, seed: int, tickets: int = 400) -> None:
    """Tickets of every shape, some opened before the period (the previous period's categories)."""
    rng = random.Random(seed)
    conn = db.connection
    await conn.execute("BEGIN")
    await conn.execute("PRAGMA defer_foreign_keys=ON")  # a ticket's row goes in after its messages
    for c in range(1, 41):
        await conn.execute(
            "INSERT INTO customers (id, channel, address, name, created_at) VALUES (?, ?, ?, ?, ?)",
            (c, "whatsapp" if c % 3 else "telegram", f"5511{c:09d}", None, _iso(START)),
        )
    first = START - (END - START) + timedelta(hours=1)
    span = (END + timedelta(hours=20) - first).total_seconds()
    opened_times = sorted(first + timedelta(seconds=rng.random() * span) for _ in range(tickets))
    message = 0
    for t, opened in enumerate(opened_times, start=1):
        # sub-second timestamps, some within a millisecond of the next second, some on the second
        opened = opened.replace(microsecond=rng.choice((0, 999_700, rng.randrange(1_000_000))))
        customer = rng.randrange(1, 41)
        shape = rng.choice(("human", "ai", "ai_then_human", "unanswered", "quiet"))
        moment = opened
        rows = [("in", None, moment)]
        if shape != "quiet":
            for i in range(rng.randrange(1, 6)):
                moment += timedelta(seconds=rng.expovariate(1 / 5400), microseconds=rng.randrange(1_000_000))
                if shape == "unanswered" or (i % 2 and rng.random() < 0.5):
                    rows.append(("in", None, moment))
                elif shape == "ai" or (shape == "ai_then_human" and i == 0):
                    rows.append(("out", "ai:gemini-2.5-flash", moment))
                else:
                    rows.append(("out", rng.choice(AGENTS + ("ai", "system:notice")), moment))
        for direction, author, at in rows:
            message += 1
            await conn.execute(
                "INSERT INTO messages (id, ticket_id, direction, kind, body, author, sent_at)"
                " VALUES (?, ?, ?, 'text', '…', ?, ?)",
                (message, t, direction, author, _iso(at)),
            )
            if direction == "in" and rng.random() < 0.8:
                await conn.execute(
                    "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment,"
                    " language, confidence, requires_human, tier, model, at)"
                    " VALUES (?, ?, ?, ?, 'simple', 0.0, 'pt-BR', 0.8, ?, 1, ?, ?)",
                    (
                        message,
                        t,
                        rng.choice(("billing", "technical", "", "onboarding")),
                        rng.choice(("low", "critical", "CRITICAL", "high")),
                        int(rng.random() < 0.3),
                        rng.choice(("gemini-2.5-flash", "gpt-4o-mini")),
                        _iso(at),
                    ),
                )
                await conn.execute(
                    "INSERT INTO ai_calls (ticket_id, message_id, step, provider, model, prompt_tokens,"
                    " completion_tokens, cost_usd, latency_ms, outcome, at)"
                    " VALUES (?, ?, 'triage', 'google', ?, 400, 80, 0.0002, ?, 'ok', ?)",
                    (
                        t,
                        message,
                        rng.choice(("gemini-2.5-flash", "gpt-4o-mini")),
                        rng.uniform(300, 2500),
                        _iso(at),
                    ),
                )
        resolved = moment + timedelta(minutes=rng.randrange(1, 600)) if rng.random() < 0.7 else None
        await conn.execute(
            "INSERT INTO tickets (id, customer_id, channel, status, opened_at, resolved_at, resolved_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                t,
                customer,
                "whatsapp" if customer % 3 else "telegram",
                "resolved" if resolved else "open",
                _iso(opened),
                _iso(resolved) if resolved else None,
                "UAGENT1" if resolved else None,
            ),
        )
        if rng.random() < 0.15:
            await conn.execute(
                "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, 'UAGENT1', ?, '', ?)",
                (t, rng.choice(("escalated", "escalation.tier2")), _iso(opened + timedelta(hours=1))),
            )
        if resolved and rng.random() < 0.2:
            reopened = resolved + timedelta(hours=rng.randrange(1, 8))
            await conn.execute(
                "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, 'customer', 'reopened', '', ?)",
                (t, _iso(reopened)),
            )
            if rng.random() < 0.7:
                message += 1
                await conn.execute(
                    "INSERT INTO messages (id, ticket_id, direction, kind, body, author, sent_at)"
                    " VALUES (?, ?, 'out', 'text', '…', 'UAGENT2', ?)",
                    (message, t, _iso(reopened + timedelta(minutes=rng.randrange(1, 300), microseconds=3))),
                )
        if resolved and rng.random() < 0.4:
            await conn.execute(
                "INSERT INTO csat (ticket_id, score, at) VALUES (?, ?, ?)",
                (t, rng.randrange(1, 6), _iso(resolved + timedelta(minutes=2))),
            )
        if resolved and rng.random() < 0.2:
            await conn.execute(
                "INSERT INTO nps (customer_id, score, at) VALUES (?, ?, ?)",
                (customer, rng.randrange(0, 11), _iso(resolved + timedelta(minutes=3))),
            )
    for action in ("ai.draft_sent", "ai.draft_edited_sent", "ai.draft_discarded", "ai.draft_sent"):
        await conn.execute(
            "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (NULL, 'UAGENT1', ?, '', ?)",
            (action, _iso(START + timedelta(days=3))),
        )
    await conn.execute("COMMIT")


@pytest.fixture(params=["file", ":memory:"])
async def db(request: pytest.FixtureRequest, tmp_path: Path):
    database = Database(str(tmp_path / "report.db") if request.param == "file" else ":memory:")
    await database.open()
    yield database
    await database.close()


def _no_rows(*args: object) -> None:
    raise AssertionError("the report was computed from the rows, not counted in SQL")


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_report_counted_in_sql_equals_the_one_computed_from_the_rows(
    db: Database, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _month(db, seed)
    monkeypatch.setattr(report_rows, "compute", _no_rows)
    source = ReportRows(db)
    cost = CostPolicy(hourly_usd=12.0, minutes_per_reply=4.0)
    for now in (END, END + timedelta(hours=5)):
        expected = compute(await source.load(START, END, now), HOURS, cost)
        counted = await source.report(START, END, now, HOURS, cost)
        assert expected.total > 100 and expected.first_response.count and expected.csat.count
        assert counted == expected


async def test_an_answer_beyond_the_business_index_is_counted_from_the_rows(db: Database) -> None:
    await _month(db, 4, tickets=60)
    await db.connection.execute(
        "INSERT INTO messages (ticket_id, direction, kind, body, author, sent_at)"
        " SELECT MAX(id), 'out', 'text', '…', 'UAGENT1', ? FROM tickets WHERE opened_at < ?",
        (_iso(END + timedelta(days=9)), _iso(END)),
    )
    source = ReportRows(db)
    expected = compute(await source.load(START, END, END), HOURS)
    assert await source.report(START, END, END, HOURS, CostPolicy()) == expected


async def test_an_empty_period_reports_no_tickets(db: Database) -> None:
    source = ReportRows(db)
    counted = await source.report(START, END, END, HOURS, CostPolicy())
    assert counted == compute(await source.load(START, END, END), HOURS)
    assert counted.total == 0
