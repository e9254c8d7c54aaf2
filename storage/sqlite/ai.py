"""SQL for the AI core inside a unit of work: model calls, triage, drafts, and the context the pipeline reads.

Mixed into :class:`storage.sqlite.unit_of_work.SqliteTransaction`, so an AI outcome and the
effects it queues commit together.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.ai.model import DraftRecord, DraftState, ResolvedTicket, TriageHistory, TriageRecord
from core.ai.schema import CATEGORIES, REASONS, CallRecord
from core.kb.model import ArticleHit
from storage.sqlite.customers import CUSTOMER_SINCE, customer_since
from storage.sqlite.messages import HUMAN_AUTHOR
from storage.sqlite.rows import Statements


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _triage(row: Any) -> TriageRecord:
    at = _dt(row["at"])
    assert at is not None
    return TriageRecord(
        message_id=row["message_id"],
        ticket_id=row["ticket_id"],
        category=row["category"],
        urgency=row["urgency"],
        complexity=row["complexity"],
        sentiment=row["sentiment"],
        language=row["language"],
        confidence=row["confidence"],
        requires_human=bool(row["requires_human"]),
        reason=row["reason"],
        tier=row["tier"],
        model=row["model"],
        at=at,
        tier_reason=row["tier_reason"],
        decision=row["decision"],
        cost_usd=row["cost_usd"],
        likely_resolved=None if row["likely_resolved"] is None else bool(row["likely_resolved"]),
        transcript=row["transcript"],
        why=row["why"],
        through_message_id=row["through_message_id"],
        messages_read=row["messages_read"],
    )


class SqliteAiRecords:
    """Implements :class:`core.ai.ports.AiRecords`."""

    async def triage_covering(self: Statements, ticket_id: int, message_id: int) -> TriageRecord | None:
        row = await self._one(
            "SELECT * FROM ai_triage WHERE ticket_id = ? AND message_id <= ?"
            " AND COALESCE(through_message_id, message_id) >= ? ORDER BY message_id DESC LIMIT 1",
            (ticket_id, message_id, message_id),
        )
        return None if row is None else _triage(row)

    async def record_triage(self: Statements, triage: TriageRecord) -> None:
        await self._update(
            "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment,"
            " language,"
            " confidence, requires_human, reason, tier, model, at, tier_reason, decision, cost_usd,"
            " likely_resolved, transcript, why, through_message_id, messages_read)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                triage.message_id,
                triage.ticket_id,
                triage.category,
                triage.urgency,
                triage.complexity,
                triage.sentiment,
                triage.language,
                triage.confidence,
                int(triage.requires_human),
                triage.reason,
                triage.tier,
                triage.model,
                triage.at.isoformat(),
                triage.tier_reason,
                triage.decision,
                triage.cost_usd,
                None if triage.likely_resolved is None else int(triage.likely_resolved),
                triage.transcript,
                triage.why,
                triage.through_message_id,
                triage.messages_read,
            ),
        )

    async def record_ai_call(
        self: Statements, ticket_id: int, message_id: int | None, call: CallRecord, at: datetime
    ) -> None:
        await self._append(
            "INSERT INTO ai_calls (ticket_id, message_id, step, provider, model, prompt_tokens,"
            " completion_tokens, cost_usd, latency_ms, outcome, detail, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                message_id,
                call.step,
                call.provider,
                call.model,
                call.prompt_tokens,
                call.completion_tokens,
                call.cost_usd,
                call.latency_ms,
                call.outcome,
                call.detail,
                at.isoformat(),
            ),
        )

    async def add_draft(
        self: Statements,
        ticket_id: int,
        message_id: int,
        text: str,
        model: str,
        confidence: float,
        sources: Any,
        at: datetime,
    ) -> int:
        return await self._insert(
            "INSERT INTO ai_drafts (ticket_id, message_id, body, model, confidence, sources, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ticket_id, message_id, text, model, confidence, _sources_json(sources), at.isoformat()),
        )

    async def get_draft(self: Statements, draft_id: int) -> DraftRecord | None:
        row = await self._one("SELECT * FROM ai_drafts WHERE id = ?", (draft_id,))
        if row is None:
            return None
        created_at = _dt(row["created_at"])
        assert created_at is not None
        return DraftRecord(
            id=row["id"],
            ticket_id=row["ticket_id"],
            message_id=row["message_id"],
            text=row["body"],
            model=row["model"],
            confidence=row["confidence"],
            sources=[ArticleHit(**hit) for hit in json.loads(row["sources"])],
            state=DraftState(row["state"]),
            created_at=created_at,
            desk_ref=row["desk_ref"],
            decided_by=row["decided_by"],
            decided_at=_dt(row["decided_at"]),
            sent_message_id=row["sent_message_id"],
        )

    async def save_draft(self: Statements, draft: DraftRecord) -> None:
        await self._update(
            "UPDATE ai_drafts SET state = ?, desk_ref = ?, decided_by = ?, decided_at = ?,"
            " sent_message_id = ?"
            " WHERE id = ?",
            (
                draft.state.value,
                draft.desk_ref,
                draft.decided_by,
                draft.decided_at.isoformat() if draft.decided_at else None,
                draft.sent_message_id,
                draft.id,
            ),
        )

    async def resolved_tickets(self: Statements, limit: int) -> list[ResolvedTicket]:
        rows = await self._all(
            "SELECT (SELECT body FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'in'"
            "   AND m.body IS NOT NULL ORDER BY m.id LIMIT 1) AS text,"
            " (SELECT category FROM ai_triage a WHERE a.ticket_id = t.id"
            "   ORDER BY a.at DESC, a.message_id DESC LIMIT 1) AS category,"
            " (EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'out'"
            f"   AND {HUMAN_AUTHOR})"
            "  OR EXISTS (SELECT 1 FROM ai_triage a WHERE a.ticket_id = t.id AND a.requires_human = 1))"
            " AS human,"
            " (SELECT reason FROM ai_triage a WHERE a.ticket_id = t.id AND a.requires_human = 1"
            "   ORDER BY a.at LIMIT 1) AS reason"
            " FROM tickets t WHERE t.resolved_at IS NOT NULL ORDER BY t.id DESC LIMIT ?",
            (limit,),
        )
        return [
            ResolvedTicket(
                text=row["text"] or "",
                category=row["category"] if row["category"] in CATEGORIES else None,
                human=bool(row["human"]),
                reason=row["reason"] if row["reason"] in REASONS else None,
            )
            for row in rows
        ]

    async def triage_history(
        self: Statements, customer_id: int, ticket_id: int, since: datetime
    ) -> TriageHistory:
        row = await self._one(f"SELECT {CUSTOMER_SINCE} FROM customers c WHERE c.id = ?", (customer_id,))
        first_seen = customer_since(row["customer_since"]) if row else None
        rows = await self._all(
            "SELECT a.category FROM ai_triage a JOIN tickets t ON t.id = a.ticket_id"
            " WHERE t.customer_id = ? AND a.at >= ? ORDER BY a.message_id DESC LIMIT 50",
            (customer_id, since.isoformat()),
        )
        recent = list(dict.fromkeys(r["category"] for r in rows))[:5]
        # a contact is a ticket: one counts once per category it was about, however many messages
        contacts = await self._all(
            "SELECT a.category, COUNT(DISTINCT a.ticket_id) AS tickets FROM ai_triage a"
            " JOIN tickets t ON t.id = a.ticket_id"
            " WHERE t.customer_id = ? AND a.at >= ? AND a.ticket_id != ? GROUP BY a.category",
            (customer_id, since.isoformat(), ticket_id),
        )
        counts = {r["category"]: r["tickets"] for r in contacts}
        return TriageHistory(
            first_seen=first_seen or since, recent_categories=recent, same_category_count=counts
        )

    async def last_event_at(self: Statements, ticket_id: int, action: str) -> datetime | None:
        row = await self._one(
            "SELECT at FROM events WHERE ticket_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
            (ticket_id, action),
        )
        return _dt(row["at"]) if row else None


def _sources_json(sources: Any) -> str:
    return json.dumps(
        [
            {
                "slug": h.slug,
                "title": h.title,
                "category": h.category,
                "body": h.body,
                "score": h.score,
                "url": h.url,
            }
            for h in sources
        ],
        ensure_ascii=False,
    )
