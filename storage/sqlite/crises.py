"""The CrisisRecords port on SQLite: the record, drafts held between two clicks, audiences as customer ids.

Pausing the SLA during a crisis is :mod:`storage.sqlite.sla`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from core.common.phone import variants
from core.crisis.model import Audience, AudienceKind, Crisis, CrisisDraft, CrisisStatus, Severity
from core.tickets.model import Direction
from storage.sqlite.rows import Statements

# Customers a broadcast may name: not folded into another record, not erased.
_LIVE = "c.merged_into IS NULL AND c.address NOT LIKE 'apagado:%'"


def _dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


class SqliteCrisisRecords:
    """Implements :class:`core.crisis.ports.CrisisRecords`."""

    async def add_crisis(self: Statements, crisis: Crisis) -> None:
        await self._write(
            "INSERT INTO crises (id, scenario, severity, description, audience, template, status,"
            " sla_suspended, declared_by, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                crisis.id,
                crisis.scenario,
                crisis.severity.value,
                crisis.description,
                crisis.audience,
                crisis.template,
                crisis.status.value,
                int(crisis.sla_suspended),
                crisis.declared_by,
                crisis.declared_at.timestamp(),
            ),
        )

    async def get_crisis(self: Statements, crisis_id: str) -> Crisis | None:
        row = await self._one("SELECT * FROM crises WHERE id = ?", (crisis_id,))
        if row is None:
            return None
        declared = _dt(row["declared_at"])
        assert declared is not None
        return Crisis(
            id=row["id"],
            scenario=row["scenario"],
            severity=Severity(row["severity"]),
            description=row["description"],
            audience=row["audience"],
            template=row["template"],
            status=CrisisStatus(row["status"]),
            sla_suspended=bool(row["sla_suspended"]),
            thread_ref=row["thread_ref"],
            declared_by=row["declared_by"],
            declared_at=declared,
            resolved_at=_dt(row["resolved_at"]),
        )

    async def set_crisis_status(
        self: Statements, crisis_id: str, status: CrisisStatus, resolved_at: datetime | None
    ) -> None:
        if resolved_at is None:
            await self._update("UPDATE crises SET status = ? WHERE id = ?", (status.value, crisis_id))
            return
        await self._update(
            "UPDATE crises SET status = ?, resolved_at = ?, sla_suspended = 0 WHERE id = ?",
            (status.value, resolved_at.timestamp(), crisis_id),
        )

    async def set_crisis_thread(self: Statements, crisis_id: str, thread_ref: str) -> None:
        await self._update("UPDATE crises SET thread_ref = ? WHERE id = ?", (thread_ref, crisis_id))

    async def hold_crisis_draft(
        self: Statements, token: str, user: str, draft: CrisisDraft, at: datetime, keep: timedelta
    ) -> None:
        await self._write("DELETE FROM crisis_drafts WHERE created_at < ?", ((at - keep).timestamp(),))
        await self._write(
            "INSERT INTO crisis_drafts (token, user_id, payload, created_at) VALUES (?, ?, ?, ?)",
            (token, user, json.dumps(_draft_fields(draft), ensure_ascii=False), at.timestamp()),
        )

    async def take_crisis_draft(self: Statements, token: str, user: str) -> CrisisDraft | None:
        row = await self._one(
            "SELECT payload FROM crisis_drafts WHERE token = ? AND user_id = ?", (token, user)
        )
        if row is None:
            return None
        await self._write("DELETE FROM crisis_drafts WHERE token = ?", (token,))
        return _draft_from(json.loads(row["payload"]))

    async def audience_customers(
        self: Statements, audience: Audience, now: datetime
    ) -> tuple[list[int], int]:
        kind = audience.kind
        if kind is AudienceKind.LIST:
            return await _listed(self, audience.phones)
        sql = f"SELECT c.id FROM customers c WHERE {_LIVE}"
        params: tuple[Any, ...] = ()
        if kind is AudienceKind.PLAN:
            sql += " AND lower(c.plan) = lower(?)"
            params = (audience.plan,)
        elif kind is AudienceKind.ACTIVE:
            since = (now - timedelta(days=audience.days)).isoformat()
            # active_at may be a date or a time: compared from the day it starts
            # active_at may be a date or a time: compared from the day it starts
            sql += (
                " AND (c.active_at >= ? OR EXISTS (SELECT 1 FROM tickets t JOIN messages m"
                " ON m.ticket_id = t.id WHERE t.customer_id = c.id"
                f" AND m.direction = '{Direction.INBOUND.value}' AND m.sent_at >= ?))"
            )
            params = (since[:10], since)
        elif kind is AudienceKind.CATEGORY:
            since = (now - timedelta(hours=audience.hours)).isoformat()
            sql += (
                " AND EXISTS (SELECT 1 FROM tickets t JOIN ai_triage a ON a.ticket_id = t.id"
                " WHERE t.customer_id = c.id AND t.opened_at >= ? AND a.category = ?)"
            )
            params = (since, audience.category)
        rows = await self._all(sql + " ORDER BY c.id", params)
        return [int(row["id"]) for row in rows], 0


async def _listed(tx: Statements, phones: tuple[str, ...]) -> tuple[list[int], int]:
    """The customers at these phones (either ninth-digit form, linked addresses too)."""
    found: list[int] = []
    unknown = 0
    for number in phones:
        forms = variants(number)
        marks = ",".join("?" * len(forms))
        row = await tx._one(
            f"SELECT COALESCE(c.merged_into, c.id) AS id FROM customers c WHERE c.address IN ({marks})"
            f" UNION ALL SELECT customer_id FROM customer_addresses WHERE address IN ({marks}) LIMIT 1",
            (*forms, *forms),
        )
        if row is None:
            unknown += 1
        else:
            found.append(int(row["id"]))
    return list(dict.fromkeys(found)), unknown


def _draft_fields(draft: CrisisDraft) -> dict[str, Any]:
    audience = draft.audience
    return {
        "scenario": draft.scenario,
        "severity": draft.severity.value,
        "description": draft.description,
        "message": draft.message,
        "template": draft.template,
        "audience": {
            "kind": audience.kind.value,
            "plan": audience.plan,
            "days": audience.days,
            "category": audience.category,
            "hours": audience.hours,
            "phones": list(audience.phones),
        },
    }


def _draft_from(fields: dict[str, Any]) -> CrisisDraft:
    audience = fields["audience"]
    return CrisisDraft(
        scenario=fields["scenario"],
        severity=Severity(fields["severity"]),
        description=fields["description"],
        audience=Audience(
            AudienceKind(audience["kind"]),
            plan=audience["plan"],
            days=audience["days"],
            category=audience["category"],
            hours=audience["hours"],
            phones=tuple(audience["phones"]),
        ),
        message=fields["message"],
        template=fields["template"],
    )
