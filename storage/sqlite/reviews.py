"""The Reviews port on SQLite: what a ticket's handling looked like, and the QA reviews of it."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.ai.rules import ANGRY_BELOW
from core.feedback.model import InteractionFacts, QaReview
from storage.sqlite.messages import AI_AUTHOR, HUMAN_AUTHOR
from storage.sqlite.rows import Statements, from_iso, to_iso

CRITERIA = ("accuracy", "helpfulness", "tone", "efficiency")


class SqliteReviews:
    """Implements :class:`core.feedback.ports.Reviews`."""

    async def interaction_facts(self: Statements, ticket_id: int) -> InteractionFacts:
        row = await self._one(
            f"SELECT COALESCE(MAX(direction = 'out' AND {AI_AUTHOR}), 0) AS ai,"
            f" COALESCE(MAX(direction = 'out' AND {HUMAN_AUTHOR}), 0) AS human,"
            " EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = ?1 AND e.action LIKE 'escalat%')"
            " AS escalated,"
            " EXISTS (SELECT 1 FROM csat WHERE csat.ticket_id = ?1 AND csat.score <= 2) AS unhappy,"
            " (SELECT author FROM messages m WHERE m.ticket_id = ?1 AND m.direction = 'out'"
            f"  AND {HUMAN_AUTHOR} ORDER BY m.id DESC LIMIT 1) AS agent,"
            " (SELECT resolved_by FROM tickets WHERE id = ?1) AS resolver"
            " FROM messages WHERE ticket_id = ?1",
            (ticket_id,),
        )
        assert row is not None
        category, negative = None, False
        if await _has_table(self, "ai_triage"):
            # the AI's reading: its first category, and whether it ever found the customer angry
            triage = await self._one(
                "SELECT (SELECT category FROM ai_triage WHERE ticket_id = ? ORDER BY at, message_id LIMIT 1),"
                " EXISTS (SELECT 1 FROM ai_triage WHERE ticket_id = ?"
                "  AND (sentiment < ? OR reason = 'angry_customer_sentiment'))",
                (ticket_id, ticket_id, ANGRY_BELOW),
            )
            if triage is not None:
                category, negative = triage[0], bool(triage[1])
        human = bool(row["human"])
        return InteractionFacts(
            ticket_id=ticket_id,
            ai_answered=bool(row["ai"]),
            human_answered=human,
            escalated=bool(row["escalated"]),
            complaint=bool(row["unhappy"]) or negative,
            category=category,
            agent=row["agent"] if human else ("ai" if row["ai"] else row["resolver"]),
        )

    async def queue_review(
        self: Statements, facts: InteractionFacts, reason: str, at: datetime
    ) -> int | None:
        cursor = await self._write(
            "INSERT INTO qa_reviews (ticket_id, reason, handled_by, category, queued_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING",
            (facts.ticket_id, reason, facts.agent or "ai", facts.category, to_iso(at)),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def get_review(self: Statements, review_id: int) -> QaReview | None:
        row = await self._one("SELECT * FROM qa_reviews WHERE id = ?", (review_id,))
        return _review(row) if row is not None else None

    async def set_review_ref(self: Statements, review_id: int, desk_ref: str) -> None:
        await self._update("UPDATE qa_reviews SET desk_ref = ? WHERE id = ?", (desk_ref, review_id))

    async def score_review(
        self: Statements,
        review_id: int,
        reviewer: str,
        scores: dict[str, int],
        score: float,
        notes: str,
        at: datetime,
    ) -> None:
        await self._update(
            "UPDATE qa_reviews SET reviewer = ?, accuracy = ?, helpfulness = ?, tone = ?, efficiency = ?,"
            " score = ?, notes = ?, reviewed_at = ? WHERE id = ?",
            (reviewer, *(scores[name] for name in CRITERIA), score, notes, to_iso(at), review_id),
        )

    async def reviews_since(self: Statements, since: datetime) -> list[QaReview]:
        rows = await self._all(
            "SELECT * FROM qa_reviews WHERE reviewed_at >= ? ORDER BY reviewed_at", (to_iso(since),)
        )
        return [_review(row) for row in rows]


async def _has_table(statements: Statements, name: str) -> bool:
    """Whether another feature's table exists yet (the AI log is written by the AI core)."""
    row = await statements._one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row is not None


def _review(row: aiosqlite.Row) -> QaReview:
    scored = row["score"] is not None
    return QaReview(
        id=row["id"],
        ticket_id=row["ticket_id"],
        reason=row["reason"],
        handled_by=row["handled_by"],
        category=row["category"],
        queued_at=datetime.fromisoformat(row["queued_at"]),
        desk_ref=row["desk_ref"],
        reviewer=row["reviewer"],
        scores={name: row[name] for name in CRITERIA} if scored else None,
        score=row["score"],
        notes=row["notes"],
        reviewed_at=from_iso(row["reviewed_at"]),
    )
