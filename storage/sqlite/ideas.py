"""The Ideas port on SQLite: the feature-request backlog, who asked for what, and who was told."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import aiosqlite

from core.backlog.model import Idea, IdeaRequest, IdeaTally
from core.customers.model import Customer
from storage.sqlite.rows import Statements, from_iso, to_iso


class SqliteIdeas:
    """Implements :class:`core.backlog.ports.Ideas`."""

    async def idea_by_key(self: Statements, key: str) -> Idea | None:
        row = await self._one("SELECT * FROM ideas WHERE key = ? ORDER BY id LIMIT 1", (key,))
        while row is not None and row["merged_into"] is not None:
            row = await self._one("SELECT * FROM ideas WHERE id = ?", (row["merged_into"],))
        return _idea(row) if row else None

    async def get_idea(self: Statements, idea_id: int) -> Idea | None:
        row = await self._one("SELECT * FROM ideas WHERE id = ?", (idea_id,))
        return _idea(row) if row else None

    async def create_idea(self: Statements, key: str, summary: str, customer_id: int, at: datetime) -> Idea:
        idea_id = await self._insert(
            "INSERT INTO ideas (key, summary, customer_id, created_at) VALUES (?, ?, ?, ?)",
            (key, summary, customer_id, to_iso(at)),
        )
        return Idea(id=idea_id, key=key, summary=summary, created_at=at)

    async def add_idea_request(
        self: Statements,
        idea_id: int,
        customer: Customer,
        ticket_id: int | None,
        summary: str,
        source: str,
        at: datetime,
    ) -> bool:
        cursor = await self._write(
            "INSERT INTO idea_requests (idea_id, ticket_id, customer_id, plan, summary, source, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idea_id, customer_id) DO NOTHING",
            (idea_id, ticket_id, customer.id, customer.plan, summary, source, to_iso(at)),
        )
        return cursor.rowcount == 1

    async def idea_request_of_ticket(self: Statements, ticket_id: int) -> IdeaRequest | None:
        row = await self._one(
            "SELECT * FROM idea_requests WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
        )
        return _request(row) if row else None

    async def merge_ideas(self: Statements, keep: int, absorbed: int) -> None:
        # a customer who asked for both counts once: their request on the survivor stays
        await self._write(
            "UPDATE OR IGNORE idea_requests SET idea_id = ? WHERE idea_id = ?", (keep, absorbed)
        )
        await self._write("DELETE FROM idea_requests WHERE idea_id = ?", (absorbed,))
        await self._write("UPDATE ideas SET merged_into = ? WHERE id = ?", (keep, absorbed))
        await self._write("UPDATE ideas SET merged_into = ? WHERE merged_into = ?", (keep, absorbed))

    async def tally_ideas(self: Statements, plan: str | None = None) -> list[IdeaTally]:
        rows = await self._all(
            "SELECT i.*, r.plan AS r_plan, r.at AS r_at FROM ideas i JOIN idea_requests r ON r.idea_id = i.id"
            " WHERE i.merged_into IS NULL AND (? IS NULL OR lower(r.plan) = lower(?)) ORDER BY i.id, r.id",
            (plan, plan),
        )
        ideas: dict[int, Idea] = {}
        plans: dict[int, Counter[str]] = {}
        dates: dict[int, list[datetime]] = {}
        for row in rows:
            ideas.setdefault(row["id"], _idea(row))
            plans.setdefault(row["id"], Counter())[row["r_plan"] or ""] += 1
            at = from_iso(row["r_at"])
            assert at is not None
            dates.setdefault(row["id"], []).append(at)
        tallies = [
            IdeaTally(
                idea=idea,
                customers=sum(plans[idea_id].values()),
                by_plan=dict(plans[idea_id].most_common()),
                first_at=min(dates[idea_id]),
                last_at=max(dates[idea_id]),
            )
            for idea_id, idea in ideas.items()
        ]
        tallies.sort(key=lambda t: (-t.customers, t.first_at))
        return tallies

    async def idea_requests(self: Statements, idea_id: int) -> list[IdeaRequest]:
        rows = await self._all("SELECT * FROM idea_requests WHERE idea_id = ? ORDER BY id", (idea_id,))
        return [_request(row) for row in rows]

    async def set_idea_delivered(self: Statements, idea_id: int, actor: str, at: datetime) -> None:
        await self._update(
            "UPDATE ideas SET delivered_at = ?, delivered_by = ? WHERE id = ? AND delivered_at IS NULL",
            (to_iso(at), actor, idea_id),
        )

    async def set_idea_request_notified(self: Statements, request_id: int, at: datetime) -> None:
        await self._update("UPDATE idea_requests SET notified_at = ? WHERE id = ?", (to_iso(at), request_id))


def _idea(row: aiosqlite.Row) -> Idea:
    created_at = from_iso(row["created_at"])
    assert created_at is not None
    return Idea(
        id=row["id"],
        key=row["key"],
        summary=row["summary"],
        created_at=created_at,
        merged_into=row["merged_into"],
        delivered_at=from_iso(row["delivered_at"]),
        delivered_by=row["delivered_by"],
    )


def _request(row: aiosqlite.Row) -> IdeaRequest:
    at = from_iso(row["at"])
    assert at is not None
    return IdeaRequest(
        id=row["id"],
        idea_id=row["idea_id"],
        customer_id=row["customer_id"],
        ticket_id=row["ticket_id"],
        plan=row["plan"],
        summary=row["summary"],
        source=row["source"],
        at=at,
        notified_at=from_iso(row["notified_at"]),
    )
