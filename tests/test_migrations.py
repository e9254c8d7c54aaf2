"""Schema migrations: a script that fails is rolled back whole and named, and leaves the database usable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.sqlite.database import Database, MigrationError


async def test_a_failing_migration_is_rolled_back_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_people.sql").write_text("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n")
    (folder / "0002_pets.sql").write_text(
        "CREATE TABLE pets (id INTEGER PRIMARY KEY);\n"
        "INSERT INTO people (name) VALUES ('Maria');\n"
        "INSERT INTO no_such_table VALUES (1);\n"
    )
    path = tmp_path / "atende.db"
    db = Database(str(path), migrations=folder)
    with pytest.raises(MigrationError) as failure:
        await db.open()
    # one line an operator can act on: which file, and what SQLite said
    message = str(failure.value)
    assert "\n" not in message
    assert "0002_pets.sql" in message and "no such table: no_such_table" in message
    try:
        # nothing of the failed script is left, and no open transaction holds the file locked
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("INSERT INTO people (name) VALUES ('Ana')")
            other.commit()
            assert other.execute("SELECT name FROM people").fetchall() == [("Ana",)]
            tables = {row[0] for row in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert "pets" not in tables
            assert other.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
        finally:
            other.close()
    finally:
        await db.close()

    # fixed, the next start applies it
    (folder / "0002_pets.sql").write_text("CREATE TABLE pets (id INTEGER PRIMARY KEY);\n")
    db = Database(str(path), migrations=folder)
    await db.open()
    try:
        rows = await db.reader.execute_fetchall(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        )
        assert [tuple(r) for r in rows] == [(1, "people"), (2, "pets")]
    finally:
        await db.close()
