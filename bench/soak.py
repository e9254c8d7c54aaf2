"""Soak run: mixed traffic with random platform and AI faults and SIGKILL restarts, then a reconciliation.

    .venv/bin/python -m bench.soak [--minutes 30] [--rate 8] [--customers 40] [--kill-every 180]

``atende run`` is a child process (so it can be killed without any cleanup) wired to the fake
Graph, Slack, Gemini and OpenAI APIs, which run in this process so faults can be switched on
and off:

* customers send signed WhatsApp webhooks (``[soak:N:C]`` marks message N of customer C), some
  the AI answers, some it drafts for an agent, some it hands to a person at once; a request
  the bot does not answer with 200 is re-sent, as Meta re-delivers;
* agents claim tickets, answer in threads (``[agent:M]``), send pending AI drafts and resolve
  some tickets; Slack events the bot misses are re-sent with the same ids, as Slack retries;
* every few seconds a fault is injected: Slack 429 with Retry-After, Slack 5xx, Graph 5xx,
  Graph timeouts (answers slower than the bot's HTTP timeout), model timeouts, model 5xx and
  malformed model output (see :mod:`bench.soak_ai`);
* every ``--kill-every`` seconds the bot gets SIGKILL and is started again.

At the end the faults stop, the bot drains, and the run is reconciled from what the fakes
received and what the database holds. Printed: inbound messages accepted, shown in Slack
exactly once / missing / duplicated (and whether each duplicate came right after a kill),
agent replies delivered once / missing / duplicated, the AI's outcome for every customer
message and whether each of its posts and sends happened once, ticket consistency checks,
and dead outbox rows with their reasons. Exit status 1 when anything was lost, duplicated
away from a kill, or left inconsistent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.intake import (
    CHANNEL,
    PHONE_ID,
    PYTHON,
    SLACK_SECRET,
    SLACK_TOKEN,
    WA_SECRET,
    WA_TOKEN,
    WA_VERIFY,
    Child,
    _child_env,
    _free_port,
    _wait_healthy,
    stop_all,
)
from bench.soak_ai import (
    CUSTOMER_TEXTS,
    TimedGraph,
    TimedSlack,
    ai_env,
    inject_ai_fault,
    models,
    pending_draft,
    reconcile_ai,
)
from handlers.slack.ai_blocks import DRAFT_SEND
from handlers.slack.ticket_blocks import CLAIM, RESOLVE
from testing.gemini_api import FakeGeminiAPI
from testing.openai_api import FakeOpenAIAPI
from testing.signing import sign_slack, sign_whatsapp, to_bytes
from testing.slack_payloads import slack_block_action, slack_message_event
from testing.whatsapp_webhooks import wa_text_message

INBOUND = re.compile(r"\[soak:(\d+):(\d+)\]")
REPLY = re.compile(r"\[agent:(\d+)\]")
AGENTS = ("UANA", "UBRUNO", "UCARLA")
# The at-least-once window the design accepts: an effect ran, the process died before
# recording it, and the restarted worker runs it again first thing. Either copy may be the
# one counted as the duplicate (the unrecorded first one, or the repeat), so the window runs
# from a little before the SIGKILL to this long after the new process answers /healthz:
# counted from the restart, so a slow start on a busy CI box does not fail the run.
KILL_WINDOW_SECONDS = 10.0
BEFORE_KILL_SECONDS = 5.0
HTTP_TIMEOUT = 2.0


def phone(customer: int) -> str:
    return f"55119{customer:08d}"


@dataclass
class Run:
    """What the load generator did, for the reconciliation."""

    accepted: dict[int, int] = field(default_factory=dict)
    """inbound message n -> customer."""
    replies: dict[int, int] = field(default_factory=dict)
    """agent reply m -> customer it must reach."""
    kills: list[tuple[float, float]] = field(default_factory=list)
    """(SIGKILL, new process healthy) wall-clock times (time.time) of each restart."""
    faults: Counter[str] = field(default_factory=Counter)
    resolved: set[str] = field(default_factory=set)
    claimed: set[str] = field(default_factory=set)
    drafts_sent: int = 0
    """AI drafts an agent sent with the draft's Enviar button."""


