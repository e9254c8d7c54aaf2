"""A broadcast killed with SIGKILL mid-send resumes after a restart: everyone gets it, nobody twice.

Sends under way at the kill are the hard case: WhatsApp may have accepted them although the
bot never heard back. They wait, unconfirmed, for the ``sent`` status webhook WhatsApp posts
with the tracker the send carried (the fake re-posts it until the restarted bot answers);
those never accepted are sent once the grace period passes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.broadcast.service import Broadcasts
from core.customers.model import Channel
from handlers.whatsapp import parse as whatsapp_parse
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_status_obj
from tests.conftest import WA_SECRET
from tests.test_crash_recovery import BotProcess, query, wait_until
from tests.test_crash_recovery import processes as processes  # the fixture

RECIPIENTS = 400


class _Now:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def _queue_broadcast(db: Path) -> list[str]:
    """Customers and a queued broadcast to all of them, as a confirmed crisis leaves them."""
    database = Database(str(db))
    await database.open()
    store = SqliteStore(database)
    phones = [f"55219{n:08d}" for n in range(RECIPIENTS)]
    async with store.transaction() as tx:
        ids = [(await tx.create_customer(Channel.WHATSAPP, p, None, _Now().now())).id for p in phones]
    await Broadcasts(store, _Now(), [Channel.WHATSAPP]).enqueue(
        "crisis", "kill-test", ids, "Aviso: sistema instável.", "aviso_importante", show_progress=False
    )
    await database.close()
    return phones


async def test_a_broadcast_killed_mid_send_reaches_everyone_exactly_once(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI, processes: list[BotProcess]
) -> None:
    db = tmp_path / "atende.db"
    phones = await _queue_broadcast(db)
    received, in_flight = await _kill_half_way_and_restart(db, graph, slack, processes, rate="300", grace="3")
    assert sorted(received) == sorted(phones), (
        f"{len(received)} sends for {RECIPIENTS} ({in_flight} in flight)"
    )
    assert query(db, "SELECT state, COUNT(*) FROM broadcast_recipients GROUP BY state") == [
        ("sent", RECIPIENTS)
    ]


async def test_sends_cut_by_a_kill_wait_for_statuses_queued_behind_a_backlog(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI, processes: list[BotProcess]
) -> None:
    # At an uncapped rate the inbox runs behind: the killed process had stored the statuses of
    # the sends it cut off (WhatsApp accepted them) behind thousands of webhooks it had not
    # applied yet. The grace period passing must not resend those: their confirmation is stored.
    db = tmp_path / "atende.db"
    phones = await _queue_broadcast(db)
    received, in_flight = await _kill_half_way_and_restart(
        db, graph, slack, processes, rate="0", grace="1", backlog=BACKLOG
    )
    assert sorted(received) == sorted(phones), (
        f"{len(received)} sends for {RECIPIENTS} ({in_flight} in flight at the kill)"
    )


async def _kill_half_way_and_restart(
    db: Path,
    graph: FakeGraphAPI,
    slack: FakeSlackAPI,
    processes: list[BotProcess],
    *,
    rate: str,
    grace: str,
    backlog: int = 0,
) -> tuple[list[str], int]:
    """SIGKILL the bot once half the recipients were sent to, restart it, wait for the broadcast
    to finish; ``backlog`` webhooks the killed process stored but never applied wait in its inbox.
    Returns every number the fake accepted a send to, and how many sends the kill cut off."""
    graph.delay("messages", 0.05)  # several sends always in flight: a kill catches some mid-way
    first = BotProcess(db, graph, slack)
    first.env.update(
        BROADCAST_RATE_PER_SECOND=rate, BROADCAST_CONFIRM_GRACE_SECONDS=grace, WHATSAPP_DAILY_LIMIT="0"
    )
    graph.report_statuses(f"http://127.0.0.1:{first.port}/whatsapp/webhook", WA_SECRET)
    processes.append(first)
    await first.start()
    await wait_until(lambda: len(graph.sent) >= RECIPIENTS // 2, timeout=30)
    first.kill()
    in_flight = query(db, "SELECT COUNT(*) FROM broadcast_recipients WHERE state = 'sending'")[0][0]
    assert 0 < len(graph.sent) < RECIPIENTS
    if backlog:
        # sends the fake was holding when the kill came: accepted (and reported) once held
        await wait_until(lambda: all(c.status is not None for c in graph.calls_to("messages")))
        cut_off = {f"55219{n - 1:08d}" for (n,) in query(db, _SENDING)}
        _store_unapplied_statuses(db, backlog, [m for m in graph.sent if m["to"] in cut_off])

    second = BotProcess(db, graph, slack)
    second.port = first.port  # where the fake keeps posting statuses
    second.env.update(first.env)
    processes.append(second)
    await second.start()
    await wait_until(
        lambda: query(db, "SELECT COUNT(*) FROM broadcasts WHERE state = 'done'") == [(1,)], timeout=90
    )
    return [m["to"] for m in graph.sent], in_flight


BACKLOG = 25_000
"""Enough webhooks that applying them takes longer than the grace period."""


_SENDING = "SELECT customer_id FROM broadcast_recipients WHERE state = 'sending'"


def _store_unapplied_statuses(db: Path, count: int, accepted: list[dict[str, Any]]) -> None:
    """Webhooks the killed process stored but had not applied: ``count`` delivery reports of
    other messages, then the ``sent`` statuses of the ``accepted`` sends it never heard back
    from, carrying their trackers, as WhatsApp posts them (and re-posts: the same key)."""
    now = time.time()
    statuses = [wa_status_obj(f"wamid.OTHER{n}", "delivered", "5521900000000") for n in range(count)]
    for send in accepted:
        status = wa_status_obj(send["id"], "sent", send["to"])
        status["biz_opaque_callback_data"] = send["biz_opaque_callback_data"]
        statuses.append(status)
    rows = [
        (
            whatsapp_parse.SOURCE,
            whatsapp_parse.KIND_STATUS,
            f"wa:status:{status['id']}:{status['status']}",
            json.dumps({"status": status}),
            now,
        )
        for status in statuses
    ]
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO inbox (source, kind, dedup_key, payload, received_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (dedup_key) DO NOTHING",  # a status it had stored already stays where it was
            rows,
        )
