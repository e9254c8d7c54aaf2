"""The report's AI usage by model, read from sums kept per hour, equals summing the period's rows.

The monthly report used to sum a month of ``ai_calls`` and ``ai_triage`` rows per model; it now
reads ``ai_usage_hourly`` (migration 0019), kept by triggers, for the hours wholly inside the
period and the rows of its first and last hour. A period starts and ends at any moment (the
last 30 days up to now, today since local midnight in São Paulo), and ``at`` is compared as
text, so the periods below cut hours anywhere, and some rows carry another UTC offset. Costs and
latencies are multiples of a power of two, so sums in any order are exact and the figures must
be equal, not close.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from storage.sqlite.database import Database
from storage.sqlite.read.reports import ReportRows
from tests.test_report_facts import database_before

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
FIRST = datetime(2026, 10, 29, tzinfo=UTC)
MODELS = ("gemini-2.5-flash", "gpt-4o-mini", "claude-haiku")

# The sums as the report computed them before migration 0019: every row of the period, by model.
_CALLS = (
    "SELECT model, COUNT(*), TOTAL(cost_usd), TOTAL(latency_ms) FROM ai_calls"
    " WHERE at >= :start AND at < :end GROUP BY model ORDER BY model"
)
_TRIAGE = "SELECT model, COUNT(*), SUM(requires_human) FROM ai_triage WHERE at >= :start AND at < :end GROUP BY model"
# The hourly sums counted from the rows (as the migration's backfill counts them).
_HOURS = """
SELECT hour, model, SUM(calls), SUM(cost_usd), SUM(latency_ms), SUM(triaged), SUM(requires_human) FROM (
    SELECT substr(at, 1, 13) AS hour, model, 1 AS calls, cost_usd, latency_ms, 0 AS triaged, 0 AS requires_human
    FROM ai_calls
    UNION ALL SELECT substr(at, 1, 13), model, 0, 0, 0, 1, requires_human FROM ai_triage
) GROUP BY hour, model ORDER BY hour, model
"""


async def _rows(db: Database, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await db.connection.execute_fetchall(sql, params)]


def _moment(rng: random.Random) -> datetime:
    """A moment of the five weeks around November, often exactly on an hour or a second."""
    moment = FIRST + timedelta(seconds=rng.randrange(35 * 86400))
    kind = rng.random()
    if kind < 0.2:
        return moment.replace(minute=0, second=0)
    if kind < 0.6:
        return moment + timedelta(microseconds=rng.randrange(1, 1_000_000))
    return moment


def _at(rng: random.Random) -> str:
    moment = _moment(rng)
    # the AI writes UTC; a few rows in local time show the hours follow the text as compared
    return (moment.astimezone(SAO_PAULO) if rng.random() < 0.05 else moment).isoformat()


async def _write(db: Database, seed: int, calls: int = 1500) -> None:
    """Calls and triage rows of several models, one message per call, a triage row for some."""
    rng = random.Random(seed)
    conn = db.connection
    base = (await _rows(db, "SELECT COALESCE(MAX(id), 0) FROM messages"))[0][0]
    await conn.execute(
        "INSERT OR IGNORE INTO customers (id, channel, address, name, created_at) VALUES (1, 'whatsapp', '5511', 'C', ?)",
        (FIRST.isoformat(),),
    )
    await conn.execute(
        "INSERT OR IGNORE INTO tickets (id, customer_id, channel, status, opened_at) VALUES (1, 1, 'whatsapp', 'open', ?)",
        (FIRST.isoformat(),),
    )
    for n in range(base + 1, base + calls + 1):
        at = _at(rng)
        await conn.execute(
            "INSERT INTO messages (id, ticket_id, direction, kind, body, sent_at) VALUES (?, 1, 'in', 'text', '…', ?)",
            (n, at),
        )
        await conn.execute(
            "INSERT INTO ai_calls (ticket_id, message_id, step, provider, model, cost_usd, latency_ms, outcome, at)"
            " VALUES (1, ?, 'triage', 'google', ?, ?, ?, 'ok', ?)",
            (n, rng.choice(MODELS[:2]), rng.randrange(64) / 4096, rng.randrange(40_000) / 16, at),
        )
        if rng.random() < 0.7:
            await conn.execute(
                "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment, language,"
                " confidence, requires_human, tier, model, at, through_message_id, messages_read)"
                " VALUES (?, 1, 'billing', 'low', 'simple', 0, 'pt-BR', 0.8, ?, 1, ?, ?, ?, ?)",
                # a model that only triages has no row of its own in the report
                (n, int(rng.random() < 0.25), rng.choice(MODELS), _at(rng), n + 2, 3),
            )
    await conn.commit()


def _periods(rng: random.Random) -> list[tuple[datetime, datetime]]:
    """Months cut in São Paulo, the last 30 days up to any moment, one hour's pieces, empty ones."""
    month = datetime(2026, 11, 1, tzinfo=SAO_PAULO)
    periods = [(month, datetime(2026, 12, 1, tzinfo=SAO_PAULO)), (month - timedelta(days=3), month)]
    for _ in range(30):
        now = _moment(rng)
        periods.append((now - timedelta(days=rng.choice((30, 7, 1))), now))
        periods.append((now, now + timedelta(minutes=rng.randrange(1, 59))))  # within one or two hours
        periods.append((now.replace(minute=0, second=0, microsecond=0), now))
        periods.append(
            (now, now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=rng.randrange(1, 3)))
        )
    periods += [(month, month), (month + timedelta(days=1), month)]
    return periods