class Bot:
    """``atende run`` as a child process that can be killed and started again on the same database."""

    def __init__(
        self, workdir: Path, graph_url: str, slack_url: str, *, port: int | None = None, **settings: str
    ) -> None:
        """``settings`` are environment variables on top of the wiring to the fakes."""
        self.workdir = workdir
        self.db = workdir / "atende.db"
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _child_env(
            ATENDE_HOST="127.0.0.1",
            ATENDE_PORT=str(self.port),
            DATABASE_PATH=str(self.db),
            LOG_LEVEL="WARNING",
            WHATSAPP_PHONE_ID=PHONE_ID,
            WHATSAPP_TOKEN=WA_TOKEN,
            WHATSAPP_APP_SECRET=WA_SECRET,
            WHATSAPP_VERIFY_TOKEN=WA_VERIFY,
            WHATSAPP_API_URL=graph_url,
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_SIGNING_SECRET=SLACK_SECRET,
            SLACK_APP_TOKEN="",
            SLACK_SUPPORT_CHANNEL=CHANNEL,
            SLACK_API_URL=slack_url + "/api/",
            **settings,
        )
        self.child: Child | None = None
        self.starts = 0
        self.profile: Path | None = None
        """When set, the next start runs under cProfile and writes its stats here when stopped."""

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.starts += 1
        log = self.workdir / f"atende-{self.starts}.log"
        profiler = [] if self.profile is None else ["-m", "cProfile", "-o", str(self.profile.resolve())]
        self.child = Child("atende", [PYTHON, *profiler, "-m", "bot.cli", "run"], self.env, self.workdir, log)
        await _wait_healthy(session, self.url + "/healthz", self.child)

    def kill(self) -> None:
        if self.child is not None:
            self.child.stop(signal.SIGKILL)


async def deliver(session: aiohttp.ClientSession, url: str, raw: bytes, headers: dict[str, str]) -> None:
    """POST until the bot answers 200, the way Meta and Slack retry an unacknowledged delivery."""
    while True:
        try:
            async with session.post(url, data=raw, headers=headers) as response:
                await response.read()
                if response.status == 200:
                    return
        except (aiohttp.ClientError, TimeoutError):
            pass
        await asyncio.sleep(0.5)


async def customers(
    args: argparse.Namespace, bot: Bot, session: aiohttp.ClientSession, run: Run, end: float
) -> None:
    n = 0
    rng = random.Random(args.seed)
    pending: set[asyncio.Task[None]] = set()
    while time.monotonic() < end:
        n += 1
        customer = rng.randrange(args.customers)
        raw = to_bytes(
            wa_text_message(
                phone(customer), f"Cliente {customer}", f"[soak:{n}:{customer}] {rng.choice(CUSTOMER_TEXTS)}"
            )
        )
        task = asyncio.create_task(
            deliver(session, bot.url + "/whatsapp/webhook", raw, sign_whatsapp(raw, WA_SECRET))
        )
        task.add_done_callback(lambda _t, n=n, c=customer: run.accepted.__setitem__(n, c))
        pending.add(task)
        task.add_done_callback(pending.discard)
        await asyncio.sleep(1 / args.rate)
    await asyncio.gather(*pending)


def customer_of_thread(slack: TimedSlack, parent_ts: str) -> int | None:
    for message in slack.thread(CHANNEL, parent_ts):
        if match := INBOUND.search(message.get("text") or ""):
            return int(match.group(2))
    return None


