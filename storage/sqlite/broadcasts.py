"""SQL for broadcasts and their recipient rows (the broadcast engine's durable queue).

A mixin of :class:`storage.transaction.SqliteTransaction`, like the other ``*_rows`` modules.
Times in these tables are epoch seconds; the core speaks in datetimes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import aiosqlite

from core.broadcast.model import (
    Broadcast,
    BroadcastState,
    Claimed,
    Outcome,
    RecipientState,
    Tally,
    Via,
)
from core.models import Channel, Direction

WAITING = (RecipientState.QUEUED.value, RecipientState.SENDING.value, RecipientState.UNCONFIRMED.value)

# The customer's latest message to us, across their tickets: the 24-hour window opens there.
_LAST_INBOUND = (
    "(SELECT MAX(m.sent_at) FROM tickets t JOIN messages m ON m.ticket_id = t.id"
    f" WHERE t.customer_id = c.id AND m.direction = '{Direction.INBOUND.value}')"
)
# When the oldest webhook not applied yet arrived: every one before it has been. An unconfirmed
# send is sent again only once its grace ended before that, since its status may be in the inbox.
_SETTLED = (
    "MIN(?1, COALESCE((SELECT received_at FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT 1), ?1))"
)
# The due rows in id order: the queued ones walk the (state, id) index in that order and stop at
# the limit, so a claim costs its batch, not the rows still queued behind it; the columns (and the
# customer's last message) are read for the claimed rows alone.
_DUE = (
    "SELECT * FROM (SELECT r.id FROM broadcast_recipients r {indexed}"
    " JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.state = '{state}' AND r.not_before <= {due}"
    f" AND b.state = '{BroadcastState.RUNNING.value}' ORDER BY r.id LIMIT ?2)"
)
_CLAIMABLE = (
    "SELECT r.id, r.broadcast_id, r.customer_id, r.attempts, c.channel, c.address,"
    f" c.opted_out_at IS NOT NULL AS opted_out, {_LAST_INBOUND} AS last_inbound, b.body, b.template,"
    " b.kind, c.name FROM ("
    + _DUE.format(
        indexed="INDEXED BY broadcast_recipients_queue", state=RecipientState.QUEUED.value, due="?1"
    )
    + " UNION ALL "
    + _DUE.format(indexed="", state=RecipientState.UNCONFIRMED.value, due=_SETTLED)
    + ") d JOIN broadcast_recipients r ON r.id = d.id JOIN broadcasts b ON b.id = r.broadcast_id"
    " JOIN customers c ON c.id = r.customer_id ORDER BY r.id LIMIT ?2"
)

# Template sends that count against the daily limit: those made in the window, and those
# under way (claimed by another batch, or of unknown outcome), which may be made any moment.
_COUNTED = (
    f"(sent_at >= ? OR state IN ('{RecipientState.SENDING.value}', '{RecipientState.UNCONFIRMED.value}'))"
)


class _Statements(Protocol):
    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None: ...

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]: ...

    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor: ...

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None: ...

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...


def _epoch(at: datetime) -> float:
    return at.timestamp()


def _dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _claimed(row: aiosqlite.Row) -> Claimed:
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


class BroadcastRows:
    """Implements the broadcast part of :class:`core.ports.Transaction`."""

    async def add_broadcast(
        self: _Statements,
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
                _epoch(at),
                progress_thread,
            ),
        )
        if cursor.rowcount:
            assert cursor.lastrowid is not None
            return cursor.lastrowid, True
        row = await self._one("SELECT id FROM broadcasts WHERE key = ?", (key,))
        assert row is not None
        return int(row["id"]), False

    async def add_recipients(self: _Statements, broadcast_id: int, customer_ids: Sequence[int]) -> None:
        await self._many(
            "INSERT INTO broadcast_recipients (broadcast_id, customer_id) VALUES (?, ?)"
            " ON CONFLICT (broadcast_id, customer_id) DO NOTHING",
            [(broadcast_id, customer_id) for customer_id in dict.fromkeys(customer_ids)],
        )

    async def get_broadcast(self: _Statements, broadcast_id: int) -> Broadcast | None:
        row = await self._one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        if row is None:
            return None
        created = _dt(row["created_at"])
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
        self: _Statements, broadcast_id: int, state: BroadcastState, at: datetime
    ) -> None:
        await self._update(
            "UPDATE broadcasts SET state = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
            " WHERE id = ?",
            (state.value, state.finished, _epoch(at), broadcast_id),
        )

    async def skip_queued(self: _Statements, broadcast_id: int, reason: str) -> None:
        await self._update(
            "UPDATE broadcast_recipients SET state = ?, reason = ? WHERE broadcast_id = ? AND state = ?",
            (RecipientState.SKIPPED.value, reason, broadcast_id, RecipientState.QUEUED.value),
        )

    async def set_progress_ref(self: _Statements, broadcast_id: int, ref: str) -> None:
        await self._update("UPDATE broadcasts SET progress_ref = ? WHERE id = ?", (ref, broadcast_id))

    async def claimable_recipients(self: _Statements, now: datetime, limit: int) -> list[Claimed]:
        return [_claimed(row) for row in await self._all(_CLAIMABLE, (_epoch(now), limit))]

    async def audience_facts(self: _Statements, customer_ids: Sequence[int]) -> list[Claimed]:
        found: list[Claimed] = []
        unique = list(dict.fromkeys(customer_ids))
        for start in range(0, len(unique), 500):  # SQLite caps the number of bound parameters
            chunk = unique[start : start + 500]
            rows = await self._all(
                "SELECT c.id, 0 AS broadcast_id, c.id AS customer_id, 0 AS attempts, c.channel, c.address,"
                f" c.opted_out_at IS NOT NULL AS opted_out, {_LAST_INBOUND} AS last_inbound,"
                " '' AS body, '' AS template, '' AS kind, c.name"
                f" FROM customers c WHERE c.id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.extend(_claimed(row) for row in rows)
        return found

    async def template_recipients_since(
        self: _Statements, since: datetime, customer_ids: Sequence[int]
    ) -> tuple[int, set[int], datetime | None]:
        row = await self._one(
            "SELECT COUNT(DISTINCT customer_id) AS n, MIN(sent_at) AS oldest FROM broadcast_recipients"
            f" WHERE via = ? AND {_COUNTED}",
            (Via.TEMPLATE.value, _epoch(since)),
        )
        reached: set[int] = set()
        unique = list(dict.fromkeys(customer_ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = await self._all(
                f"SELECT DISTINCT customer_id FROM broadcast_recipients WHERE via = ? AND {_COUNTED}"
                f" AND customer_id IN ({','.join('?' * len(chunk))})",
                (Via.TEMPLATE.value, _epoch(since), *chunk),
            )
            reached.update(int(r["customer_id"]) for r in rows)
        assert row is not None
        return int(row["n"]), reached, _dt(row["oldest"])

    async def start_sends(self: _Statements, sends: Sequence[tuple[int, Via]]) -> None:
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, via = ?, attempts = attempts + 1 WHERE id = ?",
            [(RecipientState.SENDING.value, via.value, recipient_id) for recipient_id, via in sends],
        )

    async def defer_recipients(self: _Statements, deferred: Sequence[tuple[int, datetime]]) -> None:
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, not_before = ? WHERE id = ?",
            [(RecipientState.QUEUED.value, _epoch(until), recipient_id) for recipient_id, until in deferred],
        )

    async def finish_recipients(self: _Statements, outcomes: Sequence[Outcome], at: datetime) -> None:
        sent_states = (RecipientState.SENT, RecipientState.DELIVERED, RecipientState.READ)
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, external_id = COALESCE(?, external_id),"
            " reason = ?, detail = ?, sent_at = COALESCE(?, sent_at), not_before = COALESCE(?, not_before)"
            " WHERE id = ?",
            [
                (
                    o.state.value,
                    o.external_id,
                    o.reason,
                    o.detail,
                    _epoch(at) if o.state in sent_states else None,
                    o.retry_at,
                    o.recipient_id,
                )
                for o in outcomes
            ],
        )

    async def unconfirm_sending(self: _Statements, until: datetime) -> int:
        cursor = await self._write(
            "UPDATE broadcast_recipients SET state = ?, not_before = ? WHERE state = ?",
            (RecipientState.UNCONFIRMED.value, _epoch(until), RecipientState.SENDING.value),
        )
        return cursor.rowcount

    async def recipient_status(
        self: _Statements,
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
            (state.value, external_id, reason, detail, _epoch(at), row["id"]),
        )
        return int(row["broadcast_id"])

    async def broadcast_tally(self: _Statements, broadcast_id: int) -> Tally:
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
            later = _dt(row["later"])
            if later is not None and (tally.deferred_until is None or later < tally.deferred_until):
                tally.deferred_until = later
        return tally

    async def finish_idle_broadcasts(self: _Statements, at: datetime) -> list[int]:
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
                [(BroadcastState.DONE.value, _epoch(at), broadcast_id) for broadcast_id in done],
            )
        return done

    async def next_recipient_due(self: _Statements) -> datetime | None:
        row = await self._one(
            "SELECT MIN(r.not_before) AS at FROM broadcast_recipients r JOIN broadcasts b"
            " ON b.id = r.broadcast_id WHERE r.state IN (?, ?) AND b.state = ?",
            (RecipientState.QUEUED.value, RecipientState.UNCONFIRMED.value, BroadcastState.RUNNING.value),
        )
        return _dt(row["at"]) if row is not None else None

    async def set_progress_thread(self: _Statements, key: str, thread_ref: str) -> int | None:
        row = await self._one("SELECT id FROM broadcasts WHERE key = ?", (key,))
        if row is None:
            return None
        await self._write("UPDATE broadcasts SET progress_thread = ? WHERE id = ?", (thread_ref, row["id"]))
        return int(row["id"])

    async def broadcast_customer_ids(self: _Statements, key: str) -> list[int]:
        rows = await self._all(
            "SELECT r.customer_id FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id"
            " WHERE b.key = ? ORDER BY r.id",
            (key,),
        )
        return [int(row["customer_id"]) for row in rows]
