"""What agents do on the desk: claim, release, resolve, and answer in the thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core import texts
from core.effects import MarkRead, RefreshTicket, SendToCustomer
from core.models import Attachment, DeliveryState, Direction, MessageKind, Ticket, TicketStatus
from core.ports import Transaction


class Refusal(StrEnum):
    """Why an agent's action was not applied; the desk tells the agent privately."""

    NOT_FOUND = "not_found"
    CLAIMED_BY_OTHER = "claimed_by_other"
    NOT_ASSIGNEE = "not_assignee"
    ALREADY_RESOLVED = "already_resolved"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """Outcome of an agent action: applied, or refused with the agent who holds the ticket."""

    refusal: Refusal | None = None
    holder: str | None = None

    @property
    def ok(self) -> bool:
        """True when the action changed the ticket."""
        return self.refusal is None


@dataclass(frozen=True, slots=True)
class AgentReply:
    """An agent's message in a ticket thread: text and/or files, with the desk's reference to it."""

    thread_ref: str
    agent: str
    desk_ref: str
    event_key: str
    at: datetime
    text: str = ""
    files: list[Attachment] = field(default_factory=list)


NOTE_PREFIX = "//"


async def claim(tx: Transaction, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """Assign the ticket to the agent, unless another agent already has it."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.assignee and ticket.assignee != agent:
        return ActionResult(Refusal.CLAIMED_BY_OTHER, holder=ticket.assignee)
    if ticket.assignee == agent:
        return ActionResult()
    ticket.assignee = agent
    if ticket.status is TicketStatus.NEW:
        ticket.status = TicketStatus.IN_PROGRESS
    await _changed(tx, ticket, agent, "claimed", at)
    return ActionResult()


async def release(tx: Transaction, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """Give the ticket back to the queue; only its assignee may."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.assignee is None:
        return ActionResult()
    if ticket.assignee != agent:
        return ActionResult(Refusal.NOT_ASSIGNEE, holder=ticket.assignee)
    ticket.assignee = None
    await _changed(tx, ticket, agent, "released", at)
    return ActionResult()


async def resolve(tx: Transaction, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """Close the ticket, tell the customer, and show who resolved it and how long it took."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.status is TicketStatus.RESOLVED:
        return ActionResult(Refusal.ALREADY_RESOLVED, holder=ticket.resolved_by)
    ticket.status = TicketStatus.RESOLVED
    ticket.resolved_at = at
    ticket.resolved_by = agent
    if ticket.assignee is None:
        ticket.assignee = agent
    closing = await tx.add_message(
        ticket.id,
        Direction.OUTBOUND,
        MessageKind.TEXT,
        at,
        text=texts.CUSTOMER_CLOSING,
        author=agent,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(SendToCustomer(ticket.id, closing.id), at)
    await _changed(tx, ticket, agent, "resolved", at)
    return ActionResult()


async def reply(tx: Transaction, msg: AgentReply) -> int | None:
    """Relay what an agent wrote in a thread to the customer; ``//`` lines stay internal notes.

    Returns the ticket id, or None when the thread is not a ticket or the event is a re-delivery.
    """
    ticket = await tx.ticket_by_thread(msg.thread_ref)
    if ticket is None or not await tx.claim_key(msg.event_key, msg.at):
        return None
    text = msg.text.strip()
    if text.startswith(NOTE_PREFIX):
        await tx.add_message(
            ticket.id,
            Direction.NOTE,
            MessageKind.TEXT,
            msg.at,
            text=text,
            desk_ref=msg.desk_ref,
            author=msg.agent,
        )
        await tx.record_event(ticket.id, msg.agent, "note", msg.at)
        return ticket.id

    queued = []
    if text and not msg.files:
        queued.append(await _outbound(tx, ticket, msg, MessageKind.TEXT, text=text))
    for index, file in enumerate(msg.files):
        caption = text if index == 0 and text else None
        queued.append(
            await _outbound(
                tx,
                ticket,
                msg,
                _file_kind(file),
                attachment=Attachment(file.ref, file.mime_type, file.filename, caption),
            )
        )
    if not queued:
        return ticket.id
    last_inbound = await tx.last_inbound_message(ticket.id)
    if last_inbound is not None and last_inbound.external_id:
        await tx.add_effect(MarkRead(ticket.id, last_inbound.external_id), msg.at)
    await tx.record_event(ticket.id, msg.agent, "replied", msg.at)
    return ticket.id


async def _outbound(
    tx: Transaction,
    ticket: Ticket,
    msg: AgentReply,
    kind: MessageKind,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
) -> int:
    """Store one outbound message and queue its sending."""
    stored = await tx.add_message(
        ticket.id,
        Direction.OUTBOUND,
        kind,
        msg.at,
        text=text,
        attachment=attachment,
        desk_ref=msg.desk_ref,
        author=msg.agent,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(SendToCustomer(ticket.id, stored.id), msg.at)
    return stored.id


def _file_kind(file: Attachment) -> MessageKind:
    """Images go as images so the customer sees them inline; anything else as a document."""
    if file.mime_type and file.mime_type.startswith("image/"):
        return MessageKind.IMAGE
    return MessageKind.DOCUMENT


async def _changed(tx: Transaction, ticket: Ticket, actor: str, action: str, at: datetime) -> None:
    """Persist a ticket change, audit it and redraw the parent message."""
    await tx.save_ticket(ticket)
    await tx.record_event(ticket.id, actor, action, at)
    await tx.add_effect(RefreshTicket(ticket.id), at)
