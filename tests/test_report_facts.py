"""Each ticket's report facts are kept as its rows are written, and stay equal to counting the rows.

The monthly report reads ``ticket_facts`` (migration 0017) instead of a million messages. The
triggers that keep it must give what counting the rows gives after any write: inserts in any
order, edits and deletions, a customer's records merged, a rating changed; a database from
before the table gets it counted on upgrade; and a write rolled back takes its facts with it.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from core.reports.model import CostPolicy
from storage.sqlite.database import Database
from storage.sqlite.read import reports as report_rows
from storage.sqlite.read.reports import ReportRows
from tests.test_report_tally import END, HOURS, START, _iso, _month, _no_rows


async def _rows(db: Database, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.connection.execute_fetchall(sql, params)]


async def _facts(db: Database) -> list[tuple[Any, ...]]:
    return await _rows(db, "SELECT * FROM ticket_facts ORDER BY ticket_id")


async def _counted(db: Database) -> list[tuple[Any, ...]]:
    return await _rows(db, "SELECT * FROM ticket_facts_counted ORDER BY ticket_id")


async def _report_equals_rows(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    source = ReportRows(db)
    cost = CostPolicy()
    expected = [
        report_rows.compute(await source.load(START, END, now), HOURS, cost)
        for now in (END, END + timedelta(hours=5))
    ]
    with monkeypatch.context() as patch:
        patch.setattr(report_rows, "compute", _no_rows)
        counted = [
            await source.report(START, END, now, HOURS, cost) for now in (END, END + timedelta(hours=5))
        ]
    assert counted == expected


async def _one(db: Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    rows = await _rows(db, sql, params)
    assert rows, sql
    return rows[0][0]


def database_before(version: int, path: str, folder: Path) -> Database:
    """A database at ``path`` that runs the migrations before ``version`` only (copied into ``folder``)."""
    earlier = folder / "migrations"
    earlier.mkdir()
    for script in resources.files("storage").joinpath("migrations").iterdir():
        if script.name.endswith(".sql") and int(script.name[:4]) < version:
            shutil.copyfile(str(script), earlier / script.name)
    return Database(path, migrations=earlier)


async def test_the_facts_stay_equal_to_the_rows_through_edits_deletions_merges_and_new_tickets(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _month(db, 5, tickets=300)
    assert await _facts(db) == await _counted(db)
    run = db.connection.execute
    in_period = "SELECT id FROM tickets WHERE opened_at >= ? AND opened_at < ?"
    period = (_iso(START), _iso(END))
    human = "direction = 'out' AND author LIKE 'UAGENT%'"
    # an agent's reply turns out to be the AI's, another moves to a later ticket, a third is deleted
    reply = await _one(
        db, f"SELECT MIN(id) FROM messages WHERE {human} AND ticket_id IN ({in_period})", period
    )
    await run("UPDATE messages SET author = 'ai:gpt-4o-mini' WHERE id = ?", (reply,))
    reply = await _one(
        db, f"SELECT MAX(id) FROM messages WHERE {human} AND ticket_id IN ({in_period})", period
    )
    await run("UPDATE messages SET ticket_id = ticket_id - 3 WHERE id = ?", (reply,))
    reply = await _one(db, f"SELECT MIN(id) FROM messages WHERE {human} AND id > ?", (reply - 200,))
    await run("DELETE FROM messages WHERE id = ?", (reply,))
    await run(
        "UPDATE messages SET sent_at = ? WHERE id = (SELECT MIN(id) FROM messages WHERE direction = 'out' AND id > ?)",
        (_iso(START + timedelta(days=2)), reply),
    )
    # the AI's reading changes, one is withdrawn, one is dated before the ticket's first
    first = await _one(db, f"SELECT MIN(message_id) FROM ai_triage WHERE ticket_id IN ({in_period})", period)
    await run(
        "UPDATE ai_triage SET category = 'technical', urgency = 'critical' WHERE message_id = ?", (first,)
    )
    await run(
        "DELETE FROM ai_triage WHERE message_id = (SELECT MIN(message_id) FROM ai_triage WHERE message_id > ?)",
        (first,),
    )
    await run(
        "UPDATE ai_triage SET at = '2026-10-30T00:00:00+00:00'"
        " WHERE message_id = (SELECT MAX(message_id) FROM ai_triage WHERE message_id < ? + 400)",
        (first,),
    )
    # a later message read at the very moment of the ticket's first reading: the first message's stays
    ticket, at = (await _rows(db, "SELECT ticket_id, at FROM ai_triage WHERE message_id = ?", (first,)))[0]
    message = await _one(
        db,
        "INSERT INTO messages (ticket_id, direction, kind, body, sent_at) VALUES (?, 'in', 'text', '…', ?)"
        " RETURNING id",
        (ticket, at),
    )
    await run(
        "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment, language,"
        " confidence, requires_human, tier, model, at)"
        " VALUES (?, ?, 'billing', 'low', 'simple', 0.0, 'pt-BR', 0.8, 0, 1, 'gpt-4o-mini', ?)",
        (message, ticket, at),
    )
    assert await _one(db, "SELECT category FROM ticket_facts WHERE ticket_id = ?", (ticket,)) == "technical"
    # a reopening withdrawn, a later one and an escalation added, a rating changed and one removed
    await run("DELETE FROM events WHERE id = (SELECT MIN(id) FROM events WHERE action = 'reopened')")
    reopened = await _one(
        db, "SELECT MAX(ticket_id) FROM events WHERE action = 'reopened' AND at < ?", (_iso(END),)
    )
    await run(
        "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, 'customer', 'reopened', '', ?)",
        (reopened, _iso(END - timedelta(hours=2))),
    )
    await run(
        "INSERT INTO messages (ticket_id, direction, kind, body, author, sent_at) VALUES (?, 'out', 'text', '…', 'UAGENT1', ?)",
        (reopened, _iso(END - timedelta(hours=1))),
    )
    await run(
        "UPDATE events SET action = 'escalated' WHERE id = (SELECT MIN(id) FROM events WHERE action = 'opened' OR action = 'reopened')"
    )
    rated = await _one(db, "SELECT MIN(ticket_id) FROM csat WHERE score < 5")
    await run(
        "INSERT INTO csat (ticket_id, score, at) VALUES (?, 5, ?)"
        " ON CONFLICT (ticket_id) DO UPDATE SET score = excluded.score, at = excluded.at",
        (rated, _iso(START + timedelta(days=5))),
    )
    await run("DELETE FROM csat WHERE ticket_id = (SELECT MAX(ticket_id) FROM csat)")
    # two customers' records merged, then customers come back
    await run("UPDATE tickets SET customer_id = 1 WHERE customer_id = 2")
    await run(
        "INSERT INTO tickets (customer_id, channel, status, opened_at) SELECT customer_id, channel, 'open', ?"
        " FROM tickets WHERE id IN (SELECT MAX(id) FROM tickets GROUP BY customer_id LIMIT 6)",
        (_iso(END - timedelta(hours=30)),),
    )
    # a customer's two new tickets, the first deleted and given again, opened after the second
    opened = "INSERT INTO tickets (id, customer_id, channel, status, opened_at) VALUES (?, 7, 'whatsapp', 'open', ?)"
    last = await _one(db, "SELECT MAX(id) FROM tickets")
    await run(opened, (last + 1, _iso(END - timedelta(hours=20))))
    await run(opened, (last + 2, _iso(END - timedelta(hours=10))))
    await run("DELETE FROM tickets WHERE id = ?", (last + 1,))
    await run(opened, (last + 1, _iso(END - timedelta(hours=5))))
    assert await _one(db, "SELECT next_at FROM ticket_facts WHERE ticket_id = ?", (last + 1,)) == _iso(
        END - timedelta(hours=10)
    )

    assert await _facts(db) == await _counted(db)
    await _report_equals_rows(db, monkeypatch)


async def test_a_database_from_before_the_facts_gets_them_counted_on_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "old.db")
    old = database_before(17, path, tmp_path)
    await old.open()
    await _month(old, 6)
    await old.close()

    db = Database(path)
    await db.open()
    try:
        facts = await _facts(db)
        assert len(facts) == await _one(db, "SELECT COUNT(*) FROM tickets") > 100
        assert facts == await _counted(db)
        await _report_equals_rows(db, monkeypatch)
    finally:
        await db.close()


async def test_a_write_rolled_back_takes_its_facts_with_it(db: Database) -> None:
    await _month(db, 7, tickets=60)
    ticket = await _one(db, "SELECT MIN(ticket_id) FROM ticket_facts WHERE first_human IS NULL")
    before = await _facts(db)
    conn = db.connection
    await conn.execute("BEGIN")
    await conn.execute(
        "INSERT INTO messages (ticket_id, direction, kind, body, author, sent_at) VALUES (?, 'out', 'text', '…', 'UAGENT1', ?)",
        (ticket, _iso(END)),
    )
    assert await _one(db, "SELECT first_human FROM ticket_facts WHERE ticket_id = ?", (ticket,)) == _iso(END)
    await conn.execute("ROLLBACK")
    assert await _facts(db) == before
