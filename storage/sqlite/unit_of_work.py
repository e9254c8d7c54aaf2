"""The Store port on SQLite: a unit of work whose changes and outbox rows commit together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from core.tickets.model import Ticket
from core.unit_of_work import Transaction
from storage.sqlite.ai import SqliteAiRecords
from storage.sqlite.broadcast_sends import SqliteBroadcastSends
from storage.sqlite.broadcasts import SqliteBroadcastRecords
from storage.sqlite.crises import SqliteCrisisRecords
from storage.sqlite.customers import SqliteCustomers
from storage.sqlite.database import Database
from storage.sqlite.escalations import SqliteEscalations
from storage.sqlite.ideas import SqliteIdeas
from storage.sqlite.journal import SqliteJournal
from storage.sqlite.journeys import SqliteJourneyRecords
from storage.sqlite.kb_candidates import SqliteKbCandidates
from storage.sqlite.messages import SqliteMessages
from storage.sqlite.queue import SqliteHomeViewers
from storage.sqlite.reviews import SqliteReviews
from storage.sqlite.sla import SqliteSlaTimers
from storage.sqlite.surveys import SqliteSurveys
from storage.sqlite.templates import SqliteTemplates
from storage.sqlite.tickets import SqliteTickets


class SqliteStore:
    """Implements :class:`core.unit_of_work.Store`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteTransaction]:
        yield SqliteTransaction(self._db.reader, read_only=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        async with self._db.locked() as conn:
            tx = SqliteTransaction(conn)
            try:
                yield tx
            except BaseException:
                await tx.end(commit=False)
                raise
            else:
                await tx.end(commit=True)


class SqliteTransaction(
    SqliteJournal,
    SqliteCustomers,
    SqliteTickets,
    SqliteMessages,
    SqliteJourneyRecords,
    SqliteAiRecords,
    SqliteEscalations,
    SqliteSlaTimers,
    SqliteHomeViewers,
    SqliteTemplates,
    SqliteIdeas,
    SqliteSurveys,
    SqliteReviews,
    SqliteKbCandidates,
    SqliteBroadcastRecords,
    SqliteBroadcastSends,
    SqliteCrisisRecords,
):
    """Implements :class:`core.unit_of_work.Transaction` on the connection, held exclusively: one repository
    mixin per port (``storage/sqlite/<port>.py``), and here the statement helpers they all use
    (:class:`storage.sqlite.rows.Statements`).

    Every statement is a round trip to aiosqlite's thread, so a unit of work pays only for
    what it does: reads run in autocommit (the connection lock keeps them consistent, since
    this process is the database's only writer); ``BEGIN`` is sent when a second write
    comes, and a unit whose only write is one statement runs it alone, atomic by itself.
    Rows no unit of work reads back (outbox effects, the AI's call log) are appended at the
    commit, one ``executemany`` per statement: a chunk of intake or an AI outcome queues
    several effects each, and pays for them once.
    """

    def __init__(self, conn: aiosqlite.Connection, *, read_only: bool = False) -> None:
        self._conn = conn
        self._read_only = read_only
        self._began = False
        self._held: tuple[str, tuple[Any, ...]] | None = None
        self._appended: dict[str, list[tuple[Any, ...]]] = {}
        self._open_ticket: dict[int, Ticket | None] = {}  # read along with the customer

    async def end(self, *, commit: bool) -> None:
        """Commit (or roll back) what was written; nothing to do for a read-only unit."""
        appended, self._appended = self._appended, {}
        if commit and appended:
            if not self._began and self._held is None and sum(map(len, appended.values())) == 1:
                [(sql, [row])] = appended.items()
                self._held = (sql, row)  # the unit's only write: run alone, as below
            else:
                try:
                    for sql, rows in appended.items():
                        await self._many(sql, rows)
                except BaseException:
                    await self.end(commit=False)
                    raise
        if self._began:
            await self._conn.execute("COMMIT" if commit else "ROLLBACK")
            self._began = False
        elif self._held is not None and commit:
            await self._conn.execute(*self._held)
        self._held = None

    async def _begin(self) -> None:
        """Open the transaction, with the held first write as its first statement."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        if not self._began:
            await self._conn.execute("BEGIN IMMEDIATE")
            self._began = True
            if self._held is not None:
                await self._conn.execute(*self._held)
                self._held = None

    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor:
        """A write whose result the caller needs (a row id, whether it inserted)."""
        await self._begin()
        return await self._conn.execute(sql, params)

    async def _append(self, sql: str, params: tuple[Any, ...]) -> None:
        """An insert into a table no unit of work reads back: run with the others at the commit."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        self._appended.setdefault(sql, []).append(params)

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None:
        """A write with no result: held back while it may turn out to be the unit's only one."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        if not self._began and self._held is None:
            self._held = (sql, params)
            return
        await self._write(sql, params)

    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
        if self._held is not None:
            await self._begin()  # the read must see the held write
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)  # type: ignore[arg-type]

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        if self._held is not None:
            await self._begin()  # the read must see the held write
        return list(await self._conn.execute_fetchall(sql, params))

    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int:
        cursor = await self._write(sql, params)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One statement for many rows, in one round trip (none for no rows)."""
        if not rows:
            return
        await self._begin()
        await self._conn.executemany(sql, rows)


def _implements(tx: SqliteTransaction) -> Transaction:
    """Never called: mypy checks here that the repositories together fill every port of the composite."""
    return tx
