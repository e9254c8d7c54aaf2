"""SQL for what customers and reviewers say about tickets: surveys, CSAT, NPS and QA reviews.

A mixin of :class:`storage.transaction.SqliteTransaction` (it uses that class's statement
helpers), kept apart so the desk's own queries and these do not share one long file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import aiosqlite

from core.ai.rules import ANGRY_BELOW
from core.models import Channel, InteractionFacts, QaReview, Survey, SurveyKind, SurveyState
from storage.sqlite import customer_addresses

# An agent's message carries their desk user id (no colon); the AI's "ai:<model>", the desk's "system:...".
HUMAN_AUTHOR = "(author IS NOT NULL AND instr(author, ':') = 0 AND author != 'ai')"
AI_AUTHOR = "(author LIKE 'ai:%')"
CRITERIA = ("accuracy", "helpfulness", "tone", "efficiency")


class _Statements(Protocol):
    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None: ...

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]: ...

    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int: ...

    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor: ...

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None: ...


def _ts(value: datetime) -> str:
    return value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class FeedbackRows:
    """Implements the survey and QA part of :class:`core.ports.Transaction`."""

    async def add_survey(
        self: _Statements, kind: SurveyKind, customer_id: int, ticket_id: int, at: datetime
    ) -> int:
        # a customer answers one thing at a time: an older question of the same kind is closed
        await self._write(
            "UPDATE surveys SET state = ? WHERE customer_id = ? AND kind = ? AND state != ?",
            (SurveyState.DONE.value, customer_id, kind.value, SurveyState.DONE.value),
        )
        return await self._insert(
            "INSERT INTO surveys (kind, customer_id, ticket_id, state, asked_at) VALUES (?, ?, ?, ?, ?)",
            (kind.value, customer_id, ticket_id, SurveyState.ASKED.value, _ts(at)),
        )

    async def surveys_waiting(self: _Statements, channel: Channel, addresses: list[str]) -> list[Survey]:
        # the customer intake finds at this address (a linked Telegram chat leads to its customer)
        reachable, params = customer_addresses.matches(addresses, channel.value)
        rows = await self._all(
            "SELECT s.* FROM surveys s WHERE s.state != 'done' AND s.customer_id ="
            f" (SELECT customer_id FROM ({reachable}) ORDER BY linked_first, customer_id LIMIT 1)"
            " ORDER BY s.id DESC",
            params,
        )
        return [
            Survey(
                id=row["id"],
                kind=SurveyKind(row["kind"]),
                customer_id=row["customer_id"],
                ticket_id=row["ticket_id"],
                state=SurveyState(row["state"]),
                asked_at=datetime.fromisoformat(row["asked_at"]),
                answered_at=_dt(row["answered_at"]),
            )
            for row in rows
        ]

    async def set_survey_state(self: _Statements, survey_id: int, state: SurveyState, at: datetime) -> None:
        await self._update(
            "UPDATE surveys SET state = ?, answered_at = COALESCE(answered_at, ?) WHERE id = ?",
            (state.value, _ts(at), survey_id),
        )

    async def last_survey_at(self: _Statements, customer_id: int, kind: SurveyKind) -> datetime | None:
        row = await self._one(
            "SELECT MAX(asked_at) FROM surveys WHERE customer_id = ? AND kind = ?", (customer_id, kind.value)
        )
        return _dt(row[0]) if row is not None else None

    async def record_csat(self: _Statements, ticket_id: int, score: int, at: datetime) -> None:
        await self._update(
            "INSERT INTO csat (ticket_id, score, at) VALUES (?, ?, ?)"
            " ON CONFLICT (ticket_id) DO UPDATE SET score = excluded.score, at = excluded.at, comment = NULL",
            (ticket_id, score, _ts(at)),
        )

    async def set_csat_comment(self: _Statements, ticket_id: int, comment: str) -> None:
        await self._update("UPDATE csat SET comment = ? WHERE ticket_id = ?", (comment, ticket_id))

    async def record_nps(self: _Statements, customer_id: int, score: int, at: datetime) -> None:
        await self._update(
            "INSERT INTO nps (customer_id, score, at) VALUES (?, ?, ?)", (customer_id, score, _ts(at))
        )

    async def interaction_facts(self: _Statements, ticket_id: int) -> InteractionFacts:
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
        self: _Statements, facts: InteractionFacts, reason: str, at: datetime
    ) -> int | None:
        cursor = await self._write(
            "INSERT INTO qa_reviews (ticket_id, reason, handled_by, category, queued_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING",
            (facts.ticket_id, reason, facts.agent or "ai", facts.category, _ts(at)),
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def get_review(self: _Statements, review_id: int) -> QaReview | None:
        row = await self._one("SELECT * FROM qa_reviews WHERE id = ?", (review_id,))
        return _review(row) if row is not None else None

    async def set_review_ref(self: _Statements, review_id: int, desk_ref: str) -> None:
        await self._update("UPDATE qa_reviews SET desk_ref = ? WHERE id = ?", (desk_ref, review_id))

    async def score_review(
        self: _Statements,
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
            (reviewer, *(scores[name] for name in CRITERIA), score, notes, _ts(at), review_id),
        )

    async def reviews_since(self: _Statements, since: datetime) -> list[QaReview]:
        rows = await self._all(
            "SELECT * FROM qa_reviews WHERE reviewed_at >= ? ORDER BY reviewed_at", (_ts(since),)
        )
        return [_review(row) for row in rows]


async def _has_table(statements: _Statements, name: str) -> bool:
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
        reviewed_at=_dt(row["reviewed_at"]),
    )
