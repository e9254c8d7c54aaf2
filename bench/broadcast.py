"""Broadcast benchmark: 10,000 recipients against the fake Graph API, capped, uncapped, and killed.

    .venv/bin/python -m bench.broadcast [--recipients 10000] [--cap 80] [--only uncapped,kill]
        [--cprofile FILE] [--json]

``atende run`` is a child process; the fake Graph and Slack APIs run in this process. For each
run a fresh database gets the customers and one queued broadcast (as a confirmed crisis leaves
it: every customer outside the 24-hour window, so each gets the template; the daily limit is
off), then the bot is started and sends it. Three runs:

* **capped**: ``BROADCAST_RATE_PER_SECOND=--cap``. Achieved rate = sends after the first ÷
  time from the first to the last send the fake accepted. Target: within 5% of the cap.
* **uncapped**: ``BROADCAST_RATE_PER_SECOND=0``. Target: at least 1,000 messages/s (issue 18). The
  bot's CPU per send (from the start of sending to the end, start-up excluded) is printed too:
  on a shared machine it is the figure to compare between changes.
* **kill**: uncapped, SIGKILL once half the recipients have been sent to, restart on the same
  database. The fake posts a ``sent`` status webhook for every accepted send (as Meta does,
  re-posting while the bot is down), which is how sends cut by the kill are confirmed.
  Target: every recipient exactly once (0 duplicates, 0 missing).

``--only`` picks runs (``--only uncapped,kill``); ``--cprofile FILE`` runs the uncapped bot under
cProfile. Exit status 0 when every target is met, 1 when one is missed, 2 when the harness failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.intake import PHONE_ID, SLACK_TOKEN, WA_SECRET, WA_TOKEN, _free_port, stop_all
from bench.soak import Bot
from bench.soak_ai import TimedGraph
from core.broadcast.service import Broadcasts
from core.customers.model import Channel
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore
from testing.slack.api import FakeSlackAPI

CAP_TOLERANCE = 0.05
TARGET_UNCAPPED = 1000.0


class _Now:
    def now(self) -> datetime:
        return datetime.now(UTC)


def phone(n: int) -> str:
    return f"55219{n:08d}"


async def prepare(db: Path, recipients: int) -> None:
    """Customers and one queued broadcast to all of them."""
    database = Database(str(db))
    await database.open()
    store = SqliteStore(database)
    now = _Now().now()
    async with store.transaction() as tx:
        ids = [
            (await tx.create_customer(Channel.WHATSAPP, phone(n), None, now)).id for n in range(recipients)
        ]
    await Broadcasts(store, _Now(), [Channel.WHATSAPP]).enqueue(
        "crise", "bench", ids, "Aviso: a plataforma está instável. Já estamos resolvendo.", "aviso_importante"
    )
    await database.close()


def scalar(db: Path, sql: str) -> Any:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


async def wait_done(db: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scalar(db, "SELECT COUNT(*) FROM broadcasts WHERE state = 'done'") == 1:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"broadcast not done within {timeout:.0f}s")


async def run_once(
    recipients: int, rate: float, *, kill_at_half: bool = False, profile: Path | None = None
) -> dict[str, Any]:
    """One broadcast from a fresh database; the fake's view of it."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    db = workdir / "atende.db"
    await prepare(db, recipients)
    async with (
        TimedGraph(token=WA_TOKEN, phone_id=PHONE_ID) as graph,
        FakeSlackAPI(token=SLACK_TOKEN) as slack,
    ):
        port = _free_port()
        if kill_at_half:
            graph.report_statuses(f"http://127.0.0.1:{port}/whatsapp/webhook", WA_SECRET)
        bot = Bot(
            workdir,
            graph.url,
            slack.url,
            port=port,
            AI_ENABLED="false",
            BROADCAST_RATE_PER_SECOND=str(rate),
            WHATSAPP_DAILY_LIMIT="0",
            BROADCAST_CONFIRM_GRACE_SECONDS="5",
        )
        bot.profile = profile
        async with aiohttp.ClientSession() as session:
            await bot.start(session)
            assert bot.child is not None
            cpu_at_start = bot.child.cpu_seconds() or 0.0  # the imports and start-up are not counted
            in_flight = 0
            if kill_at_half:
                while len(graph.sent) < recipients // 2:
                    await asyncio.sleep(0.005)
                bot.kill()
                in_flight = scalar(db, "SELECT COUNT(*) FROM broadcast_recipients WHERE state = 'sending'")
                await bot.start(session)
            await wait_done(db, timeout=recipients / max(rate, 50) * 3 + 60)
            cpu = (bot.child.cpu_seconds() or 0.0) - cpu_at_start if not kill_at_half else None
            if bot.child is not None:
                bot.child.stop(timeout=60 if profile else 10)
        sent = Counter(m["to"] for m in graph.sent)
        arrivals = sorted(graph.sent_at.values())
    shutil.rmtree(workdir, ignore_errors=True)
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    return {
        "recipients": recipients,
        "sends": len(graph.sent),
        "rate": (len(arrivals) - 1) / span if span else 0.0,
        "seconds": span,
        "duplicates": sum(count - 1 for count in sent.values() if count > 1),
        "missing": sum(1 for n in range(recipients) if phone(n) not in sent),
        "in_flight_at_kill": in_flight,
        "cpu_ms_per_send": round(cpu * 1000 / len(graph.sent), 2) if cpu and graph.sent else None,
    }


