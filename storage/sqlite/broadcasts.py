"""The BroadcastRecords port on SQLite: broadcasts, their recipient rows, progress and tallies.

Times in these tables are epoch seconds; the core speaks in datetimes. Claiming and sending
recipients is :mod:`storage.sqlite.broadcast_sends`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from core.broadcast.model import (
    Broadcast,
    BroadcastState,
    Claimed,
    RecipientState,
    Tally,
)
from core.customers.model import Channel
from core.tickets.model import Direction
from storage.sqlite.rows import Statements, from_epoch, to_epoch

WAITING = (RecipientState.QUEUED.value, RecipientState.SENDING.value, RecipientState.UNCONFIRMED.value)

# The customer's latest message to us, across their tickets: the 24-hour window opens there.
LAST_INBOUND = (
    "(SELECT MAX(m.sent_at) FROM tickets t JOIN messages m ON m.ticket_id = t.id"
    f" WHERE t.customer_id = c.id AND m.direction = '{Direction.INBOUND.value}')"
)


class SqliteBroadcastRecords:
    """Implements :class:`core.broadcast.ports.BroadcastRecords`."""

    async def add_broadcast(
        self: Statements,
        kind: str,
        key: str,
        body: str,
        template: str,
        created_by: str,
        at: datetime,
        progress_thread: str | None,
    ) -> tuple[int, bool]:
        cursor = await self._write(
            "INSERT INTO broadcasts"
            " (kind, key, body, template, state, created_by, created_at, progress_thread)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (
                kind,
                key,
                body,
                template,
                BroadcastState.RUNNING.value,
                created_by,
                to_epoch(at),
                progress_thread,
            ),
        )
        if cursor.rowcount:
            assert cursor.lastrowid is not None
            return cursor.lastrowid, True
        row = await self._one("SELECT id FROM broadcasts WHERE key = ?", (key,))
        assert row is not None
        return int(row["id"]), False

    async def add_recipients(self: Statements, broadcast_id: int, customer_ids: Sequence[int]) -> None:
        await self._many(
            "INSERT INTO broadcast_recipients (broadcast_id, customer_id) VALUES (?, ?)"
            " ON CONFLICT (broadcast_id, customer_id) DO NOTHING",
            [(broadcast_id, customer_id) for customer_id in dict.fromkeys(customer_ids)],
        )

    async def get_broadcast(self: Statements, broadcast_id: int) -> Broadcast | None:
        row = await self._one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        if row is None:
            return None
        created = from_epoch(row["created_at"])
        assert created is not None
        return Broadcast(
            id=row["id"],
            kind=row["kind"],
            key=row["key"],
            body=row["body"],
            template=row["template"],
            state=BroadcastState(row["state"]),
            created_by=row["created_by"],
            created_at=created,
            progress_thread=row["progress_thread"],
            progress_ref=row["progress_ref"],
        )

    async def set_broadcast_state(
        self: Statements, broadcast_id: int, state: BroadcastState, at: datetime
    ) -> None:
        await self._update(
            "UPDATE broadcasts SET state = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
            " WHERE id = ?",
            (state.value, state.finished, to_epoch(at), broadcast_id),
        )

    async def skip_queued(self: Statements, broadcast_id: int, reason: str) -> None:
        await self._update(
            "UPDATE broadcast_recipients SET state = ?, reason = ? WHERE broadcast_id = ? AND state = ?",
            (RecipientState.SKIPPED.value, reason, broadcast_id, RecipientState.QUEUED.value),
        )

    async def set_progress_ref(self: Statements, broadcast_id: int, ref: str) -> None:
        await self._update("UPDATE broadcasts SET progress_ref = ? WHERE id = ?", (ref, broadcast_id))

    async def audience_facts(self: Statements, customer_ids: Sequence[int]) -> list[Claimed]:
        found: list[Claimed] = []
        unique = list(dict.fromkeys(customer_ids))
        for start in range(0, len(unique), 500):  # SQLite caps the number of bound parameters
            chunk = unique[start : start + 500]
            rows = await self._all(
                "SELECT c.id, 0 AS broadcast_id, c.id AS customer_id, 0 AS attempts, c.channel, c.address,"
                f" c.opted_out_at IS NOT NULL AS opted_out, {LAST_INBOUND} AS last_inbound,"
                " '' AS body, '' AS template, '' AS kind, c.name"
                f" FROM customers c WHERE c.id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.extend(claimed_from(row) for row in rows)
        return found

    async def recipient_status(
        self: Statements,
        external_id: str,
        recipient_id: int | None,
        state: RecipientState,
        reason: str | None,
        detail: str | None,
        at: datetime,
    ) -> int | None:
        row = await self._one(
            "SELECT id, broadcast_id, state FROM broadcast_recipients WHERE external_id = ?", (external_id,)
        )
        if row is None and recipient_id is not None:
            row = await self._one(
                "SELECT id, broadcast_id, state FROM broadcast_recipients WHERE id = ?", (recipient_id,)
            )
        if row is None:
            return None
        current = RecipientState(row["state"])
        if current in (RecipientState.SKIPPED,) or state.rank <= current.rank:
            return None
        await self._write(
            "UPDATE broadcast_recipients SET state = ?, external_id = ?, reason = COALESCE(?, reason),"
            " detail = COALESCE(?, detail), sent_at = COALESCE(sent_at, ?) WHERE id = ?",
            (state.value, external_id, reason, detail, to_epoch(at), row["id"]),
        )
        return int(row["broadcast_id"])

    async def broadcast_tally(self: Statements, broadcast_id: int) -> Tally:
        tally = Tally()
        rows = await self._all(
            "SELECT state, reason, COUNT(*) AS n, MIN(CASE WHEN not_before > 0 AND state = ?"
            " THEN not_before END) AS later FROM broadcast_recipients WHERE broadcast_id = ?"
            " GROUP BY state, reason",
            (RecipientState.QUEUED.value, broadcast_id),
        )
        for row in rows:
            state, count = RecipientState(row["state"]), int(row["n"])
            tally.total += count
            tally.by_state[state] = tally.by_state.get(state, 0) + count
            if row["reason"] and state in (RecipientState.FAILED, RecipientState.SKIPPED):
                tally.reasons[row["reason"]] = tally.reasons.get(row["reason"], 0) + count
            later = from_epoch(row["later"])
            if later is not None and (tally.deferred_until is None or later < tally.deferred_until):
                tally.deferred_until = later
        return tally

    async def finish_idle_broadcasts(self: Statements, at: datetime) -> list[int]:
        marks = ",".join("?" * len(WAITING))
        rows = await self._all(
            "SELECT b.id FROM broadcasts b WHERE b.state = ? AND NOT EXISTS (SELECT 1 FROM"
            f" broadcast_recipients r WHERE r.broadcast_id = b.id AND r.state IN ({marks}))",
            (BroadcastState.RUNNING.value, *WAITING),
        )
        done = [int(row["id"]) for row in rows]
        if done:
            await self._many(
                "UPDATE broadcasts SET state = ?, finished_at = ? WHERE id = ?",
                [(BroadcastState.DONE.value, to_epoch(at), broadcast_id) for broadcast_id in done],
            )
        return done

    async def next_recipient_due(self: Statements) -> datetime | None:
        row = await self._one(
            "SELECT MIN(r.not_before) AS at FROM broadcast_recipients r JOIN broadcasts b"
            " ON b.id = r.broadcast_id WHERE r.state IN (?, ?) AND b.state = ?",
            (RecipientState.QUEUED.value, RecipientState.UNCONFIRMED.value, BroadcastState.RUNNING.value),
        )
        return from_epoch(row["at"]) if row is not None else None

    async def set_progress_thread(self: Statements, key: str, thread_ref: str) -> int | None:
        row = await self._one("SELECT id FROM broadcasts WHERE key = ?", (key,))
        if row is None:
            return None
        await self._write("UPDATE broadcasts SET progress_thread = ? WHERE id = ?", (thread_ref, row["id"]))
        return int(row["id"])

    async def broadcast_customer_ids(self: Statements, key: str) -> list[int]:
        rows = await self._all(
            "SELECT r.customer_id FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id"
            " WHERE b.key = ? ORDER BY r.id",
            (key,),
        )
        return [int(row["customer_id"]) for row in rows]


def claimed_from(row: aiosqlite.Row) -> Claimed:
    """A recipient row with what sending to it needs (its customer, the broadcast's text)."""
    last = row["last_inbound"]
    return Claimed(
        id=row["id"],
        broadcast_id=row["broadcast_id"],
        customer_id=row["customer_id"],
        channel=Channel(row["channel"]),
        address=row["address"],
        opted_out=bool(row["opted_out"]),
        last_inbound=datetime.fromisoformat(last) if last else None,
        body=row["body"],
        template=row["template"],
        attempts=row["attempts"],
        kind=row["kind"],
        name=row["name"],
    )
