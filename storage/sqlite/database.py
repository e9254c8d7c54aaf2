"""One SQLite database file: connection, WAL mode, migrations, and serialized transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import aiosqlite

from storage.sqlite.writer_lock import WriterLock

log = logging.getLogger(__name__)


class MigrationError(RuntimeError):
    """A migration script failed; it was rolled back, so the schema is as the previous one left it."""


@dataclass(slots=True)
class _Batch:
    """Rows waiting for one coalesced flush, by statement, and the flush's outcome."""

    done: asyncio.Future[None]
    queued: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)


class Database:
    """The process's connections to one SQLite file: a writer and a reader.

    SQLite allows one writer at a time; an asyncio lock around each unit of work keeps
    coroutines from interleaving statements of different units on the writer connection.
    """

    def __init__(self, path: str, migrations: Traversable | None = None) -> None:
        self.path = path
        self._migrations = migrations or resources.files("storage") / "migrations"
        self._conn: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = WriterLock()
        self._batches: dict[bool, _Batch] = {}
        self.statements = {"writer": 0, "reader": 0}
        """SQL statements each connection has run since it opened (for /metrics and the benchmarks).

        Python's trace hook reports a trigger's program and each statement in it with the text
        of the statement that fired it, so those count too (a message insert counts 3: the
        insert and the ``ticket_facts`` trigger with its update), though they are no extra
        round trip to the connection's thread.
        """

    async def open(self) -> None:
        """Open (creating the file and its folder) and bring the schema up to date."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.set_trace_callback(self._counter("writer"))
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        # zero what is deleted or overwritten, so erased personal data leaves no trace in the file
        await self._conn.execute("PRAGMA secure_delete=ON")
        await self._migrate()
        if self.path != ":memory:":
            self._reader = await aiosqlite.connect(self.path, isolation_level=None)
            self._reader.row_factory = aiosqlite.Row
            await self._reader.set_trace_callback(self._counter("reader"))
            await self._reader.execute("PRAGMA query_only=ON")

    async def close(self) -> None:
        """Close the connections once the writes already holding or queued for the writer are done;
        safe to call twice.

        Closing under a unit of work rolls back what its callers were promised (an outbox row
        marked sent would be sent again after the restart), so ``close`` takes the writer as any
        unit of work does, after those waiting before it.
        """
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        if self._conn is not None:
            await self._lock.acquire()
            try:
                if self._conn is not None:
                    await self._conn.close()
                    self._conn = None
            finally:
                self._lock.release()

    def _counter(self, connection: str) -> Callable[[str], None]:
        """SQLite's trace hook for one connection: counts the statements sent to it (in its thread).

        ``executemany`` counts once per row, as SQLite runs the statement for each.
        """

        def count(statement: str) -> None:
            if not statement.startswith("--"):  # "-- ..." ones run inside a statement (the FTS index)
                self.statements[connection] += 1

        return count

    @property
    def reader(self) -> aiosqlite.Connection:
        """A second, read-only connection (WAL lets it read while the writer writes).

        Reads that need no consistency with a write in progress go here, off the write
        lock and on another thread, so they neither wait for writers nor delay them.
        Each statement sees the latest commit.
        """
        return self._reader or self.connection

    @asynccontextmanager
    async def locked(self, *, urgent: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """Exclusive use of the connection, in autocommit mode: reads and single-statement writes.

        Every statement is a round trip to aiosqlite's thread, so callers use the one-call
        forms (``execute_fetchall``, ``execute_insert``) and open a transaction only when
        several writes must commit together. ``urgent`` units (a webhook being stored while
        the platform waits for its 200) get the connection before every other waiter.
        """
        await self._lock.acquire(urgent=urgent)
        try:
            yield self.connection
        finally:
            self._lock.release()

    async def write_coalesced(self, sql: str, rows: list[tuple[Any, ...]], *, urgent: bool = False) -> None:
        """Run ``sql`` for each row, committed together with the rows other callers queue meanwhile.

        Under load many coroutines write the same statement (store a webhook, close an
        outbox row); taking the lock and paying three round trips for each would make the
        lock the bottleneck. Rows queued while a flush waits for the lock go in one
        ``executemany`` per statement, in one transaction; every caller returns once its
        rows are committed, and all of them see the error if the flush fails. ``urgent``
        rows (webhooks stored while the platform waits) are flushed apart, ahead of the
        other waiters for the connection.
        """
        batch = self._batches.get(urgent)
        if batch is None:
            batch = self._batches[urgent] = _Batch(asyncio.get_running_loop().create_future())
            asyncio.get_running_loop().create_task(self._flush(batch, urgent))
        batch.queued.setdefault(sql, []).extend(rows)
        await asyncio.shield(batch.done)

    async def _flush(self, batch: _Batch, urgent: bool) -> None:
        try:
            async with self.locked(urgent=urgent) as conn:
                del self._batches[urgent]  # rows queued from now on wait for the next flush
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, rows in batch.queued.items():
                        await conn.executemany(sql, rows)
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                await conn.execute("COMMIT")
        except BaseException as error:
            if self._batches.get(urgent) is batch:  # failed before taking the connection
                del self._batches[urgent]
            batch.done.set_exception(error)
        else:
            batch.done.set_result(None)

    @property
    def connection(self) -> aiosqlite.Connection:
        """The open connection; using the database before :meth:`open` is a programming error."""
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def _migrate(self) -> None:
        conn = self.connection
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
        )
        async with conn.execute("SELECT version FROM schema_migrations") as cursor:
            applied = {row[0] for row in await cursor.fetchall()}
        for version, name, filename, sql in _migrations(self._migrations):
            if version in applied:
                continue
            log.info("applying migration %s", filename)
            try:
                await conn.executescript(
                    f"BEGIN;\n{sql}\n"
                    f"INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
                )
            except sqlite3.Error as error:
                # executescript stops at the failing statement with the BEGIN still open: undo
                # what the script did, or the next write would commit half a migration
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise MigrationError(f"migration {filename} failed and was rolled back: {error}") from error


def _migrations(folder: Traversable) -> list[tuple[int, str, str, str]]:
    """Numbered ``NNNN_name.sql`` files in ``folder``, in order: (version, name, file name, script)."""
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            script = entry.read_text(encoding="utf-8")
            found.append((int(number), rest.removesuffix(".sql"), entry.name, script))
    return sorted(found)
