"""The QueueReader port on SQLite: open tickets by SLA risk, customers' recent tickets, tier figures.

Reads go to the database's read-only connection, so a ``/suporte fila`` over a large queue
never holds up intake.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiosqlite

from core.customers.model import Channel, Customer
from core.queue.model import QueueItem, TierRows
from core.tickets.model import TicketStatus
from storage.sqlite.customers import CUSTOMER_SINCE, customer_since, reachable_at
from storage.sqlite.database import Database

_OPEN = ",".join(f"'{status.value}'" for status in TicketStatus if status is not TicketStatus.RESOLVED)
_CLOCK = "FROM sla_timers s WHERE s.ticket_id = t.id AND s.state = 'running' AND s.kind != 'auto_close'"
_ITEM = (
    "SELECT t.id, t.status, t.tier, t.assignee, t.thread_ref, t.opened_at, c.name,"
    f" (SELECT MIN(s.due_at) {_CLOCK}) AS due_at,"
    f" (SELECT s.kind {_CLOCK} ORDER BY s.due_at LIMIT 1) AS due_kind,"
    " EXISTS (SELECT 1 FROM sla_timers b WHERE b.ticket_id = t.id AND b.state = 'breached') AS breached,"
    f" EXISTS (SELECT 1 {_CLOCK} AND s.warn_at IS NULL) AS warned"
    " FROM tickets t JOIN customers c ON c.id = t.customer_id"
)
_BY_RISK = " ORDER BY breached DESC, due_at IS NULL, due_at, t.id"


class QueueQueries:
    """Implements :class:`core.queue.ports.QueueReader`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _rows(self, sql: str, *params: Any) -> list[aiosqlite.Row]:
        return list(await self._db.reader.execute_fetchall(sql, params))

    async def open_tickets(self, limit: int, assignee: str | None = None) -> list[QueueItem]:
        mine = " AND t.assignee = ?" if assignee else ""
        params = (assignee, limit) if assignee else (limit,)
        rows = await self._rows(f"{_ITEM} WHERE t.status IN ({_OPEN}){mine}{_BY_RISK} LIMIT ?", *params)
        return [_item(row) for row in rows]

    async def open_count(self) -> int:
        rows = await self._rows(f"SELECT COUNT(*) FROM tickets WHERE status IN ({_OPEN})")
        return int(rows[0][0])

    async def queue_item(self, ticket_id: int) -> QueueItem | None:
        rows = await self._rows(f"{_ITEM} WHERE t.id = ?", ticket_id)
        return _item(rows[0]) if rows else None

    async def customer_by_address(self, addresses: list[str]) -> tuple[Customer, datetime] | None:
        # the customer as found at the address asked for (a linked phone, not their Telegram id)
        reachable, params = reachable_at(addresses)
        rows = await self._rows(
            f"SELECT c.id, c.name, c.plan, {CUSTOMER_SINCE}, m.channel, m.address"
            f" FROM ({reachable}) m JOIN customers c ON c.id = m.customer_id"
            " ORDER BY m.linked_first, m.customer_id LIMIT 1",
            *params,
        )
        if not rows:
            return None
        row = rows[0]
        customer = Customer(row["id"], Channel(row["channel"]), row["address"], row["name"], row["plan"])
        return customer, customer_since(row["customer_since"])

    async def tickets_of_customer(self, customer_id: int, limit: int) -> list[QueueItem]:
        rows = await self._rows(
            f"{_ITEM} WHERE t.customer_id = ? ORDER BY t.id DESC LIMIT ?", customer_id, limit
        )
        return [_item(row) for row in rows]

    async def tier_rows(self, since: datetime) -> TierRows:
        start = since.astimezone(UTC).isoformat()
        resolved = TicketStatus.RESOLVED.value
        [counts] = await self._rows(
            "SELECT"
            " (SELECT COUNT(*) FROM tickets WHERE opened_at >= ?),"
            " (SELECT COUNT(DISTINCT e.ticket_id) FROM escalations e JOIN tickets t ON t.id = e.ticket_id"
            "  WHERE t.opened_at >= ?),"
            " (SELECT COUNT(*) FROM tickets WHERE status = ? AND resolved_at >= ?),"
            " (SELECT COUNT(*) FROM tickets t WHERE t.status = ? AND t.resolved_at >= ? AND t.tier = 1"
            "  AND NOT EXISTS (SELECT 1 FROM events v WHERE v.ticket_id = t.id AND v.action = 'reopened'))",
            start,
            start,
            resolved,
            start,
            resolved,
            start,
        )
        tier2 = await self._rows(
            "SELECT e.at, t.resolved_at FROM escalations e JOIN tickets t ON t.id = e.ticket_id"
            " WHERE e.tier = 2 AND e.at >= ?",
            start,
        )
        return TierRows(
            opened=counts[0],
            escalated=counts[1],
            resolved=counts[2],
            resolved_first_contact=counts[3],
            tier2=[
                (datetime.fromisoformat(r[0]), datetime.fromisoformat(r[1]) if r[1] else None) for r in tier2
            ],
            tier2_csat=await self._tier2_csat(start),
        )

    async def _tier2_csat(self, start: str) -> float | None:
        """Average rating of tier-2 tickets; the csat table belongs to reports (migration 0006)."""
        if not await self._rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'csat'"):
            return None
        rows = await self._rows(
            "SELECT AVG(score) FROM csat WHERE at >= ?"
            " AND ticket_id IN (SELECT ticket_id FROM escalations WHERE tier = 2)",
            start,
        )
        return float(rows[0][0]) if rows and rows[0][0] is not None else None

    async def home_viewers(self) -> list[str]:
        return [row[0] for row in await self._rows("SELECT user FROM home_viewers ORDER BY user")]


def _item(row: aiosqlite.Row) -> QueueItem:
    return QueueItem(
        ticket_id=row["id"],
        customer_name=row["name"],
        status=TicketStatus(row["status"]),
        tier=row["tier"],
        assignee=row["assignee"],
        thread_ref=row["thread_ref"],
        opened_at=datetime.fromisoformat(row["opened_at"]),
        due_at=datetime.fromtimestamp(row["due_at"], UTC) if row["due_at"] is not None else None,
        due_kind=row["due_kind"],
        breached=bool(row["breached"]),
        warned=bool(row["warned"]),
    )
