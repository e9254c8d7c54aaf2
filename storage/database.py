"""One SQLite database file: connection, WAL mode, migrations, and serialized transactions."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite
import asyncio

log = logging.getLogger(__name__)


class Database:
    """A single aiosqlite connection shared by the process.

    SQLite allows one writer at a time; an asyncio lock around each transaction keeps
    coroutines from interleaving statements of different units of work on the connection.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        """Open (creating the file and its folder) and bring the schema up to date."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        await self._migrate()

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[aiosqlite.Connection]:
        """Exclusive use of the connection, in autocommit mode: reads and single-statement writes.

        Every statement is a round trip to aiosqlite's thread, so callers use the one-call
        forms (``execute_fetchall``, ``execute_insert``) and open a transaction only when
        several writes must commit together.
        """
        async with self._lock:
            yield self.connection

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: commit on success, roll back on any exception."""
        async with self.locked() as conn:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

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
        for version, name, sql in _migrations():
            if version in applied:
                continue
            log.info("applying migration %04d %s", version, name)
            await conn.executescript(
                f"BEGIN;\n{sql}\nINSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
            )


def _migrations() -> list[tuple[int, str, str]]:
    """Numbered ``NNNN_name.sql`` files shipped in this package, in order."""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(found)
