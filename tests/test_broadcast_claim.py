"""Claiming a broadcast's next batch costs the batch, not the queue behind it.

A 10,000-recipient broadcast is claimed 200 times; if each claim read every row still queued,
the engine would slow down quadratically with the audience. SQLite's own count of the
virtual-machine steps a claim takes (its progress handler) must not grow with the queue, and
a paused broadcast's rows ahead in the queue must not hold up a running one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.broadcast.model import BroadcastState
from core.broadcast.service import Broadcasts
from core.customers.model import Channel
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore
from testing.clock import FixedClock

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


async def _broadcast(store: SqliteStore, key: str, first: int, size: int) -> int:
    async with store.transaction() as tx:
        ids = [
            (await tx.create_customer(Channel.WHATSAPP, f"55219{n:08d}", None, NOW)).id
            for n in range(first, first + size)
        ]
    return await Broadcasts(store, FixedClock(NOW), [Channel.WHATSAPP]).enqueue(
        "crise", key, ids, "Aviso: instabilidade.", "aviso_importante", show_progress=False
    )


async def _steps_to_claim(db: Database, store: SqliteStore, batch: int) -> tuple[int, int]:
    """(rows claimed, SQLite VM steps in thousands) of one claim of ``batch`` rows."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    await db.connection.set_progress_handler(count, 1000)
    async with store.transaction() as tx:
        claimed = await tx.claimable_recipients(NOW + timedelta(seconds=1), batch)
    await db.connection.set_progress_handler(None, 1000)
    return len(claimed), steps


async def test_a_claim_costs_the_same_whatever_the_queue_behind_it(tmp_path: Path) -> None:
    costs = []
    for size in (100, 4000):
        db = Database(str(tmp_path / f"{size}.db"))
        await db.open()
        store = SqliteStore(db)
        await _broadcast(store, f"b{size}", 0, size)
        claimed, steps = await _steps_to_claim(db, store, 50)
        assert claimed == 50
        costs.append(steps)
        await db.close()
    small, large = costs
    assert large <= small * 2 + 2, f"{small}k VM steps with 100 queued, {large}k with 4,000"


async def test_a_paused_broadcast_ahead_in_the_queue_does_not_hold_up_a_running_one(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "paused.db"))
    await db.open()
    store = SqliteStore(db)
    paused = await _broadcast(store, "paused", 0, 300)
    running = await _broadcast(store, "running", 300, 80)
    async with store.transaction() as tx:
        await tx.set_broadcast_state(paused, BroadcastState.PAUSED, NOW)
        claimed = await tx.claimable_recipients(NOW + timedelta(seconds=1), 50)
    assert len(claimed) == 50 and {c.broadcast_id for c in claimed} == {running}
    await db.close()
