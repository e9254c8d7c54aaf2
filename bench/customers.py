"""Customer import and the daily journeys run over a large customer base.

Imports ``--customers`` records (a CSV written to a temp folder, read and checked as
``atende customers import`` does, stored in batches of 500), then imports them again (all
updates), then times one journeys run over that base with a share of them due a message
(queued through the broadcast engine with their ledger rows). Prints the figures.

    .venv/bin/python -m bench.customers [--customers 100000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.cli.customers import read_file
from core.broadcast.service import Broadcasts, NewBroadcast
from core.customers.importer import CustomerImport
from core.customers.model import Channel
from core.journeys.policy import JourneyPolicy
from core.journeys.run import Journeys
from core.unit_of_work import Transaction
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore
from testing.clock import FixedClock

NOW = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 10:00 in São Paulo


def write_csv(path: Path, customers: int) -> None:
    """One customer a line; every 20th signed up 3 days ago without finishing setup (due a message)."""
    today = NOW.date()
    lines = ["name,phone,plan,signup_date,setup_done,usage_count,renewal_date,last_active"]
    for n in range(customers):
        signup = today - timedelta(days=3 if n % 20 == 0 else 40 + n % 300)
        renewal = date(2027, 1, 1) + timedelta(days=n % 365)
        lines.append(
            f"Cliente {n},55119{n:08d},Pro,{signup},{'não' if n % 2 == 0 else 'sim'},{n % 50},{renewal},"
            f"{(NOW - timedelta(days=n % 60)).isoformat()}"
        )
    path.write_text("\n".join(lines), encoding="utf-8")


async def run(customers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "clientes.csv"
        write_csv(csv, customers)
        db = Database(str(Path(folder) / "bench.db"))
        await db.open()
        try:
            store = SqliteStore(db)
            importer = CustomerImport(store, FixedClock(NOW), JourneyPolicy().zone)
            started = time.perf_counter()
            rows = read_file(csv, None)
            report = await importer.run(rows)
            first = time.perf_counter() - started
            assert report.created == customers, report.lines()
            started = time.perf_counter()
            report = await importer.run(read_file(csv, None))
            again = time.perf_counter() - started
            assert report.updated == customers

            broadcasts = Broadcasts(store, FixedClock(NOW), [Channel.WHATSAPP])

            async def deliver(tx: Transaction, kind: str, key: str, ids: Sequence[int], text: str) -> None:
                request = NewBroadcast(kind, key, tuple(ids), text, "aviso", show_progress=False)
                await broadcasts.enqueue_within(tx, request)

            journeys = Journeys(store, FixedClock(NOW), deliver)
            started = time.perf_counter()
            result = await journeys.run()
            journey_run = time.perf_counter() - started
            assert result is not None
        finally:
            await db.close()
    return {
        "customers": customers,
        "import_seconds": round(first, 2),
        "import_per_second": round(customers / first),
        "reimport_seconds": round(again, 2),
        "journeys_run_seconds": round(journey_run, 2),
        "journey_messages_queued": result.total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(run(args.customers))
    if args.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:>24}: {value}")


if __name__ == "__main__":
    main()
