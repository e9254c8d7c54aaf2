"""The SlaTimers port on SQLite: each ticket's clocks, the due ones, breaches, and a crisis's pause.

These rows commit with the ticket change that causes them. Clock times are stored as epoch
seconds (the ticker compares and indexes them); audit-style times as ISO text, like the rest of
the schema.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiosqlite

from core.sla.model import DueTimer, Timer, TimerKind, TimerState
from storage.sqlite.rows import Statements

_SAVE_TIMER = (
    "INSERT OR REPLACE INTO sla_timers (ticket_id, kind, state, target_seconds, started_at, due_at,"
    " warn_at, remaining_seconds, next_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _moment(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


class SqliteSlaTimers:
    """Implements :class:`core.sla.ports.SlaTimers`."""

    async def timers_of(self: Statements, ticket_id: int) -> list[Timer]:
        rows = await self._all("SELECT * FROM sla_timers WHERE ticket_id = ?", (ticket_id,))
        return [_timer(row) for row in rows]

    async def save_timers(self: Statements, timers: list[Timer]) -> None:
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

    async def due_timers(self: Statements, now: datetime, limit: int) -> list[DueTimer]:
        rows = await self._all(
            "SELECT s.*, t.tier AS t_tier, t.assignee AS t_assignee FROM sla_timers s"
            " JOIN tickets t ON t.id = s.ticket_id"
            " WHERE s.next_at IS NOT NULL AND s.next_at <= ? ORDER BY s.next_at LIMIT ?",
            (now.timestamp(), limit),
        )
        return [DueTimer(_timer(row), row["t_tier"], row["t_assignee"]) for row in rows]

    async def record_breaches(self: Statements, breaches: list[DueTimer], at: datetime) -> None:
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

    async def sla_suspended(self: Statements) -> bool:
        row = await self._one(
            "SELECT 1 FROM crises WHERE sla_suspended = 1 AND resolved_at IS NULL LIMIT 1", ()
        )
        return row is not None

    async def resume_sla_after(self: Statements, since: datetime, now: datetime) -> None:
        lasted = max((now - since).total_seconds(), 0.0)
        shift = "MIN(?, MAX(? - started_at, 0))"
        await self._write(
            f"UPDATE sla_timers SET due_at = due_at + {shift}, warn_at = warn_at + {shift},"
            f" next_at = next_at + {shift} WHERE state = ?",
            (lasted, now.timestamp()) * 3 + (TimerState.RUNNING.value,),
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
