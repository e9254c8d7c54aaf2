"""SQL for the knowledge base's proposed articles, mixed into the SQLite unit of work.

A proposal and the outbox row that shows it in the review channel commit together, so the
statements go through the unit's own helpers like the desk's core tables.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from core.kb.model import Candidate, CandidateOrigin, CandidateState
from core.tickets.model import Direction, Message, MessageKind
from storage.sqlite.rows import Statements

_FIELDS = (
    "origin, ticket_id, question_key, title, category, subcategory, tags, body, estimated_time,"
    " state, proposed_by, review_ref, decided_by, decided_at, slug, created_at"
)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _values(c: Candidate) -> tuple[Any, ...]:
    return (
        c.origin.value,
        c.ticket_id,
        c.question_key,
        c.title,
        c.category,
        c.subcategory,
        json.dumps(list(c.tags), ensure_ascii=False),
        c.body,
        c.estimated_time,
        c.state.value,
        c.proposed_by,
        c.review_ref,
        c.decided_by,
        _ts(c.decided_at),
        c.slug,
        _ts(c.created_at),
    )


class SqliteKbCandidates:
    """Implements :class:`core.kb.ports.KbCandidates`."""

    async def add_candidate(self: Statements, candidate: Candidate) -> Candidate | None:
        marks = ", ".join("?" * len(_FIELDS.split(",")))
        cursor = await self._write(
            f"INSERT INTO kb_candidates ({_FIELDS}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            _values(candidate),
        )
        if cursor.rowcount != 1:
            return None
        row = await self._one("SELECT * FROM kb_candidates WHERE id = ?", (cursor.lastrowid,))
        return _candidate(row) if row else None

    async def get_candidate(self: Statements, candidate_id: int) -> Candidate | None:
        row = await self._one("SELECT * FROM kb_candidates WHERE id = ?", (candidate_id,))
        return _candidate(row) if row else None

    async def save_candidate(self: Statements, candidate: Candidate) -> None:
        assignments = ", ".join(f"{name.strip()} = ?" for name in _FIELDS.split(","))
        await self._update(
            f"UPDATE kb_candidates SET {assignments} WHERE id = ?", (*_values(candidate), candidate.id)
        )

    async def faq_proposed_since(self: Statements, question_key: str, since: datetime) -> bool:
        row = await self._one(
            "SELECT 1 FROM kb_candidates WHERE origin = ? AND question_key = ? AND created_at >= ?",
            (CandidateOrigin.FAQ.value, question_key, since.isoformat()),
        )
        return row is not None

    async def first_questions_since(self: Statements, since: datetime) -> list[Message]:
        rows = await self._all(
            "SELECT m.id, m.ticket_id, m.body, m.sent_at FROM tickets t"
            " JOIN messages m ON m.id = (SELECT MIN(id) FROM messages WHERE ticket_id = t.id"
            " AND direction = ? AND kind = ? AND body IS NOT NULL)"
            " WHERE t.opened_at >= ? ORDER BY m.id",
            (Direction.INBOUND.value, MessageKind.TEXT.value, since.isoformat()),
        )
        return [
            Message(
                id=r["id"],
                ticket_id=r["ticket_id"],
                direction=Direction.INBOUND,
                kind=MessageKind.TEXT,
                sent_at=datetime.fromisoformat(r["sent_at"]),
                text=r["body"],
            )
            for r in rows
        ]


def _candidate(row: aiosqlite.Row) -> Candidate:
    return Candidate(
        id=row["id"],
        origin=CandidateOrigin(row["origin"]),
        title=row["title"],
        category=row["category"],
        body=row["body"],
        proposed_by=row["proposed_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        ticket_id=row["ticket_id"],
        question_key=row["question_key"],
        subcategory=row["subcategory"],
        tags=tuple(json.loads(row["tags"])),
        estimated_time=row["estimated_time"],
        state=CandidateState(row["state"]),
        review_ref=row["review_ref"],
        decided_by=row["decided_by"],
        decided_at=datetime.fromisoformat(row["decided_at"]) if row["decided_at"] else None,
        slug=row["slug"],
    )