async def agents(
    args: argparse.Namespace,
    bot: Bot,
    slack: TimedSlack,
    session: aiohttp.ClientSession,
    run: Run,
    end: float,
) -> None:
    m = 0
    rng = random.Random(args.seed + 1)
    form = "application/x-www-form-urlencoded"
    while time.monotonic() < end:
        await asyncio.sleep(1 / args.agent_rate)
        open_parents = [p for p in slack.channel_messages(CHANNEL) if p["ts"] not in run.resolved]
        if not open_parents:
            continue
        parent = rng.choice(open_parents[-20:])
        customer = customer_of_thread(slack, parent["ts"])
        ticket = _ticket_value(parent)
        if customer is None or ticket is None:
            continue
        agent = rng.choice(AGENTS)
        draft = pending_draft(slack.thread(CHANNEL, parent["ts"]))
        if draft is not None and rng.random() < args.draft_share:
            click = slack_block_action(
                DRAFT_SEND, draft, user_id=agent, channel=CHANNEL, message_ts=parent["ts"]
            )
            await deliver(
                session, bot.url + "/slack/events", click, sign_slack(click, SLACK_SECRET, content_type=form)
            )
            run.drafts_sent += 1
            continue
        if parent["ts"] not in run.claimed:
            click = slack_block_action(CLAIM, ticket, user_id=agent, channel=CHANNEL, message_ts=parent["ts"])
            await deliver(
                session, bot.url + "/slack/events", click, sign_slack(click, SLACK_SECRET, content_type=form)
            )
            run.claimed.add(parent["ts"])
        m += 1
        text = f"[agent:{m}] resposta para você"
        ts = slack.post_as_user(CHANNEL, agent, text, thread_ts=parent["ts"])["ts"]
        event = slack_message_event(CHANNEL, agent, text, ts=ts, thread_ts=parent["ts"])
        await deliver(session, bot.url + "/slack/events", event, sign_slack(event, SLACK_SECRET))
        run.replies[m] = customer
        if rng.random() < args.resolve_share:
            run.resolved.add(parent["ts"])
            click = slack_block_action(
                RESOLVE, ticket, user_id=agent, channel=CHANNEL, message_ts=parent["ts"]
            )
            await deliver(
                session, bot.url + "/slack/events", click, sign_slack(click, SLACK_SECRET, content_type=form)
            )


def _ticket_value(parent: dict) -> str | None:
    for block in parent.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") in (CLAIM, RESOLVE) and element.get("value"):
                return str(element["value"])
    return None


async def faults(
    args: argparse.Namespace,
    graph: TimedGraph,
    slack: TimedSlack,
    gemini: FakeGeminiAPI,
    openai: FakeOpenAIAPI,
    run: Run,
    end: float,
) -> None:
    rng = random.Random(args.seed + 2)
    while time.monotonic() < end:
        await asyncio.sleep(args.fault_every)
        kind = rng.choice(["slack429", "slack5xx", "graph5xx", "graph_timeout", "ai", "ai"])
        times = rng.randint(1, 6)
        if kind == "ai":
            kind = inject_ai_fault(rng, gemini, openai)
        elif kind == "slack429":
            slack.fail("chat.postMessage", status=429, retry_after=1, times=times)
        elif kind == "slack5xx":
            slack.fail(rng.choice(["chat.postMessage", "chat.update"]), status=503, times=times)
        elif kind == "graph5xx":
            graph.fail("messages", status=500, times=times)
        else:
            # the bot times out and the Graph API then fails the request: nothing was sent. (A
            # platform that processes a request after our timeout would be sent it twice: the
            # Cloud API has no idempotency key, so no client can tell.)
            graph.delay("messages", HTTP_TIMEOUT + 1.0, times=times, then_status=504)
        run.faults[kind] += 1


async def killer(
    args: argparse.Namespace, bot: Bot, session: aiohttp.ClientSession, run: Run, end: float
) -> None:
    while time.monotonic() + args.kill_every < end:
        await asyncio.sleep(args.kill_every)
        killed = time.time()
        bot.kill()
        await bot.start(session)
        run.kills.append((killed, time.time()))


