"""What every repository of the SQLite unit of work writes its statements with.

The repositories (``journal``, ``customers``, ``tickets``..., one module per port of ``core``) are
mixins of :class:`storage.sqlite.unit_of_work.SqliteTransaction`. Each method takes
``self: Statements``, the unit's statement helpers, so its SQL runs in the unit's transaction (and
its commit-time batching) without the repository knowing how.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

import aiosqlite

from core.tickets.model import Ticket


class Statements(Protocol):
    """The statement helpers of :class:`storage.sqlite.unit_of_work.SqliteTransaction`."""

    _open_ticket: dict[int, Ticket | None]
    """A customer's open ticket, read in the same round trip as the customer, until asked for."""

    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
        """The first row of a read, or None."""
        ...

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        """Every row of a read."""
        ...

    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int:
        """An insert whose row id the caller needs."""
        ...

    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor:
        """A write whose result the caller needs (a row id, whether it inserted)."""
        ...

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None:
        """A write with no result (held back while it may be the unit's only one)."""
        ...

    async def _append(self, sql: str, params: tuple[Any, ...]) -> None:
        """An insert into a table no unit of work reads back: run with the others at the commit."""
        ...

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One statement for many rows, in one round trip."""
        ...


def to_iso(value: datetime | None) -> str | None:
    """A time as the ISO text the audit-style columns hold."""
    return value.isoformat() if value is not None else None


def from_iso(value: str | None) -> datetime | None:
    """An ISO text column back as a datetime."""
    return datetime.fromisoformat(value) if value is not None else None


def to_epoch(at: datetime) -> float:
    """A time as the epoch seconds the queue-like columns hold (compared and indexed)."""
    return at.timestamp()


def from_epoch(value: float | None) -> datetime | None:
    """An epoch-seconds column back as an aware UTC datetime."""
    return datetime.fromtimestamp(value, UTC) if value is not None else None
