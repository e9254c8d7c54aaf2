"""The two durable queues around the core: verified webhooks waiting to be processed (inbox)
and effects waiting to be delivered (outbox)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from core.common.inbox import InboxItem
from storage.sqlite.database import Database


@dataclass(frozen=True, slots=True)
class StoredInboxItem:
    """An inbox row waiting to be processed."""

    id: int
    source: str
    kind: str
    payload: dict


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """An outbox row due for delivery."""

    id: int
    lane: str
    kind: str
    payload: str
    attempts: int


# The first pending row of every lane: the only rows that may be delivered now.
_PENDING_HEADS = "SELECT lane, MIN(id) AS head FROM outbox WHERE state = 'pending'"
_HEADS = _PENDING_HEADS + " GROUP BY lane"


class Inbox:
    """Webhook content stored before the platform gets its 200, so a crash loses nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, items: list[InboxItem], at: float) -> None:
        """Store items in order, all or none, before the caller acknowledges the webhook.

        Re-delivered items (same key) are skipped. Concurrent webhooks commit together.
        """
        await self._db.write_coalesced(
            "INSERT INTO inbox (source, kind, dedup_key, payload, received_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
            [(i.source, i.kind, i.dedup_key, json.dumps(i.payload), at) for i in items],
            urgent=True,  # the platform waits for its 200 meanwhile
        )

    async def pending(self, limit: int) -> list[StoredInboxItem]:
        """The oldest unprocessed items, in arrival order."""
        rows = await self._db.reader.execute_fetchall(
            "SELECT id, source, kind, payload FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?",
            (limit,),
        )
        return [StoredInboxItem(r["id"], r["source"], r["kind"], json.loads(r["payload"])) for r in rows]

    async def backlog(self) -> int:
        """How many items wait to be processed."""
        return int(await _scalar(self._db, "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL") or 0)


class Outbox:
    """Queue operations for the outbox worker; rows are added by the Store's transactions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def due(
        self, now: float, busy_lanes: set[str], skipped_targets: set[str], limit: int
    ) -> list[OutboxRow]:
        """The first pending row of each lane, if it is due and its lane and target are free.

        Only a lane's head is ever returned, which is what keeps each conversation in order.
        Lanes of ``skipped_targets`` (paused by a ``Retry-After``, or using all the workers
        their target may have) are left out in the query, so they never crowd the others
        out of ``limit``. The busy lanes are copied before the read: a delivery that ends
        while it is on its way frees its lane, and the row the read still saw pending would
        run a second time.
        """
        busy_lanes = set(busy_lanes)
        targets = sorted(skipped_targets)
        skip = "".join(" AND NOT (lane >= ? AND lane < ?)" for _ in targets)
        bounds = tuple(bound for target in targets for bound in (f"{target}:", f"{target};"))
        rows = await self._db.reader.execute_fetchall(
            "SELECT o.id, o.lane, o.kind, o.payload, o.attempts FROM outbox o"
            f" JOIN ({_PENDING_HEADS}{skip} GROUP BY lane) h ON o.id = h.head WHERE o.next_attempt_at <= ?"
            " ORDER BY o.id LIMIT ?",
            (*bounds, now, limit + len(busy_lanes)),
        )
        due = [
            OutboxRow(r["id"], r["lane"], r["kind"], r["payload"], r["attempts"])
            for r in rows
            if r["lane"] not in busy_lanes
        ]
        return due[:limit]

    async def next_due_at(self) -> float | None:
        """When the earliest lane head becomes due, to sleep exactly until then.

        Rows behind a head wait for it whatever their own time, so only heads count.
        """
        value = await _scalar(
            self._db, f"SELECT MIN(o.next_attempt_at) FROM outbox o JOIN ({_HEADS}) h ON o.id = h.head"
        )
        return float(value) if value is not None else None

    async def finish(self, row_id: int, state: str, at: float, error: str | None = None) -> None:
        """Close a row: ``done``, ``failed`` (refused by the platform) or ``dead`` (gave up retrying).

        Rows finished at about the same time are committed together.
        """
        await self._db.write_coalesced(
            "UPDATE outbox SET state = ?, finished_at = ?, last_error = ?, attempts = attempts + 1"
            " WHERE id = ?",
            [(state, at, error, row_id)],
        )

    async def retry(self, row_id: int, at: float, error: str) -> None:
        """Keep a row pending, to be tried again at ``at``."""
        async with self._db.locked() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                (at, error, row_id),
            )

    async def counts(self) -> dict[str, int]:
        """Rows by state, for /metrics."""
        rows = await self._db.reader.execute_fetchall("SELECT state, COUNT(*) FROM outbox GROUP BY state")
        return {row[0]: row[1] for row in rows}


async def _scalar(db: Database, sql: str) -> Any:
    """The single value a query returns."""
    rows = list(await db.reader.execute_fetchall(sql))
    return rows[0][0] if rows else None
