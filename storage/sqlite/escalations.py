"""The Escalations port on SQLite: tier changes, and what tiering reads of a customer and the AI.

These rows commit with the ticket change that causes them.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.escalation.model import Classification, CustomerHistory, Escalation
from storage.sqlite.customers import CUSTOMER_SINCE, customer_since
from storage.sqlite.rows import Statements


class SqliteEscalations:
    """Implements :class:`core.escalation.ports.Escalations`."""

    async def record_escalation(
        self: Statements, ticket_id: int, from_tier: int, tier: int, reason: str, actor: str, at: datetime
    ) -> int:
        return await self._insert(
            "INSERT INTO escalations (ticket_id, from_tier, tier, reason, actor, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (ticket_id, from_tier, tier, reason, actor, at.isoformat()),
        )

    async def get_escalation(self: Statements, escalation_id: int) -> Escalation | None:
        row = await self._one("SELECT * FROM escalations WHERE id = ?", (escalation_id,))
        return _escalation(row) if row else None

    async def last_escalation(self: Statements, ticket_id: int) -> Escalation | None:
        row = await self._one(
            "SELECT * FROM escalations WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
        )
        return _escalation(row) if row else None

    async def customer_history(self: Statements, customer_id: int, before_ticket: int) -> CustomerHistory:
        row = await self._one(
            f"SELECT {CUSTOMER_SINCE},"
            " (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id AND t.id < ?) AS previous"
            " FROM customers c WHERE c.id = ?",
            (before_ticket, customer_id),
        )
        if row is None:
            raise LookupError(f"customer {customer_id} not found")
        return CustomerHistory(customer_since(row["customer_since"]), row["previous"])

    async def latest_classification(self: Statements, ticket_id: int) -> Classification | None:
        # ai_triage belongs to the AI core (migration 0002); without it there is no classification.
        if (
            await self._one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ai_triage'", ())
            is None
        ):
            return None
        row = await self._one(
            "SELECT category, urgency, complexity, reason FROM ai_triage WHERE ticket_id = ?"
            " ORDER BY at DESC LIMIT 1",
            (ticket_id,),
        )
        if row is None:
            return None
        return Classification(row["category"], row["urgency"], row["complexity"], row["reason"])


def _escalation(row: aiosqlite.Row) -> Escalation:
    return Escalation(
        id=row["id"],
        ticket_id=row["ticket_id"],
        from_tier=row["from_tier"],
        tier=row["tier"],
        reason=row["reason"],
        actor=row["actor"],
        at=datetime.fromisoformat(row["at"]),
    )