async def amain(args: argparse.Namespace) -> int:
    runs = {
        "capped": lambda: run_once(args.recipients, args.cap),
        "uncapped": lambda: run_once(args.recipients, 0, profile=args.cprofile),
        "kill": lambda: run_once(args.recipients, 0, kill_at_half=True),
    }
    results = {name: await run() for name, run in runs.items() if name in args.only}
    checks: dict[str, bool] = {}
    if "capped" in results:
        rate = results["capped"]["rate"]
        checks[f"capped rate within {CAP_TOLERANCE:.0%} of {args.cap:g}/s"] = (
            abs(rate - args.cap) <= args.cap * CAP_TOLERANCE
        )
    if "uncapped" in results:
        checks[f"uncapped >= {TARGET_UNCAPPED:g}/s"] = results["uncapped"]["rate"] >= TARGET_UNCAPPED
    if "kill" in results:
        checks["kill: 0 duplicates, 0 missing"] = (
            results["kill"]["duplicates"] == 0 and results["kill"]["missing"] == 0
        )
    checks["every run: each recipient once"] = all(
        r["duplicates"] == 0 and r["missing"] == 0 for r in results.values()
    )
    if args.json:
        print(json.dumps({"results": results, "checks": checks}, indent=2))
    else:
        print(f"broadcast benchmark, {args.recipients:,} recipients (templates, daily limit off)")
        for name, r in results.items():
            print(
                f"  {name:9} {r['sends']:>6} sends in {r['seconds']:7.2f} s = {r['rate']:8.1f} msg/s"
                f"  duplicates {r['duplicates']}  missing {r['missing']}"
                + (f"  bot CPU {r['cpu_ms_per_send']} ms/send" if name != "kill" else "")
                + (f"  (in flight at the kill: {r['in_flight_at_kill']})" if name == "kill" else "")
            )
        for label, ok in checks.items():
            print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(checks.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--cap", type=float, default=80.0, help="BROADCAST_RATE_PER_SECOND of the capped run")
    parser.add_argument(
        "--only",
        type=lambda v: v.split(","),
        default=["capped", "uncapped", "kill"],
        help="runs to do, comma-separated (capped,uncapped,kill)",
    )
    parser.add_argument("--cprofile", type=Path, metavar="FILE", help="run the uncapped bot under cProfile")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(amain(args))
    except RuntimeError as error:
        print(f"harness failed: {error}", file=sys.stderr)
        return 2
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