async def drain(bot: Bot, session: aiohttp.ClientSession, timeout: float) -> bool:
    """Wait until the inbox and outbox are empty (dead rows do not count)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            async with session.get(bot.url + "/healthz") as response:
                health = await response.json()
            if health["inbox_backlog"] == 0 and health["outbox"].get("pending", 0) == 0:
                return True
        except (aiohttp.ClientError, TimeoutError, KeyError):
            pass
        await asyncio.sleep(0.5)
    return False


def reconcile(run: Run, graph: TimedGraph, slack: TimedSlack, db: Path) -> tuple[list[str], bool]:
    lines: list[str] = []
    posted_at: dict[int, list[float]] = {}
    for (_, ts), msg in slack.messages.items():
        # the customer's own words open the post; a tier escalation's summary quotes them too
        if match := INBOUND.match(msg.get("text") or ""):
            posted_at.setdefault(int(match.group(1)), []).append(slack.posted_at.get(ts, 0.0))
    missing_in = sorted(n for n in run.accepted if n not in posted_at)
    dup_in = sorted(n for n in run.accepted if len(posted_at.get(n, [])) > 1)
    sent_at: dict[int, list[float]] = {}
    delivered_to: dict[int, set[str]] = {}
    for sent in graph.sent:
        if sent.get("type") == "text" and (match := REPLY.search(sent["text"]["body"])):
            m = int(match.group(1))
            sent_at.setdefault(m, []).append(graph.sent_at.get(sent["id"], 0.0))
            delivered_to.setdefault(m, set()).add(sent.get("to"))
    missing_out = sorted(m for m in run.replies if m not in sent_at)
    dup_out = sorted(m for m in run.replies if len(sent_at.get(m, [])) > 1)
    wrong_to = sorted(m for m, to in delivered_to.items() if to != {phone(run.replies.get(m, -1))})

    def at_kill(at: float) -> bool:
        return any(
            killed - BEFORE_KILL_SECONDS <= at <= healthy + KILL_WINDOW_SECONDS
            for killed, healthy in run.kills
        )

    def repeats_at_kill(times: list[float]) -> bool:
        return all(at_kill(t) for t in sorted(times)[1:])

    dup_out_outside = [m for m in dup_out if not repeats_at_kill(sent_at[m])]
    dup_in_outside = [n for n in dup_in if not repeats_at_kill(posted_at[n])]
    with sqlite3.connect(db) as conn:
        dead = conn.execute(
            "SELECT kind, COALESCE(last_error, ''), COUNT(*) FROM outbox WHERE state = 'dead' GROUP BY 1, 2"
        ).fetchall()
        checks = {
            "tickets without a Slack thread": "SELECT COUNT(*) FROM tickets WHERE thread_ref IS NULL",
            "resolved tickets without resolution time": (
                "SELECT COUNT(*) FROM tickets WHERE status = 'resolved' AND resolved_at IS NULL"
            ),
            "customers with more than one open ticket": (
                "SELECT COUNT(*) FROM (SELECT customer_id FROM tickets WHERE status != 'resolved'"
                " GROUP BY customer_id HAVING COUNT(*) > 1)"
            ),
            "inbox rows not processed": "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL",
            "outbox rows pending": "SELECT COUNT(*) FROM outbox WHERE state = 'pending'",
        }
        inconsistent = {name: conn.execute(sql).fetchone()[0] for name, sql in checks.items()}
        tickets = conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
        ai_lines, ai_ok = reconcile_ai(conn, graph, slack, INBOUND, at_kill, run.drafts_sent)

    lines.append(f"inbound messages accepted: {len(run.accepted)}")
    lines.append(
        f"  shown in Slack exactly once: {sum(1 for n in run.accepted if len(posted_at.get(n, [])) == 1)}, "
        f"missing: {len(missing_in)}, duplicated: {len(dup_in)} ({len(dup_in_outside)} away from a kill)"
    )
    lines.append(f"agent replies written: {len(run.replies)}")
    lines.append(
        f"  delivered exactly once: {sum(1 for m in run.replies if len(sent_at.get(m, [])) == 1)}, "
        f"missing: {len(missing_out)}, duplicated: {len(dup_out)} ({len(dup_out_outside)} away from a kill), "
        f"to the wrong customer: {len(wrong_to)}"
    )
    lines.append(
        f"tickets: {tickets}; consistency: " + ", ".join(f"{k}: {v}" for k, v in inconsistent.items())
    )
    lines.extend(ai_lines)
    lines.append("outbox rows dead: " + (", ".join(f"{k} x{c} ({e[:80]})" for k, e, c in dead) or "none"))
    if missing_in:
        lines.append(f"  missing inbound: {missing_in[:20]}")
    if missing_out:
        lines.append(f"  missing replies: {missing_out[:20]}")
    ok = (
        not missing_in
        and not missing_out
        and not dup_in_outside
        and not dup_out_outside
        and not wrong_to
        and not any(inconsistent.values())
        and ai_ok
    )
    return lines, ok


def keep(folder: Path, db: Path, graph: TimedGraph, slack: TimedSlack) -> None:
    """Copy the database and dump what the fakes received, to look into a failed run."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, folder / "atende.db")
    for log in db.parent.glob("atende-*.log"):
        shutil.copy(log, folder / log.name)
    (folder / "slack.json").write_text(
        json.dumps([{**m, "posted_at": slack.posted_at.get(ts)} for (_, ts), m in slack.messages.items()])
    )
    (folder / "whatsapp.json").write_text(
        json.dumps([{**m, "sent_at": graph.sent_at.get(m["id"])} for m in graph.sent])
    )


