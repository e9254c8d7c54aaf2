"""The HomeViewers port on SQLite: who opened the App Home, so the queue is redrawn for them."""

from __future__ import annotations

from datetime import datetime

from storage.sqlite.rows import Statements


class SqliteHomeViewers:
    """Implements :class:`core.queue.ports.HomeViewers`."""

    async def add_home_viewer(self: Statements, user: str, at: datetime) -> None:
        await self._update(
            "INSERT INTO home_viewers (user, opened_at) VALUES (?, ?)"
            " ON CONFLICT (user) DO UPDATE SET opened_at = excluded.opened_at",
            (user, at.isoformat()),
        )
