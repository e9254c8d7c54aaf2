"""The Store port on SQLite: a unit of work whose changes and outbox rows commit together."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import aiosqlite

from core.effects import Effect
from core.models import (
    Attachment,
    Channel,
    Customer,
    DeliveryState,
    Direction,
    FailureReason,
    Message,
    MessageKind,
    Ticket,
    TicketStatus,
)
from storage.sqlite import customer_addresses
from storage.sqlite.ai import AIRecords
from storage.sqlite.broadcasts import BroadcastRows
from storage.sqlite.crises import CrisisRows
from storage.sqlite.customer_profiles import CustomerProfileRows
from storage.sqlite.database import Database
from storage.sqlite.feedback import FeedbackRows
from storage.sqlite.journeys import JourneyRows
from storage.sqlite.kb_candidates import KbCandidateRows
from storage.sqlite.sla import SlaRecords
from storage.sqlite.templates_ideas import TemplateAndIdeaRows


class SqliteStore:
    """Implements :class:`core.ports.Store`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteTransaction]:
        yield SqliteTransaction(self._db.reader, read_only=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        async with self._db.locked() as conn:
            tx = SqliteTransaction(conn)
            try:
                yield tx
            except BaseException:
                await tx.end(commit=False)
                raise
            else:
                await tx.end(commit=True)


# The id of a customer's most recent ticket that is not resolved.
_OPEN_TICKET = (
    "SELECT id FROM tickets WHERE customer_id = {customer} AND status != '"
    + TicketStatus.RESOLVED.value
    + "' ORDER BY id DESC LIMIT 1"
)


_ADD_EFFECT = "INSERT INTO outbox (lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)"


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class SqliteTransaction(
    SlaRecords,
    TemplateAndIdeaRows,
    AIRecords,
    FeedbackRows,
    KbCandidateRows,
    CustomerProfileRows,
    BroadcastRows,
    JourneyRows,
    CrisisRows,
):
    """Implements :class:`core.ports.Transaction` on the connection, held exclusively.

    Every statement is a round trip to aiosqlite's thread, so a unit of work pays only for
    what it does: reads run in autocommit (the connection lock keeps them consistent, since
    this process is the database's only writer); ``BEGIN`` is sent when a second write
    comes, and a unit whose only write is one statement runs it alone, atomic by itself.
    Rows no unit of work reads back (outbox effects, the AI's call log) are appended at the
    commit, one ``executemany`` per statement: a chunk of intake or an AI outcome queues
    several effects each, and pays for them once.
    """

    def __init__(self, conn: aiosqlite.Connection, *, read_only: bool = False) -> None:
        self._conn = conn
        self._read_only = read_only
        self._began = False
        self._held: tuple[str, tuple[Any, ...]] | None = None
        self._appended: dict[str, list[tuple[Any, ...]]] = {}
        self._open_ticket: dict[int, Ticket | None] = {}  # read along with the customer

    async def end(self, *, commit: bool) -> None:
        """Commit (or roll back) what was written; nothing to do for a read-only unit."""
        appended, self._appended = self._appended, {}
        if commit and appended:
            if not self._began and self._held is None and sum(map(len, appended.values())) == 1:
                [(sql, [row])] = appended.items()
                self._held = (sql, row)  # the unit's only write: run alone, as below
            else:
                try:
                    for sql, rows in appended.items():
                        await self._many(sql, rows)
                except BaseException:
                    await self.end(commit=False)
                    raise
        if self._began:
            await self._conn.execute("COMMIT" if commit else "ROLLBACK")
            self._began = False
        elif self._held is not None and commit:
            await self._conn.execute(*self._held)
        self._held = None

    async def _begin(self) -> None:
        """Open the transaction, with the held first write as its first statement."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        if not self._began:
            await self._conn.execute("BEGIN IMMEDIATE")
            self._began = True
            if self._held is not None:
                await self._conn.execute(*self._held)
                self._held = None

    async def _write(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Cursor:
        """A write whose result the caller needs (a row id, whether it inserted)."""
        await self._begin()
        return await self._conn.execute(sql, params)

    async def _append(self, sql: str, params: tuple[Any, ...]) -> None:
        """An insert into a table no unit of work reads back: run with the others at the commit."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        self._appended.setdefault(sql, []).append(params)

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None:
        """A write with no result: held back while it may turn out to be the unit's only one."""
        if self._read_only:
            raise RuntimeError("a snapshot cannot write; use Store.transaction()")
        if not self._began and self._held is None:
            self._held = (sql, params)
            return
        await self._write(sql, params)

    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
        if self._held is not None:
            await self._begin()  # the read must see the held write
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)  # type: ignore[arg-type]

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        if self._held is not None:
            await self._begin()  # the read must see the held write
        return list(await self._conn.execute_fetchall(sql, params))

    async def _insert(self, sql: str, params: tuple[Any, ...]) -> int:
        cursor = await self._write(sql, params)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def claim_key(self, key: str, at: datetime) -> bool:
        cursor = await self._write(
            "INSERT INTO processed_keys (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, _ts(at)),
        )
        return cursor.rowcount == 1

    async def find_customer(self, channel: Channel, addresses: list[str]) -> Customer | None:
        # Intake asks for the customer's open ticket next: fetch it in the same round trip.
        reachable, params = customer_addresses.matches(addresses, channel.value)
        row = await self._one(
            "SELECT c.*, t.id AS t_id, t.customer_id AS t_customer_id, t.channel AS t_channel,"
            " t.status AS t_status, t.assignee AS t_assignee, t.thread_ref AS t_thread_ref,"
            " t.previous_ticket_id AS t_previous_ticket_id, t.opened_at AS t_opened_at,"
            " t.resolved_at AS t_resolved_at, t.resolved_by AS t_resolved_by, t.address AS t_address,"
            " t.tier AS t_tier"
            f" FROM customers c LEFT JOIN tickets t ON t.id = ({_OPEN_TICKET.format(customer='c.id')})"
            f" WHERE c.id = (SELECT customer_id FROM ({reachable})"
            " ORDER BY linked_first, customer_id LIMIT 1)",
            params,
        )
        if row is None:
            return None
        customer = _customer(row)
        self._open_ticket[customer.id] = _ticket(row, prefix="t_") if row["t_id"] is not None else None
        return customer

    async def create_customer(
        self, channel: Channel, address: str, name: str | None, at: datetime
    ) -> Customer:
        customer_id = await self._insert(
            "INSERT INTO customers (channel, address, name, created_at) VALUES (?, ?, ?, ?)",
            (channel.value, address, name, _ts(at)),
        )
        return Customer(id=customer_id, channel=channel, address=address, name=name)

    async def link_address(self, customer_id: int, channel: Channel, address: str, at: datetime) -> None:
        await self._update(
            "INSERT INTO customer_addresses (channel, address, customer_id, linked_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (channel, address) DO UPDATE SET customer_id = excluded.customer_id,"
            " linked_at = excluded.linked_at",
            (channel.value, address, customer_id, _ts(at)),
        )

    async def merge_customer(self, source_id: int, into_id: int, at: datetime) -> None:
        # the source's own address joins the others: a linked address wins over a customers row
        await self._update(
            "INSERT INTO customer_addresses (channel, address, customer_id, linked_at)"
            " SELECT channel, address, ?, ? FROM customers WHERE id = ?"
            " ON CONFLICT (channel, address) DO UPDATE SET customer_id = excluded.customer_id,"
            " linked_at = excluded.linked_at",
            (into_id, _ts(at), source_id),
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

    async def rename_customer(self, customer_id: int, name: str) -> None:
        await self._update("UPDATE customers SET name = ? WHERE id = ?", (name, customer_id))

    async def set_opted_out(self, customer_id: int, at: datetime | None) -> None:
        await self._update("UPDATE customers SET opted_out_at = ? WHERE id = ?", (_ts(at), customer_id))

    async def get_customer(self, customer_id: int) -> Customer:
        row = await self._one("SELECT * FROM customers WHERE id = ?", (customer_id,))
        if row is None:
            raise LookupError(f"customer {customer_id} not found")
        return _customer(row)

    async def open_ticket_of(self, customer_id: int) -> Ticket | None:
        if customer_id in self._open_ticket:
            return self._open_ticket.pop(customer_id)
        row = await self._one(
            f"SELECT * FROM tickets WHERE id = ({_OPEN_TICKET.format(customer='?')})", (customer_id,)
        )
        return _ticket(row) if row else None

    async def latest_ticket_of(self, customer_id: int) -> Ticket | None:
        row = await self._one(
            "SELECT * FROM tickets WHERE customer_id = ? ORDER BY id DESC LIMIT 1", (customer_id,)
        )
        return _ticket(row) if row else None

    async def create_ticket(
        self,
        customer_id: int,
        channel: Channel,
        at: datetime,
        previous_ticket_id: int | None,
        address: str | None = None,
    ) -> Ticket:
        ticket_id = await self._insert(
            "INSERT INTO tickets (customer_id, channel, status, opened_at, previous_ticket_id, address)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, channel.value, TicketStatus.NEW.value, _ts(at), previous_ticket_id, address),
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

    async def move_ticket(self, ticket_id: int, channel: Channel, address: str) -> None:
        await self._update(
            "UPDATE tickets SET channel = ?, address = ? WHERE id = ?", (channel.value, address, ticket_id)
        )

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        row = await self._one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket(row) if row else None

    async def ticket_by_thread(self, thread_ref: str) -> Ticket | None:
        row = await self._one("SELECT * FROM tickets WHERE thread_ref = ?", (thread_ref,))
        return _ticket(row) if row else None

    async def set_thread_ref(self, ticket_id: int, thread_ref: str) -> None:
        await self._update("UPDATE tickets SET thread_ref = ? WHERE id = ?", (thread_ref, ticket_id))

    async def save_ticket(self, ticket: Ticket) -> None:
        await self._update(
            "UPDATE tickets SET status = ?, assignee = ?, resolved_at = ?, resolved_by = ?, tier = ?"
            " WHERE id = ?",
            (
                ticket.status.value,
                ticket.assignee,
                _ts(ticket.resolved_at),
                ticket.resolved_by,
                ticket.tier,
                ticket.id,
            ),
        )

    async def add_message(
        self,
        ticket_id: int,
        direction: Direction,
        kind: MessageKind,
        at: datetime,
        *,
        text: str | None = None,
        attachment: Attachment | None = None,
        external_id: str | None = None,
        desk_ref: str | None = None,
        author: str | None = None,
        delivery: DeliveryState | None = None,
    ) -> Message:
        message_id = await self._insert(
            "INSERT INTO messages (ticket_id, direction, kind, body, attachment, external_id,"
            " desk_ref, author, delivery, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                direction.value,
                kind.value,
                text,
                _attachment_json(attachment),
                external_id,
                desk_ref,
                author,
                delivery.value if delivery else None,
                _ts(at),
            ),
        )
        return Message(
            id=message_id,
            ticket_id=ticket_id,
            direction=direction,
            kind=kind,
            sent_at=at,
            text=text,
            attachment=attachment,
            external_id=external_id,
            desk_ref=desk_ref,
            author=author,
            delivery=delivery,
        )

    async def get_message(self, message_id: int) -> Message | None:
        row = await self._one("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(row) if row else None

    async def message_by_external_id(self, external_id: str) -> Message | None:
        row = await self._one("SELECT * FROM messages WHERE external_id = ?", (external_id,))
        return _message(row) if row else None

    async def last_inbound_message(self, ticket_id: int) -> Message | None:
        row = await self._one(
            "SELECT * FROM messages WHERE ticket_id = ? AND direction = ? ORDER BY id DESC LIMIT 1",
            (ticket_id, Direction.INBOUND.value),
        )
        return _message(row) if row else None

    async def messages_after(self, ticket_id: int, message_id: int) -> list[Message]:
        rows = await self._all(
            "SELECT * FROM messages WHERE ticket_id = ? AND id > ? ORDER BY id", (ticket_id, message_id)
        )
        return [_message(row) for row in rows]

    async def recent_messages(self, ticket_id: int, limit: int) -> list[Message]:
        rows = await self._all(
            "SELECT * FROM messages WHERE ticket_id = ? ORDER BY id DESC LIMIT ?", (ticket_id, limit)
        )
        return [_message(row) for row in reversed(rows)]

    async def set_message_refs(
        self, message_id: int, *, external_id: str | None = None, desk_ref: str | None = None
    ) -> None:
        await self._update(
            "UPDATE messages SET external_id = COALESCE(?, external_id),"
            " desk_ref = COALESCE(?, desk_ref) WHERE id = ?",
            (external_id, desk_ref, message_id),
        )

    async def set_delivery(
        self,
        message_id: int,
        state: DeliveryState,
        reason: FailureReason | None = None,
        detail: str | None = None,
    ) -> None:
        await self._update(
            "UPDATE messages SET delivery = ?, delivery_reason = ?, delivery_detail = ? WHERE id = ?",
            (state.value, reason.value if reason else None, detail, message_id),
        )

    async def add_effect(self, effect: Effect, at: datetime) -> None:
        await self.add_effects([effect], at)

    async def add_effects(self, effects: list[Effect], at: datetime) -> None:
        stamp = at.timestamp()
        for effect in effects:
            await self._append(_ADD_EFFECT, (effect.lane, effect.kind, effect.to_json(), stamp, stamp))

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One statement for many rows, in one round trip (none for no rows)."""
        if not rows:
            return
        await self._begin()
        await self._conn.executemany(sql, rows)

    async def finish_inbox_item(self, item_id: int, at: float, error: str | None = None) -> None:
        """Mark an inbox item processed in the same transaction that applied it (exactly once)."""
        await self._update("UPDATE inbox SET processed_at = ?, error = ? WHERE id = ?", (at, error, item_id))

    async def record_event(
        self, ticket_id: int | None, actor: str, action: str, at: datetime, detail: str = ""
    ) -> None:
        await self._update(
            "INSERT INTO events (ticket_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)",
            (ticket_id, actor, action, detail, _ts(at)),
        )


def _attachment_json(attachment: Attachment | None) -> str | None:
    if attachment is None:
        return None
    return json.dumps(
        {
            "ref": attachment.ref,
            "mime_type": attachment.mime_type,
            "filename": attachment.filename,
            "caption": attachment.caption,
        },
        ensure_ascii=False,
    )


def _customer(row: aiosqlite.Row) -> Customer:
    return Customer(
        id=row["id"],
        channel=Channel(row["channel"]),
        address=row["address"],
        name=row["name"],
        plan=row["plan"],
        opted_out_at=_dt(row["opted_out_at"]),
    )


def _ticket(row: aiosqlite.Row, prefix: str = "") -> Ticket:
    opened_at = _dt(row[f"{prefix}opened_at"])
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
        resolved_at=_dt(row[f"{prefix}resolved_at"]),
        resolved_by=row[f"{prefix}resolved_by"],
        address=row[f"{prefix}address"],
        tier=row[f"{prefix}tier"],
    )


def _message(row: aiosqlite.Row) -> Message:
    sent_at = _dt(row["sent_at"])
    assert sent_at is not None
    attachment = json.loads(row["attachment"]) if row["attachment"] else None
    return Message(
        id=row["id"],
        ticket_id=row["ticket_id"],
        direction=Direction(row["direction"]),
        kind=MessageKind(row["kind"]),
        sent_at=sent_at,
        text=row["body"],
        attachment=Attachment(**attachment) if attachment else None,
        external_id=row["external_id"],
        desk_ref=row["desk_ref"],
        author=row["author"],
        delivery=DeliveryState(row["delivery"]) if row["delivery"] else None,
        delivery_reason=FailureReason(row["delivery_reason"]) if row["delivery_reason"] else None,
        delivery_detail=row["delivery_detail"],
    )
