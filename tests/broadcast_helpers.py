"""Helpers for the broadcast tests: customers in the database, waiting for a broadcast to end."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from core.broadcast.model import BroadcastState
from core.customers.model import Channel
from tests.conftest import Desk


async def add_customers(
    desk: Desk,
    phones: list[str],
    *,
    at: datetime,
    channel: Channel = Channel.WHATSAPP,
    plan: str | None = None,
) -> list[int]:
    """Customers known to the desk (as an import would leave them); their ids in order."""
    ids = []
    async with desk.bot.store.transaction() as tx:
        for n, phone in enumerate(phones):
            customer = await tx.create_customer(channel, phone, f"Cliente {n}", at)
            ids.append(customer.id)
    if plan is not None:
        await desk.rows(f"UPDATE customers SET plan = ? WHERE id IN ({','.join(map(str, ids))})", plan)
    return ids


async def wait_finished(desk: Desk, broadcast_id: int, timeout: float = 20.0) -> None:
    """Until the broadcast is done (or cancelled) and its final progress is drawn on Slack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        broadcast = await desk.bot.broadcasts.get(broadcast_id)
        [(sending,)] = await desk.rows(
            "SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ? AND state = 'sending'",
            broadcast_id,
        )
        if broadcast is not None and broadcast.state.finished and not sending:
            await desk.settle()
            return
        desk.bot.broadcast_worker.wake()
        await asyncio.sleep(0.02)
    raise AssertionError(
        f"broadcast {broadcast_id} not finished: {await desk.bot.broadcasts.tally(broadcast_id)}"
    )


async def wait_state(desk: Desk, broadcast_id: int, sql_condition: str, timeout: float = 20.0) -> None:
    """Until a condition on the broadcast's recipient rows holds (``COUNT(*)`` of matching rows > 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(count,)] = await desk.rows(
            f"SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ? AND {sql_condition}",
            broadcast_id,
        )
        if count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no recipient of broadcast {broadcast_id} matched {sql_condition}")


__all__ = ["BroadcastState", "add_customers", "wait_finished", "wait_state"]
