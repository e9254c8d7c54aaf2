"""The monthly report over 100,000 tickets and 1,000,000 messages (target: < 2 s).

Builds a fresh SQLite database (the real migrations) with a month of synthetic desk life:
``--tickets`` tickets over 30 days, ``--messages`` messages among them (customers, agents and
the AI), escalations and reopenings, CSAT and NPS answers, and the AI core's call log and
triage; the inserts keep each ticket's facts (``ticket_facts``) as intake does. Then times
what ``/suporte relatorio mes`` does before posting: counting every metric in SQL
(:meth:`storage.sqlite.read.reports.ReportRows.report`) and writing the summary; the three
charts are timed apart (drawing PNGs is matplotlib's work, not the metrics'). ``--rows``
also times the reference path the CSV export still takes: reading one row per ticket from
the messages (:meth:`~storage.sqlite.read.reports.ReportRows.load`) and computing in Python
(:func:`core.reports.metrics.compute`), and checks both give the same report.

    .venv/bin/python -m bench.report [--tickets 100000] [--messages 1000000] [--runs 3] [--rows] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.common.business_hours import BusinessHours
from core.reports.metrics import compute
from core.reports.model import CostPolicy
from core.reports.texts import summary
from handlers.slack.report_charts import charts
from storage.sqlite.database import Database
from storage.sqlite.read.report_tally import tally_in_sql
from storage.sqlite.read.reports import ReportRows

TARGET_S = 2.0
END = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # a Friday, 18:00 in São Paulo
START = END - timedelta(days=30)
CATEGORIES = ("billing", "technical", "onboarding", "feature_request", "bug_report", "general_inquiry")
AGENTS = tuple(f"UAGENT{n}" for n in range(8))
MODELS = (("gemini-2.5-flash", 0.85), ("gpt-4o-mini", 0.15))


def _iso(moment: datetime) -> str:
    return moment.isoformat()


async def _fill(db: Database, tickets: int, messages: int, seed: int = 7) -> None:
    """Insert the month in one transaction with executemany (the load is not what is measured)."""
    rng = random.Random(seed)
    customers = max(tickets // 4, 1)
    per_ticket = max(messages // tickets, 2)
    span = (END - START).total_seconds()
    rows: dict[str, list[tuple]] = {
        k: [] for k in ("customers", "tickets", "messages", "events", "csat", "nps", "calls", "triage")
    }
    for c in range(1, customers + 1):
        rows["customers"].append((c, "whatsapp", f"55119{c:08d}", f"Cliente {c}", _iso(START)))
    message_id = 0
    opened_times = sorted(START + timedelta(seconds=rng.random() * span * 0.98) for _ in range(tickets))
    for t, opened in enumerate(opened_times, start=1):
        customer = rng.randrange(1, customers + 1)
        ai_only = rng.random() < 0.3
        moment = opened
        first_in = None
        for i in range(per_ticket):
            message_id += 1
            moment += timedelta(seconds=rng.expovariate(1 / 1800))
            if i % 2 == 0:
                direction, author = "in", None
                first_in = first_in or message_id
                rows["triage"].append(
                    (
                        message_id,
                        t,
                        rng.choice(CATEGORIES),
                        rng.choice(("low", "medium", "high", "critical")),
                        "simple",
                        rng.random(),
                        "pt-BR",
                        0.8,
                        int(rng.random() < 0.2),
                        None,
                        1,
                        MODELS[0][0] if rng.random() < MODELS[0][1] else MODELS[1][0],
                        _iso(moment),
                    )
                )
            elif ai_only or i == 1:
                direction, author = "out", f"ai:{MODELS[0][0]}"
            else:
                direction, author = "out", rng.choice(AGENTS)
            rows["messages"].append((message_id, t, direction, "text", "…", author, _iso(moment)))
            if direction == "in" or author and author.startswith("ai:"):
                model = MODELS[0][0] if rng.random() < MODELS[0][1] else MODELS[1][0]
                rows["calls"].append(
                    (
                        t,
                        message_id,
                        "triage",
                        "google",
                        model,
                        400,
                        80,
                        0.0002,
                        rng.uniform(300, 2500),
                        "ok",
                        _iso(moment),
                    )
                )
        resolved = moment + timedelta(minutes=5) if rng.random() < 0.85 else None
        rows["tickets"].append(
            (
                t,
                customer,
                "whatsapp",
                "resolved" if resolved else "in_progress",
                _iso(opened),
                _iso(resolved) if resolved else None,
                rng.choice(AGENTS) if resolved else None,
            )
        )
        rows["events"].append((t, "customer", "opened", "", _iso(opened)))
        if rng.random() < 0.12:
            rows["events"].append((t, "UAGENT0", "escalated", "tier 2", _iso(opened + timedelta(hours=1))))
        if resolved and rng.random() < 0.05:
            rows["events"].append((t, "customer", "reopened", "", _iso(resolved - timedelta(minutes=1))))
        if resolved and rng.random() < 0.3:
            rows["csat"].append(
                (t, rng.choice((1, 2, 3, 4, 4, 5, 5, 5)), _iso(resolved + timedelta(minutes=2)))
            )
        if resolved and rng.random() < 0.05:
            rows["nps"].append((customer, rng.randrange(0, 11), _iso(resolved + timedelta(minutes=3))))
    conn = db.connection
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO customers (id, channel, address, name, created_at) VALUES (?, ?, ?, ?, ?)",
        rows["customers"],
    )
    await conn.executemany(
        "INSERT INTO tickets (id, customer_id, channel, status, opened_at, resolved_at, resolved_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows["tickets"],
    )
    await conn.executemany(
        "INSERT INTO messages (id, ticket_id, direction, kind, body, author, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows["messages"],
    )
    await conn.executemany(
        "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)", rows["events"]
    )
    await conn.executemany("INSERT INTO csat (ticket_id, score, at) VALUES (?, ?, ?)", rows["csat"])
    await conn.executemany("INSERT INTO nps (customer_id, score, at) VALUES (?, ?, ?)", rows["nps"])
    await conn.executemany(
        "INSERT INTO ai_calls (ticket_id, message_id, step, provider, model, prompt_tokens, completion_tokens,"
        " cost_usd, latency_ms, outcome, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows["calls"],
    )
    await conn.executemany(
        "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment, language,"
        " confidence, requires_human, reason, tier, model, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows["triage"],
    )
    await conn.execute("COMMIT")
    await conn.execute("ANALYZE")


async def _parts(source: ReportRows, hours: BusinessHours, runs: int) -> dict[str, float]:
    """Each part the report runs side by side, timed alone (best of ``runs``): which one sets the wall time."""
    tables = await source._tables()
    parts = {
        "tally (ticket_facts, 2 connections)": lambda: tally_in_sql(source._own, START, END, END, hours),
        "context (categories, drafts, AI by model)": lambda: source._context(START, END, END, tables),
        "AI usage by model (ai_usage_hourly)": lambda: source.usage(START.isoformat(), END.isoformat()),
    }
    best = {}
    for name, part in parts.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            await part()
            times.append(time.perf_counter() - t0)
        best[name] = min(times)
    return best


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rows", action="store_true", help="also time reading the rows and computing in Python"
    )
    parser.add_argument(
        "--parts", action="store_true", help="also time the report's parts one after another, each alone"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    hours = BusinessHours()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(str(Path(folder) / "bench.db"))
        await db.open()
        started = time.perf_counter()
        await _fill(db, args.tickets, args.messages)
        fill_s = time.perf_counter() - started
        await db.close()
        db = Database(str(Path(folder) / "bench.db"))  # fresh connections: nothing cached from the fill
        await db.open()
        source = ReportRows(db)
        counts, texts_, totals, loads, computes = [], [], [], [], []
        report = None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            report = await source.report(START, END, END, hours, CostPolicy())
            t1 = time.perf_counter()
            summary(report, "mes", (START.astimezone(hours.zone), END.astimezone(hours.zone)))
            t2 = time.perf_counter()
            counts.append(t1 - t0)
            texts_.append(t2 - t1)
            totals.append(t2 - t0)
        assert report is not None
        for _ in range(args.runs if args.rows else 0):
            t0 = time.perf_counter()
            data = await source.load(START, END, END)
            t1 = time.perf_counter()
            reference = compute(data, hours)
            loads.append(t1 - t0)
            computes.append(time.perf_counter() - t1)
            del data
            if reference != report:
                print("the SQL tally and the Python reference disagree", file=sys.stderr)
                return 2
        parts = await _parts(source, hours, args.runs) if args.parts else {}
        t0 = time.perf_counter()
        pictures = charts(report)
        charts_s = time.perf_counter() - t0
        count = list(await db.reader.execute_fetchall("SELECT COUNT(*) FROM messages"))[0][0]
        await db.close()

    best = min(totals)
    figures: dict[str, object] = {
        "tickets": report.total,
        "messages": count,
        "fill_s": round(fill_s, 1),
        "report_s_best": round(best, 3),
        "report_s_median": round(statistics.median(totals), 3),
        "sql_s": round(min(counts), 3),
        "summary_s": round(min(texts_), 4),
        "charts_s": round(charts_s, 3),
        "charts": len(pictures),
        "target_s": TARGET_S,
        "pass": best < TARGET_S,
    }
    figures |= {f"part_{name}_s": round(s, 3) for name, s in parts.items()}
    if args.rows:
        figures |= {
            "rows_load_s": round(min(loads), 3),
            "rows_compute_s": round(min(computes), 3),
            "rows_s_median": round(statistics.median(a + b for a, b in zip(loads, computes, strict=True)), 3),
        }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"monthly report over {report.total:,} tickets and {count:,} messages (fill {fill_s:.1f} s)")
        print(f"  counted in SQL {min(counts):.3f} s")
        print(f"  summary text   {min(texts_):.4f} s")
        print(
            f"  total          {best:.3f} s best, {statistics.median(totals):.3f} s median"
            f" of {args.runs}  (target < {TARGET_S:.0f} s: {'met' if best < TARGET_S else 'MISSED'})"
        )
        if args.rows:
            print(
                f"  rows + Python  {min(loads):.3f} s rows read, {min(computes):.3f} s metrics (the reference;"
                " same report)"
            )
        for name, s in parts.items():
            print(f"  part alone     {s:.3f} s best of {args.runs}  {name}")
        print(f"  charts         {charts_s:.3f} s for {len(pictures)} PNGs (apart from the target)")
    return 0 if best < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
