"""A broadcast killed with SIGKILL mid-send resumes after a restart: everyone gets it, nobody twice.

Sends under way at the kill are the hard case: WhatsApp may have accepted them although the
bot never heard back. They wait, unconfirmed, for the ``sent`` status webhook WhatsApp posts
with the tracker the send carried (the fake re-posts it until the restarted bot answers);
those never accepted are sent once the grace period passes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.broadcast.service import Broadcasts
from core.models import Channel
from storage.database import Database
from storage.transaction import SqliteStore
from tests.conftest import WA_SECRET
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.whatsapp_graph import FakeGraphAPI
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
    graph.delay("messages", 0.05)  # several sends always in flight: a kill catches some mid-way
    first = BotProcess(db, graph, slack)
    first.env.update(
        BROADCAST_RATE_PER_SECOND="300", BROADCAST_CONFIRM_GRACE_SECONDS="3", WHATSAPP_DAILY_LIMIT="0"
    )
    graph.report_statuses(f"http://127.0.0.1:{first.port}/whatsapp/webhook", WA_SECRET)
    processes.append(first)
    await first.start()
    await wait_until(lambda: len(graph.sent) >= RECIPIENTS // 2, timeout=30)
    first.kill()
    in_flight = query(db, "SELECT COUNT(*) FROM broadcast_recipients WHERE state = 'sending'")[0][0]
    assert 0 < len(graph.sent) < RECIPIENTS

    second = BotProcess(db, graph, slack)
    second.port = first.port  # where the fake keeps posting statuses
    second.env.update(first.env)
    processes.append(second)
    await second.start()
    await wait_until(
        lambda: query(db, "SELECT COUNT(*) FROM broadcasts WHERE state = 'done'") == [(1,)], timeout=60
    )
    received = [m["to"] for m in graph.sent]
    assert sorted(received) == sorted(phones), (
        f"{len(received)} sends for {RECIPIENTS} ({in_flight} in flight)"
    )
    assert query(db, "SELECT state, COUNT(*) FROM broadcast_recipients GROUP BY state") == [
        ("sent", RECIPIENTS)
    ]
