"""The Tickets port on SQLite: a customer's tickets, their thread on the desk, their status."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.customers.model import Channel
from core.tickets.model import Ticket, TicketStatus
from storage.sqlite.rows import Statements, from_iso, to_iso

# The id of a customer's most recent ticket that is not resolved.
OPEN_TICKET = (
    "SELECT id FROM tickets WHERE customer_id = {customer} AND status != '"
    + TicketStatus.RESOLVED.value
    + "' ORDER BY id DESC LIMIT 1"
)


class SqliteTickets:
    """Implements :class:`core.tickets.ports.Tickets`."""

    async def open_ticket_of(self: Statements, customer_id: int) -> Ticket | None:
        if customer_id in self._open_ticket:
            return self._open_ticket.pop(customer_id)
        row = await self._one(
            f"SELECT * FROM tickets WHERE id = ({OPEN_TICKET.format(customer='?')})", (customer_id,)
        )
        return ticket_from(row) if row else None

    async def latest_ticket_of(self: Statements, customer_id: int) -> Ticket | None:
        row = await self._one(
            "SELECT * FROM tickets WHERE customer_id = ? ORDER BY id DESC LIMIT 1", (customer_id,)
        )
        return ticket_from(row) if row else None

    async def create_ticket(
        self: Statements,
        customer_id: int,
        channel: Channel,
        at: datetime,
        previous_ticket_id: int | None,
        address: str | None = None,
    ) -> Ticket:
        ticket_id = await self._insert(
            "INSERT INTO tickets (customer_id, channel, status, opened_at, previous_ticket_id, address)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, channel.value, TicketStatus.NEW.value, to_iso(at), previous_ticket_id, address),
        )
        return Ticket(
            id=ticket_id,
            customer_id=customer_id,
            channel=channel,
            status=TicketStatus.NEW,
            opened_at=at,
            previous_ticket_id=previous_ticket_id,
            address=address,
        )

    async def move_ticket(self: Statements, ticket_id: int, channel: Channel, address: str) -> None:
        await self._update(
            "UPDATE tickets SET channel = ?, address = ? WHERE id = ?", (channel.value, address, ticket_id)
        )

    async def get_ticket(self: Statements, ticket_id: int) -> Ticket | None:
        row = await self._one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return ticket_from(row) if row else None

    async def ticket_by_thread(self: Statements, thread_ref: str) -> Ticket | None:
        row = await self._one("SELECT * FROM tickets WHERE thread_ref = ?", (thread_ref,))
        return ticket_from(row) if row else None

    async def set_thread_ref(self: Statements, ticket_id: int, thread_ref: str) -> None:
        await self._update("UPDATE tickets SET thread_ref = ? WHERE id = ?", (thread_ref, ticket_id))

    async def save_ticket(self: Statements, ticket: Ticket) -> None:
        await self._update(
            "UPDATE tickets SET status = ?, assignee = ?, resolved_at = ?, resolved_by = ?, tier = ?"
            " WHERE id = ?",
            (
                ticket.status.value,
                ticket.assignee,
                to_iso(ticket.resolved_at),
                ticket.resolved_by,
                ticket.tier,
                ticket.id,
            ),
        )


def ticket_from(row: aiosqlite.Row, prefix: str = "") -> Ticket:
    opened_at = from_iso(row[f"{prefix}opened_at"])
    assert opened_at is not None
    return Ticket(
        id=row[f"{prefix}id"],
        customer_id=row[f"{prefix}customer_id"],
        channel=Channel(row[f"{prefix}channel"]),
        status=TicketStatus(row[f"{prefix}status"]),
        opened_at=opened_at,
        assignee=row[f"{prefix}assignee"],
        thread_ref=row[f"{prefix}thread_ref"],
        previous_ticket_id=row[f"{prefix}previous_ticket_id"],
        resolved_at=from_iso(row[f"{prefix}resolved_at"]),
        resolved_by=row[f"{prefix}resolved_by"],
        address=row[f"{prefix}address"],
        tier=row[f"{prefix}tier"],
    )