async def amain(args: argparse.Namespace) -> int:
    run = Run()
    with tempfile.TemporaryDirectory(prefix="atende-soak-") as tmp:
        workdir = Path(tmp)
        gemini, openai = models()
        async with (
            TimedGraph(token=WA_TOKEN, phone_id=PHONE_ID) as graph,
            TimedSlack(token=SLACK_TOKEN) as slack,
            gemini,
            openai,
        ):
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                bot = Bot(
                    workdir,
                    graph.url,
                    slack.url,
                    HTTP_TIMEOUT_SECONDS=str(HTTP_TIMEOUT),
                    OUTBOX_MAX_ATTEMPTS="12",
                    OUTBOX_RETRY_BASE_SECONDS="0.2",
                    **ai_env(gemini, openai),
                )
                await bot.start(session)
                started = time.monotonic()
                end = started + args.minutes * 60
                print(
                    f"soak: {args.minutes} min, {args.rate} msg/s from {args.customers} customers, "
                    f"a kill every {args.kill_every:.0f} s",
                    flush=True,
                )
                await asyncio.gather(
                    customers(args, bot, session, run, end),
                    agents(args, bot, slack, session, run, end),
                    faults(args, graph, slack, gemini, openai, run, end),
                    killer(args, bot, session, run, end),
                )
                for fake in (graph, slack, gemini, openai):
                    fake.clear_faults()
                for fake in (gemini, openai):
                    for scripted in fake.scripted.values():
                        scripted.clear()
                drained = await drain(bot, session, timeout=120)
                await asyncio.sleep(1)
                if bot.child is not None:
                    bot.child.stop()
                lines, ok = reconcile(run, graph, slack, bot.db)
                if args.keep:
                    keep(args.keep, bot.db, graph, slack)
        elapsed = time.monotonic() - started
    print(f"ran {elapsed / 60:.1f} min; kills: {len(run.kills)}; faults injected: {dict(run.faults)}")
    print("drained" if drained else "NOT drained within 120 s")
    for line in lines:
        print(line)
    ok = ok and drained
    print("RESULT: " + ("PASS - nothing lost, no duplicate away from a kill" if ok else "FAIL"))
    return 0 if ok else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=8.0, help="customer messages per second")
    parser.add_argument("--agent-rate", type=float, default=3.0, help="agent replies per second")
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument(
        "--resolve-share", type=float, default=0.15, help="share of replies followed by Resolver"
    )
    parser.add_argument("--kill-every", type=float, default=180.0, help="seconds between SIGKILLs")
    parser.add_argument("--fault-every", type=float, default=4.0, help="seconds between injected faults")
    parser.add_argument(
        "--draft-share", type=float, default=0.3, help="share of agent turns that send a pending AI draft"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="copy the database and the fakes' records here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        return asyncio.run(amain(parse_args(argv)))
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
