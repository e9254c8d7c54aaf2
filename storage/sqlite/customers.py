"""The Customers port on SQLite: who a customer is, at which addresses, and what the platform says
of them.

A customer's first address is in ``customers``; addresses linked later (a Telegram chat
whose user shared their phone, the phone of a Telegram customer) are in
``customer_addresses`` and win over a ``customers`` row with the same address: that is
how a record folded into another one stops being found.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiosqlite

from core.customers.model import Channel, Customer, CustomerRecord
from storage.sqlite.rows import Statements, from_iso, to_iso
from storage.sqlite.tickets import OPEN_TICKET, ticket_from

# A customer's age: from the signup date the platform told us, else from their first message.
CUSTOMER_SINCE = "COALESCE(c.signup_date, c.created_at) AS customer_since"


def customer_since(value: str) -> datetime:
    """The ``customer_since`` column as an aware datetime (a signup date counts from its midnight UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def reachable_at(addresses: list[str], channel: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """A subquery of ``(customer_id, channel, address, linked_first)`` rows reachable at ``addresses``
    (on ``channel`` only, when given), and its parameters. Order by ``linked_first, customer_id``."""
    marks = ",".join("?" * len(addresses))
    on_channel = "channel = ? AND " if channel is not None else ""
    sql = (
        "SELECT customer_id, channel, address, 0 AS linked_first FROM customer_addresses"
        f" WHERE {on_channel}address IN ({marks})"
        " UNION ALL SELECT id, channel, address, 1 FROM customers"
        f" WHERE {on_channel}address IN ({marks})"
    )
    one = (channel, *addresses) if channel is not None else tuple(addresses)
    return sql, one + one


class SqliteCustomers:
    """Implements :class:`core.customers.ports.Customers`."""

    async def find_customer(self: Statements, channel: Channel, addresses: list[str]) -> Customer | None:
        # Intake asks for the customer's open ticket next: fetch it in the same round trip.
        reachable, params = reachable_at(addresses, channel.value)
        row = await self._one(
            "SELECT c.*, t.id AS t_id, t.customer_id AS t_customer_id, t.channel AS t_channel,"
            " t.status AS t_status, t.assignee AS t_assignee, t.thread_ref AS t_thread_ref,"
            " t.previous_ticket_id AS t_previous_ticket_id, t.opened_at AS t_opened_at,"
            " t.resolved_at AS t_resolved_at, t.resolved_by AS t_resolved_by, t.address AS t_address,"
            " t.tier AS t_tier"
            f" FROM customers c LEFT JOIN tickets t ON t.id = ({OPEN_TICKET.format(customer='c.id')})"
            f" WHERE c.id = (SELECT customer_id FROM ({reachable})"
            " ORDER BY linked_first, customer_id LIMIT 1)",
            params,
        )
        if row is None:
            return None
        customer = _customer(row)
        self._open_ticket[customer.id] = ticket_from(row, prefix="t_") if row["t_id"] is not None else None
        return customer

    async def create_customer(
        self: Statements, channel: Channel, address: str, name: str | None, at: datetime
    ) -> Customer:
        customer_id = await self._insert(
            "INSERT INTO customers (channel, address, name, created_at) VALUES (?, ?, ?, ?)",
            (channel.value, address, name, to_iso(at)),
        )
        return Customer(id=customer_id, channel=channel, address=address, name=name)

    async def link_address(
        self: Statements, customer_id: int, channel: Channel, address: str, at: datetime
    ) -> None:
        await self._update(
            "INSERT INTO customer_addresses (channel, address, customer_id, linked_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (channel, address) DO UPDATE SET customer_id = excluded.customer_id,"
            " linked_at = excluded.linked_at",
            (channel.value, address, customer_id, to_iso(at)),
        )

    async def merge_customer(self: Statements, source_id: int, into_id: int, at: datetime) -> None:
        # the source's own address joins the others: a linked address wins over a customers row
        await self._update(
            "INSERT INTO customer_addresses (channel, address, customer_id, linked_at)"
            " SELECT channel, address, ?, ? FROM customers WHERE id = ?"
            " ON CONFLICT (channel, address) DO UPDATE SET customer_id = excluded.customer_id,"
            " linked_at = excluded.linked_at",
            (into_id, to_iso(at), source_id),
        )
        # a PARAR said on either record stands for the person
        await self._update(
            "UPDATE customers SET opted_out_at = COALESCE(opted_out_at,"
            " (SELECT opted_out_at FROM customers WHERE id = ?)) WHERE id = ?",
            (source_id, into_id),
        )
        for sql in (
            "UPDATE customer_addresses SET customer_id = ? WHERE customer_id = ?",
            "UPDATE tickets SET customer_id = ? WHERE customer_id = ?",
            "UPDATE customers SET merged_into = ? WHERE id = ?",
        ):
            await self._update(sql, (into_id, source_id))
        self._open_ticket.pop(source_id, None)
        self._open_ticket.pop(into_id, None)  # read before the source's tickets moved in

    async def rename_customer(self: Statements, customer_id: int, name: str) -> None:
        await self._update("UPDATE customers SET name = ? WHERE id = ?", (name, customer_id))

    async def save_profile(self: Statements, customer_id: int, record: CustomerRecord) -> None:
        """Fields the record does not carry (None) keep their stored value; times are kept in UTC."""
        await self._update(
            "UPDATE customers SET plan = COALESCE(?, plan), signup_date = COALESCE(?, signup_date),"
            " setup_done = COALESCE(?, setup_done), usage_count = COALESCE(?, usage_count),"
            " renewal_date = COALESCE(?, renewal_date), active_at = COALESCE(?, active_at) WHERE id = ?",
            (
                record.plan,
                record.signup_date.isoformat() if record.signup_date else None,
                None if record.setup_done is None else int(record.setup_done),
                record.usage_count,
                record.renewal_date.isoformat() if record.renewal_date else None,
                record.active_at.astimezone(UTC).isoformat() if record.active_at else None,
                customer_id,
            ),
        )

    async def set_opted_out(self: Statements, customer_id: int, at: datetime | None) -> None:
        await self._update("UPDATE customers SET opted_out_at = ? WHERE id = ?", (to_iso(at), customer_id))

    async def get_customer(self: Statements, customer_id: int) -> Customer:
        row = await self._one("SELECT * FROM customers WHERE id = ?", (customer_id,))
        if row is None:
            raise LookupError(f"customer {customer_id} not found")
        return _customer(row)


def _customer(row: aiosqlite.Row) -> Customer:
    return Customer(
        id=row["id"],
        channel=Channel(row["channel"]),
        address=row["address"],
        name=row["name"],
        plan=row["plan"],
        opted_out_at=from_iso(row["opted_out_at"]),
    )
