"""Soak run: mixed traffic with random platform faults and SIGKILL restarts, then a reconciliation.

    .venv/bin/python -m bench.soak [--minutes 30] [--rate 8] [--customers 40] [--kill-every 180]

``atende run`` is a child process (so it can be killed without any cleanup) wired to the fake
Graph and Slack APIs, which run in this process so faults can be switched on and off:

* customers send signed WhatsApp webhooks (``[soak:N:C]`` marks message N of customer C); a
  request the bot does not answer with 200 is re-sent, as Meta re-delivers;
* agents claim tickets, answer in threads (``[agent:M]``) and resolve some; Slack events the
  bot misses are re-sent with the same ids, as Slack retries;
* every few seconds a fault is injected: Slack 429 with Retry-After, Slack 5xx, Graph 5xx,
  Graph timeouts (answers slower than the bot's HTTP timeout);
* every ``--kill-every`` seconds the bot gets SIGKILL and is started again.

At the end the faults stop, the bot drains, and the run is reconciled from what the fakes
received and what the database holds. Printed: inbound messages accepted, shown in Slack
exactly once / missing / duplicated (and whether each duplicate came right after a kill),
agent replies delivered once / missing / duplicated, ticket consistency checks, and dead
outbox rows with their reasons. Exit status 1 when anything was lost, duplicated away from a
kill, or left inconsistent.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
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
from handlers.slack_blocks import CLAIM, RESOLVE
from tests.fakes.signing import (
    sign_slack,
    sign_whatsapp,
    slack_block_action,
    slack_message_event,
    to_bytes,
    wa_text_message,
)
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.whatsapp_graph import FakeGraphAPI

INBOUND = re.compile(r"\[soak:(\d+):(\d+)\]")
REPLY = re.compile(r"\[agent:(\d+)\]")
AGENTS = ("UANA", "UBRUNO", "UCARLA")
# A duplicate posted this soon after a kill is the at-least-once window the design accepts.
KILL_WINDOW_SECONDS = 15.0
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
    kills: list[float] = field(default_factory=list)
    """wall-clock times (time.time) of each SIGKILL."""
    faults: Counter[str] = field(default_factory=Counter)
    resolved: set[str] = field(default_factory=set)
    claimed: set[str] = field(default_factory=set)


class Bot:
    """``atende run`` as a child process that can be killed and started again on the same database."""

    def __init__(self, workdir: Path, graph: FakeGraphAPI, slack: FakeSlackAPI) -> None:
        self.workdir = workdir
        self.db = workdir / "atende.db"
        self.port = _free_port()
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
            WHATSAPP_API_URL=graph.url,
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_SIGNING_SECRET=SLACK_SECRET,
            SLACK_APP_TOKEN="",
            SLACK_SUPPORT_CHANNEL=CHANNEL,
            SLACK_API_URL=slack.url + "/api/",
            HTTP_TIMEOUT_SECONDS=str(HTTP_TIMEOUT),
            OUTBOX_MAX_ATTEMPTS="12",
            OUTBOX_RETRY_BASE_SECONDS="0.2",
        )
        self.child: Child | None = None
        self.starts = 0

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.starts += 1
        log = self.workdir / f"atende-{self.starts}.log"
        self.child = Child("atende", [PYTHON, "-m", "bot.cli", "run"], self.env, self.workdir, log)
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
            wa_text_message(phone(customer), f"Cliente {customer}", f"[soak:{n}:{customer}] preciso de ajuda")
        )
        task = asyncio.create_task(
            deliver(session, bot.url + "/whatsapp/webhook", raw, sign_whatsapp(raw, WA_SECRET))
        )
        task.add_done_callback(lambda _t, n=n, c=customer: run.accepted.__setitem__(n, c))
        pending.add(task)
        task.add_done_callback(pending.discard)
        await asyncio.sleep(1 / args.rate)
    await asyncio.gather(*pending)


def customer_of_thread(slack: FakeSlackAPI, parent_ts: str) -> int | None:
    for message in slack.thread(CHANNEL, parent_ts):
        if match := INBOUND.search(message.get("text") or ""):
            return int(match.group(2))
    return None


async def agents(
    args: argparse.Namespace,
    bot: Bot,
    slack: FakeSlackAPI,
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
    args: argparse.Namespace, graph: FakeGraphAPI, slack: FakeSlackAPI, run: Run, end: float
) -> None:
    rng = random.Random(args.seed + 2)
    while time.monotonic() < end:
        await asyncio.sleep(args.fault_every)
        kind = rng.choice(["slack429", "slack5xx", "graph5xx", "graph_timeout"])
        times = rng.randint(1, 6)
        run.faults[kind] += 1
        if kind == "slack429":
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


async def killer(
    args: argparse.Namespace, bot: Bot, session: aiohttp.ClientSession, run: Run, end: float
) -> None:
    while time.monotonic() + args.kill_every < end:
        await asyncio.sleep(args.kill_every)
        run.kills.append(time.time())
        bot.kill()
        await bot.start(session)


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


def reconcile(run: Run, graph: FakeGraphAPI, slack: FakeSlackAPI, db: Path) -> tuple[list[str], bool]:
    lines: list[str] = []
    shown: Counter[int] = Counter()
    first_seen: dict[int, float] = {}
    for call in slack.calls_to("chat.postMessage"):
        if match := INBOUND.search(str(call.params.get("text") or "")):
            shown[int(match.group(1))] += 1
            first_seen.setdefault(int(match.group(1)), call.at)
    stored = {
        int(m.group(1)) for msg in slack.messages.values() if (m := INBOUND.search(msg.get("text") or ""))
    }
    posted: Counter[int] = Counter()
    for msg in slack.messages.values():
        if match := INBOUND.search(msg.get("text") or ""):
            posted[int(match.group(1))] += 1
    missing_in = sorted(n for n in run.accepted if n not in stored)
    dup_in = sorted(n for n in run.accepted if posted[n] > 1)
    delivered: Counter[int] = Counter()
    delivered_to: dict[int, set[str]] = {}
    sent_at: dict[int, list[float]] = {}
    for call in graph.calls_to("messages"):
        body = call.params
        text = ((body.get("text") or {}) if isinstance(body.get("text"), dict) else {}).get("body") or ""
        if match := REPLY.search(text):
            m = int(match.group(1))
            sent_at.setdefault(m, []).append(call.at)
    for sent in graph.sent:
        if sent.get("type") == "text" and (match := REPLY.search(sent["text"]["body"])):
            m = int(match.group(1))
            delivered[m] += 1
            delivered_to.setdefault(m, set()).add(sent.get("to"))
    missing_out = sorted(m for m in run.replies if delivered[m] == 0)
    dup_out = sorted(m for m in run.replies if delivered[m] > 1)
    wrong_to = sorted(m for m, to in delivered_to.items() if to != {phone(run.replies.get(m, -1))})

    def near_kill(times: list[float]) -> bool:
        return any(0 <= t - k <= KILL_WINDOW_SECONDS for t in times for k in run.kills)

    dup_out_outside = [m for m in dup_out if not near_kill(sent_at.get(m, [])[1:])]
    dup_in_outside = [
        n
        for n in dup_in
        if not near_kill(
            [c.at for c in slack.calls_to("chat.postMessage") if f"[soak:{n}:" in str(c.params.get("text"))][
                1:
            ]
        )
    ]
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

    lines.append(f"inbound messages accepted: {len(run.accepted)}")
    lines.append(
        f"  shown in Slack exactly once: {sum(1 for n in run.accepted if posted[n] == 1)}, "
        f"missing: {len(missing_in)}, duplicated: {len(dup_in)} ({len(dup_in_outside)} away from a kill)"
    )
    lines.append(f"agent replies written: {len(run.replies)}")
    lines.append(
        f"  delivered exactly once: {sum(1 for m in run.replies if delivered[m] == 1)}, "
        f"missing: {len(missing_out)}, duplicated: {len(dup_out)} ({len(dup_out_outside)} away from a kill), "
        f"to the wrong customer: {len(wrong_to)}"
    )
    lines.append(
        f"tickets: {tickets}; consistency: " + ", ".join(f"{k}: {v}" for k, v in inconsistent.items())
    )
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
    )
    return lines, ok


async def amain(args: argparse.Namespace) -> int:
    run = Run()
    with tempfile.TemporaryDirectory(prefix="atende-soak-") as tmp:
        workdir = Path(tmp)
        async with FakeGraphAPI(token=WA_TOKEN) as graph, FakeSlackAPI(token=SLACK_TOKEN) as slack:
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                bot = Bot(workdir, graph, slack)
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
                    faults(args, graph, slack, run, end),
                    killer(args, bot, session, run, end),
                )
                graph.clear_faults()
                slack.clear_faults()
                drained = await drain(bot, session, timeout=120)
                await asyncio.sleep(1)
                if bot.child is not None:
                    bot.child.stop()
                lines, ok = reconcile(run, graph, slack, bot.db)
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
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        return asyncio.run(amain(parse_args(argv)))
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
