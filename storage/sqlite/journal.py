"""The Journal port on SQLite: idempotency keys, outbox effects, the audit trail, applied inbox items.

Effects are appended at the commit (``Statements._append``): one ``executemany`` for all the
effects a unit queues.
"""

from __future__ import annotations

from datetime import datetime

from core.common.effects import Effect
from storage.sqlite.rows import Statements, to_iso

_ADD_EFFECT = "INSERT INTO outbox (lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)"


class SqliteJournal:
    """Implements :class:`core.common.journal.Journal`."""

    async def claim_key(self: Statements, key: str, at: datetime) -> bool:
        cursor = await self._write(
            "INSERT INTO processed_keys (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, to_iso(at)),
        )
        return cursor.rowcount == 1

    async def add_effect(self: Statements, effect: Effect, at: datetime) -> None:
        await SqliteJournal.add_effects(self, [effect], at)

    async def add_effects(self: Statements, effects: list[Effect], at: datetime) -> None:
        stamp = at.timestamp()
        for effect in effects:
            await self._append(_ADD_EFFECT, (effect.lane, effect.kind, effect.to_json(), stamp, stamp))

    async def withdraw_effects(self: Statements, effects: list[Effect], at: datetime) -> None:
        # a lane runs its head only, so an effect behind the running one cannot have started
        stamp = at.timestamp()
        for effect in effects:
            await self._update(
                "UPDATE outbox SET state = 'done', finished_at = ?"
                " WHERE state = 'pending' AND lane = ? AND kind = ? AND payload = ?",
                (stamp, effect.lane, effect.kind, effect.to_json()),
            )

    async def finish_inbox_item(self: Statements, item_id: int, at: float, error: str | None = None) -> None:
        """Mark an inbox item processed in the same transaction that applied it (exactly once)."""
        await self._update("UPDATE inbox SET processed_at = ?, error = ? WHERE id = ?", (at, error, item_id))

    async def record_event(
        self: Statements, ticket_id: int | None, actor: str, action: str, at: datetime, detail: str = ""
    ) -> None:
        await self._update(
            "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)",
            (ticket_id, actor, action, detail, to_iso(at)),
        )
