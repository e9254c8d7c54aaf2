"""One SLA tick over 50,000 open tickets (target: < 200 ms).

Builds a fresh SQLite database (the real migrations) holding ``--tickets`` open tickets, each
with its first-response and resolution clocks, of which ``--due`` percent have a warning or a
breach due now (half each); then times :meth:`SupportDesk.sla_tick` as the ticker calls it: the tick that
has that work to do (warnings given, breaches recorded, alerts queued, all in one transaction)
and the next one, which finds nothing due.

    .venv/bin/python -m bench.sla_tick [--tickets 50000] [--due 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.sla.clock import SlaClock
from core.sla.model import TimerKind
from core.tickets.service import SupportDesk
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore
from testing.clock import FixedClock

TARGET_MS = 200.0
NOW = datetime(2025, 9, 17, 15, 0, tzinfo=UTC)  # a Wednesday, noon in São Paulo


async def _fill(db: Database, tickets: int, due_percent: float) -> int:
    """Insert customers, open tickets and their clocks in one transaction; returns how many are due."""
    now = NOW.timestamp()
    due_every = max(int(100 / due_percent), 1) if due_percent > 0 else 0
    customers, rows, timers = [], [], []
    due = 0
    opened = (NOW - timedelta(minutes=20)).isoformat()
    for n in range(1, tickets + 1):
        customers.append((n, "whatsapp", f"5511{n:09d}", f"Cliente {n}", opened))
        rows.append((n, n, "whatsapp", "new", opened))
        is_due = bool(due_every) and n % due_every == 0
        due += is_due
        # first response: for the few, half breached and half at their 75% warning; later for the rest
        first_due = (now - 60 if (n // due_every) % 2 else now + 300) if is_due else now + 3600 + n
        timers.append(
            (n, TimerKind.FIRST_RESPONSE.value, "running", 1800.0, now - 1800, first_due, first_due - 450)
        )
        resolution_due = now + 86_400 + n
        timers.append(
            (n, TimerKind.RESOLUTION.value, "running", 86_400.0, now - 1800, resolution_due, now + 40_000 + n)
        )
    conn = db.connection
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO customers (id, channel, address, name, created_at) VALUES (?, ?, ?, ?, ?)", customers
    )
    await conn.executemany(
        "INSERT INTO tickets (id, customer_id, channel, status, opened_at) VALUES (?, ?, ?, ?, ?)", rows
    )
    await conn.executemany(
        "INSERT INTO sla_timers (ticket_id, kind, state, target_seconds, started_at, due_at, warn_at, next_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*t, t[6]) for t in timers],
    )
    await conn.execute("COMMIT")
    return due


async def run(tickets: int, due_percent: float, repeats: int) -> dict[str, float | int | bool]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(str(Path(folder) / "bench.db"))
        await db.open()
        try:
            due = await _fill(db, tickets, due_percent)
            support = SupportDesk(SqliteStore(db), FixedClock(NOW), sla=SlaClock())
            started = time.perf_counter()
            busy = await support.sla_tick()
            busy_ms = (time.perf_counter() - started) * 1000
            idle = []
            for _ in range(repeats):
                started = time.perf_counter()
                await support.sla_tick()
                idle.append((time.perf_counter() - started) * 1000)
            outbox = (await db.reader.execute_fetchall("SELECT COUNT(*) FROM outbox"))[0][0]
        finally:
            await db.close()
    return {
        "open_tickets": tickets,
        "timers": tickets * 2,
        "due": due,
        "warnings": busy.warnings,
        "breaches": busy.breaches,
        "alerts_queued": outbox,
        "tick_with_work_ms": round(busy_ms, 1),
        "idle_tick_median_ms": round(statistics.median(idle), 2),
        "target_ms": TARGET_MS,
        "passed": busy_ms < TARGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.sla_tick", description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument(
        "--due", type=float, default=1.0, help="percent of tickets with a warning or a breach due now"
    )
    parser.add_argument("--repeats", type=int, default=20, help="idle ticks timed after the busy one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.tickets, args.due, args.repeats))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"open tickets            {result['open_tickets']:>10,} ({result['timers']:,} clocks)")
        print(
            f"due now                 {result['due']:>10,}"
            f" ({result['warnings']} warnings, {result['breaches']} breaches recorded)"
        )
        print(f"alerts queued (outbox)  {result['alerts_queued']:>10,}")
        print(f"tick with that work     {result['tick_with_work_ms']:>10} ms  (target < {TARGET_MS:.0f} ms)")
        print(f"idle tick (median)      {result['idle_tick_median_ms']:>10} ms")
        print("PASS" if result["passed"] else "MISS")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
