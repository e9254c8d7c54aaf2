"""SQL for tiers and the SLA clock inside a unit of work: escalations, timers, breaches, home viewers.

Mixed into :class:`storage.transaction.SqliteTransaction`, so these statements commit with
the ticket change that causes them. Clock times are stored as epoch seconds (the ticker
compares and indexes them); audit-style times as ISO text, like the rest of the schema.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiosqlite

from core.escalation.tiers import Classification, CustomerHistory
from core.models import Escalation
from core.sla.clock import DueTimer, Timer, TimerKind, TimerState
from storage.sqlite.customer_profiles import CUSTOMER_SINCE, customer_since


class _Unit(Protocol):
    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None: ...
    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]: ...
    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int: ...
    async def _update(self, sql: str, params: tuple[Any, ...]) -> None: ...
    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...


_SAVE_TIMER = (
    "INSERT OR REPLACE INTO sla_timers (ticket_id, kind, state, target_seconds, started_at, due_at,"
    " warn_at, remaining_seconds, next_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _moment(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


class SlaRecords:
    """Implements the tier and SLA methods of :class:`core.ports.Transaction`."""

    async def record_escalation(
        self: _Unit, ticket_id: int, from_tier: int, tier: int, reason: str, actor: str, at: datetime
    ) -> int:
        return await self._insert(
            "INSERT INTO escalations (ticket_id, from_tier, tier, reason, actor, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (ticket_id, from_tier, tier, reason, actor, at.isoformat()),
        )

    async def get_escalation(self: _Unit, escalation_id: int) -> Escalation | None:
        row = await self._one("SELECT * FROM escalations WHERE id = ?", (escalation_id,))
        return _escalation(row) if row else None

    async def last_escalation(self: _Unit, ticket_id: int) -> Escalation | None:
        row = await self._one(
            "SELECT * FROM escalations WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
        )
        return _escalation(row) if row else None

    async def timers_of(self: _Unit, ticket_id: int) -> list[Timer]:
        rows = await self._all("SELECT * FROM sla_timers WHERE ticket_id = ?", (ticket_id,))
        return [_timer(row) for row in rows]

    async def save_timers(self: _Unit, timers: list[Timer]) -> None:
        rows = [
            (
                timer.ticket_id,
                timer.kind.value,
                timer.state.value,
                timer.target.total_seconds(),
                timer.started_at.timestamp(),
                timer.due_at.timestamp(),
                _epoch(timer.warn_at),
                timer.remaining.total_seconds() if timer.remaining is not None else None,
                _epoch(timer.next_at),
                _epoch(timer.ended_at),
            )
            for timer in timers
        ]
        if len(rows) == 1:
            await self._update(_SAVE_TIMER, rows[0])
        elif rows:
            await self._many(_SAVE_TIMER, rows)

    async def due_timers(self: _Unit, now: datetime, limit: int) -> list[DueTimer]:
        rows = await self._all(
            "SELECT s.*, t.tier AS t_tier, t.assignee AS t_assignee FROM sla_timers s"
            " JOIN tickets t ON t.id = s.ticket_id"
            " WHERE s.next_at IS NOT NULL AND s.next_at <= ? ORDER BY s.next_at LIMIT ?",
            (now.timestamp(), limit),
        )
        return [DueTimer(_timer(row), row["t_tier"], row["t_assignee"]) for row in rows]

    async def record_breaches(self: _Unit, breaches: list[DueTimer], at: datetime) -> None:
        await self._many(
            "INSERT INTO sla_breaches (ticket_id, kind, tier, assignee, target_seconds, due_at, breached_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    due.timer.ticket_id,
                    due.timer.kind.value,
                    due.tier,
                    due.assignee,
                    due.timer.target.total_seconds(),
                    due.timer.due_at.isoformat(),
                    at.isoformat(),
                )
                for due in breaches
            ],
        )

    async def add_home_viewer(self: _Unit, user: str, at: datetime) -> None:
        await self._update(
            "INSERT INTO home_viewers (user, opened_at) VALUES (?, ?)"
            " ON CONFLICT (user) DO UPDATE SET opened_at = excluded.opened_at",
            (user, at.isoformat()),
        )

    async def customer_history(self: _Unit, customer_id: int, before_ticket: int) -> CustomerHistory:
        row = await self._one(
            f"SELECT {CUSTOMER_SINCE},"
            " (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id AND t.id < ?) AS previous"
            " FROM customers c WHERE c.id = ?",
            (before_ticket, customer_id),
        )
        if row is None:
            raise LookupError(f"customer {customer_id} not found")
        return CustomerHistory(customer_since(row["customer_since"]), row["previous"])

    async def latest_classification(self: _Unit, ticket_id: int) -> Classification | None:
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


def _timer(row: aiosqlite.Row) -> Timer:
    started, due = _moment(row["started_at"]), _moment(row["due_at"])
    assert started is not None and due is not None
    remaining = row["remaining_seconds"]
    return Timer(
        ticket_id=row["ticket_id"],
        kind=TimerKind(row["kind"]),
        state=TimerState(row["state"]),
        target=timedelta(seconds=row["target_seconds"]),
        started_at=started,
        due_at=due,
        warn_at=_moment(row["warn_at"]),
        remaining=timedelta(seconds=remaining) if remaining is not None else None,
        ended_at=_moment(row["ended_at"]),
    )
