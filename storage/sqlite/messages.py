"""The Messages port on SQLite: what was said on a ticket, by whom, and how its delivery went."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from core.tickets.model import Attachment, DeliveryState, Direction, FailureReason, Message, MessageKind
from storage.sqlite.rows import Statements, from_iso, to_iso

# An agent's message carries their desk user id (no colon); the AI's "ai:<model>", the desk's "system:...".
HUMAN_AUTHOR = "(author IS NOT NULL AND instr(author, ':') = 0 AND author != 'ai')"

AI_AUTHOR = "(author LIKE 'ai:%')"


class SqliteMessages:
    """Implements :class:`core.tickets.ports.Messages`."""

    async def add_message(
        self: Statements,
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
                to_iso(at),
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

    async def get_message(self: Statements, message_id: int) -> Message | None:
        row = await self._one("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(row) if row else None

    async def message_by_external_id(self: Statements, external_id: str) -> Message | None:
        row = await self._one("SELECT * FROM messages WHERE external_id = ?", (external_id,))
        return _message(row) if row else None

    async def last_inbound_message(self: Statements, ticket_id: int) -> Message | None:
        row = await self._one(
            "SELECT * FROM messages WHERE ticket_id = ? AND direction = ? ORDER BY id DESC LIMIT 1",
            (ticket_id, Direction.INBOUND.value),
        )
        return _message(row) if row else None

    async def messages_after(
        self: Statements, ticket_id: int, message_id: int, limit: int = -1
    ) -> list[Message]:
        rows = await self._all(
            "SELECT * FROM messages WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?",
            (ticket_id, message_id, limit),
        )
        return [_message(row) for row in rows]

    async def recent_messages(self: Statements, ticket_id: int, limit: int) -> list[Message]:
        rows = await self._all(
            "SELECT * FROM messages WHERE ticket_id = ? ORDER BY id DESC LIMIT ?", (ticket_id, limit)
        )
        return [_message(row) for row in reversed(rows)]

    async def set_message_refs(
        self: Statements, message_id: int, *, external_id: str | None = None, desk_ref: str | None = None
    ) -> None:
        await self._update(
            "UPDATE messages SET external_id = COALESCE(?, external_id),"
            " desk_ref = COALESCE(?, desk_ref) WHERE id = ?",
            (external_id, desk_ref, message_id),
        )

    async def set_delivery(
        self: Statements,
        message_id: int,
        state: DeliveryState,
        reason: FailureReason | None = None,
        detail: str | None = None,
    ) -> None:
        await self._update(
            "UPDATE messages SET delivery = ?, delivery_reason = ?, delivery_detail = ? WHERE id = ?",
            (state.value, reason.value if reason else None, detail, message_id),
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


def _message(row: aiosqlite.Row) -> Message:
    sent_at = from_iso(row["sent_at"])
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