async def _direct(db: Database, start: str, end: str) -> list[tuple[Any, ...]]:
    span = {"start": start, "end": end}
    triage = {r[0]: (r[1], r[2]) for r in await _rows(db, _TRIAGE, span)}
    return [(*r, *triage.get(r[0], (0, 0))) for r in await _rows(db, _CALLS, span)]


async def _usage_equals_the_rows(db: Database, seed: int) -> int:
    source = ReportRows(db)
    compared = 0
    for start, end in _periods(random.Random(seed)):
        span = (start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat())
        expected = await _direct(db, *span)
        assert [tuple(r) for r in await source.usage(*span)] == expected, span
        compared += sum(r[1] for r in expected)
    return compared


async def _hours_equal_the_rows(db: Database) -> None:
    kept = await _rows(db, "SELECT * FROM ai_usage_hourly ORDER BY hour, model")
    assert kept == await _rows(db, _HOURS)
    assert kept == await _rows(db, "SELECT * FROM ai_usage_hourly_counted ORDER BY hour, model")


async def test_usage_by_model_equals_summing_the_rows_for_periods_cut_anywhere(db: Database) -> None:
    await _write(db, 1)
    await _hours_equal_the_rows(db)
    assert await _usage_equals_the_rows(db, 2) > 10_000  # the periods held calls
    models = await _rows(db, "SELECT DISTINCT model FROM ai_usage_hourly WHERE calls = 0")
    assert ("claude-haiku",) in models  # it triaged and made no call: counted, and left out


async def test_the_hourly_sums_follow_edits_and_deletions(db: Database) -> None:
    await _write(db, 3, calls=600)
    run = db.connection.execute
    await run("UPDATE ai_calls SET at = '2026-11-15T12:34:56+00:00' WHERE id % 7 = 0")
    await run("UPDATE ai_calls SET model = 'claude-haiku', cost_usd = cost_usd * 2 WHERE id % 11 = 0")
    await run("UPDATE ai_calls SET latency_ms = 0.5 WHERE id % 13 = 0")
    await run("UPDATE ai_triage SET requires_human = 1 - requires_human WHERE message_id % 5 = 0")
    await run("UPDATE ai_triage SET at = '2026-11-02T00:00:00+00:00' WHERE message_id % 6 = 0")
    await run("UPDATE ai_triage SET model = 'gpt-4o-mini' WHERE message_id % 9 = 0")
    await run("UPDATE ai_triage SET transcript = NULL, messages_read = 1")  # not summed: nothing to count
    await run("DELETE FROM ai_calls WHERE id % 3 = 0")
    await run("DELETE FROM ai_triage WHERE message_id % 4 = 0")
    await db.connection.commit()
    await _hours_equal_the_rows(db)
    await _usage_equals_the_rows(db, 4)
    await run("DELETE FROM ai_calls")
    await run("DELETE FROM ai_triage")
    await db.connection.commit()
    assert await _rows(db, "SELECT * FROM ai_usage_hourly") == []


async def test_a_write_rolled_back_takes_its_sums_with_it(db: Database) -> None:
    await _write(db, 5, calls=100)
    before = await _rows(db, "SELECT * FROM ai_usage_hourly ORDER BY hour, model")
    conn = db.connection
    await conn.execute("BEGIN")
    await conn.execute(
        "INSERT INTO ai_calls (ticket_id, step, provider, model, cost_usd, latency_ms, outcome, at)"
        " VALUES (1, 'draft', 'openai', 'gpt-4o-mini', 0.5, 100, 'ok', '2026-11-10T10:00:00+00:00')"
    )
    assert await _rows(db, "SELECT * FROM ai_usage_hourly ORDER BY hour, model") != before
    await conn.execute("ROLLBACK")
    assert await _rows(db, "SELECT * FROM ai_usage_hourly ORDER BY hour, model") == before


async def test_a_database_from_before_the_sums_gets_them_counted_on_upgrade(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    old = database_before(19, path, tmp_path)
    await old.open()
    await _write(old, 6, calls=800)
    await old.close()

    db = Database(path)
    await db.open()
    try:
        assert len(await _rows(db, "SELECT * FROM ai_usage_hourly")) > 500
        await _hours_equal_the_rows(db)
        await _usage_equals_the_rows(db, 7)
    finally:
        await db.close()
