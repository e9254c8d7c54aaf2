"""SQL for response templates and the feature-request backlog, mixed into the SQLite unit of work.

The statements go through the unit's own helpers (``_one``, ``_write``, ``_update``), so they
take part in its transaction exactly like the desk's core tables.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Protocol

import aiosqlite

from core.models import Customer, Idea, IdeaRequest, IdeaTally, ResponseTemplate


class _Unit(Protocol):
    """What the mixin needs from :class:`storage.transaction.SqliteTransaction`."""

    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None: ...
    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor: ...
    async def _update(self, sql: str, params: tuple[Any, ...]) -> None: ...
    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int: ...
    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]: ...


def _ts(value: datetime) -> str:
    return value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class TemplateAndIdeaRows:
    """Implements the template and backlog part of :class:`core.ports.Transaction`."""

    async def list_templates(self: _Unit) -> list[ResponseTemplate]:
        rows = await self._all("SELECT * FROM response_templates ORDER BY category, id", ())
        return [_template(row) for row in rows]

    async def get_template(self: _Unit, template_id: str) -> ResponseTemplate | None:
        row = await self._one("SELECT * FROM response_templates WHERE id = ?", (template_id,))
        return _template(row) if row else None

    async def save_template(
        self: _Unit, template: ResponseTemplate, actor: str, at: datetime, *, new: bool
    ) -> bool:
        fields = (template.title, template.category, template.tone, template.body, actor, _ts(at))
        if new:
            cursor = await self._write(
                "INSERT INTO response_templates (title, category, tone, body, updated_by, updated_at, id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (*fields, template.id),
            )
        else:
            cursor = await self._write(
                "UPDATE response_templates SET title = ?, category = ?, tone = ?, body = ?,"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                (*fields, template.id),
            )
        return cursor.rowcount == 1

    async def delete_template(self: _Unit, template_id: str) -> bool:
        cursor = await self._write("DELETE FROM response_templates WHERE id = ?", (template_id,))
        return cursor.rowcount == 1

    async def idea_by_key(self: _Unit, key: str) -> Idea | None:
        row = await self._one("SELECT * FROM ideas WHERE key = ? ORDER BY id LIMIT 1", (key,))
        while row is not None and row["merged_into"] is not None:
            row = await self._one("SELECT * FROM ideas WHERE id = ?", (row["merged_into"],))
        return _idea(row) if row else None

    async def get_idea(self: _Unit, idea_id: int) -> Idea | None:
        row = await self._one("SELECT * FROM ideas WHERE id = ?", (idea_id,))
        return _idea(row) if row else None

    async def create_idea(self: _Unit, key: str, summary: str, customer_id: int, at: datetime) -> Idea:
        idea_id = await self._insert(
            "INSERT INTO ideas (key, summary, customer_id, created_at) VALUES (?, ?, ?, ?)",
            (key, summary, customer_id, _ts(at)),
        )
        return Idea(id=idea_id, key=key, summary=summary, created_at=at)

    async def add_idea_request(
        self: _Unit,
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
            (idea_id, ticket_id, customer.id, customer.plan, summary, source, _ts(at)),
        )
        return cursor.rowcount == 1

    async def idea_request_of_ticket(self: _Unit, ticket_id: int) -> IdeaRequest | None:
        row = await self._one(
            "SELECT * FROM idea_requests WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
        )
        return _request(row) if row else None

    async def merge_ideas(self: _Unit, keep: int, absorbed: int) -> None:
        # a customer who asked for both counts once: their request on the survivor stays
        await self._write(
            "UPDATE OR IGNORE idea_requests SET idea_id = ? WHERE idea_id = ?", (keep, absorbed)
        )
        await self._write("DELETE FROM idea_requests WHERE idea_id = ?", (absorbed,))
        await self._write("UPDATE ideas SET merged_into = ? WHERE id = ?", (keep, absorbed))
        await self._write("UPDATE ideas SET merged_into = ? WHERE merged_into = ?", (keep, absorbed))

    async def tally_ideas(self: _Unit, plan: str | None = None) -> list[IdeaTally]:
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
            at = _dt(row["r_at"])
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

    async def idea_requests(self: _Unit, idea_id: int) -> list[IdeaRequest]:
        rows = await self._all("SELECT * FROM idea_requests WHERE idea_id = ? ORDER BY id", (idea_id,))
        return [_request(row) for row in rows]

    async def set_idea_delivered(self: _Unit, idea_id: int, actor: str, at: datetime) -> None:
        await self._update(
            "UPDATE ideas SET delivered_at = ?, delivered_by = ? WHERE id = ? AND delivered_at IS NULL",
            (_ts(at), actor, idea_id),
        )

    async def set_idea_request_notified(self: _Unit, request_id: int, at: datetime) -> None:
        await self._update("UPDATE idea_requests SET notified_at = ? WHERE id = ?", (_ts(at), request_id))


def _template(row: aiosqlite.Row) -> ResponseTemplate:
    return ResponseTemplate(
        id=row["id"], title=row["title"], category=row["category"], tone=row["tone"], body=row["body"]
    )


def _idea(row: aiosqlite.Row) -> Idea:
    created_at = _dt(row["created_at"])
    assert created_at is not None
    return Idea(
        id=row["id"],
        key=row["key"],
        summary=row["summary"],
        created_at=created_at,
        merged_into=row["merged_into"],
        delivered_at=_dt(row["delivered_at"]),
        delivered_by=row["delivered_by"],
    )


def _request(row: aiosqlite.Row) -> IdeaRequest:
    at = _dt(row["at"])
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
        notified_at=_dt(row["notified_at"]),
    )
