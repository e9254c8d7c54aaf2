"""What agents do on the desk: claim, release, resolve, and answer in the thread."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.backlog import ideas as backlog
from core.escalation import texts as escalation_texts
from core.tickets import texts
from core.tickets.effects import MarkRead, PostNote, RefreshTicket, SendToCustomer, ShowAgentMessage
from core.tickets.model import (
    ActionResult,
    AgentReply,
    Attachment,
    DeliveryState,
    Direction,
    MessageKind,
    Refusal,
    Ticket,
    TicketStatus,
)


class DeskTx(backlog.IdeasTx, Protocol):
    """What agents' actions on a ticket need from a unit of work (a resolution records the ideas the
    ticket asked for: the backlog's ports)."""


NOTE_PREFIX = "//"
CLOSING_AUTHOR = "system:closing"
"""Author of the closing message: the desk's words, not an agent's answer (reports tell them apart)."""


async def claim(tx: DeskTx, ticket_id: int, agent: str, at: datetime) -> ActionResult:
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


async def release(tx: DeskTx, ticket_id: int, agent: str, at: datetime) -> ActionResult:
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


async def resolve(tx: DeskTx, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """Close the ticket, tell the customer, and show who resolved it and how long it took."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.status is TicketStatus.RESOLVED:
        return ActionResult(Refusal.ALREADY_RESOLVED, holder=ticket.resolved_by)
    ticket.resolved_by = agent
    if ticket.assignee is None:
        ticket.assignee = agent
    await _close(tx, ticket, agent, texts.CUSTOMER_CLOSING, "resolved", at)
    return ActionResult()


AUTO_CLOSE_ACTOR = "atende"


async def auto_close(tx: DeskTx, ticket_id: int, at: datetime) -> bool:
    """A ticket left waiting for the customer too long is closed, with a polite word to the customer.

    Returns False when the ticket is no longer waiting (the customer answered meanwhile).
    """
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None or ticket.status is not TicketStatus.WAITING_CUSTOMER:
        return False
    await _close(tx, ticket, AUTO_CLOSE_ACTOR, texts.CUSTOMER_AUTO_CLOSED, "auto_closed", at)
    await tx.add_effect(PostNote(ticket.id, texts.AUTO_CLOSED_NOTE), at)
    return True


async def _close(tx: DeskTx, ticket: Ticket, actor: str, closing: str, action: str, at: datetime) -> None:
    """Resolve the ticket and send the customer the closing message."""
    ticket.status = TicketStatus.RESOLVED
    ticket.resolved_at = at
    message = await tx.add_message(
        ticket.id,
        Direction.OUTBOUND,
        MessageKind.TEXT,
        at,
        text=closing,
        author=CLOSING_AUTHOR,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(SendToCustomer(ticket.id, message.id), at)
    await _changed(tx, ticket, actor, action, at)


async def reply(tx: DeskTx, msg: AgentReply) -> int | None:
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
        if (idea := backlog.idea_note(text)) is not None:
            await backlog.record(tx, ticket, idea, msg.agent, msg.at)
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
    await _answered(tx, ticket, msg.agent, msg.at)
    return ticket.id


async def answer(tx: DeskTx, ticket: Ticket, agent: str, text: str, at: datetime, shown_as: str) -> None:
    """An agent's text written outside the thread (a template from a modal): sent, and shown in the thread
    under ``shown_as`` so the thread holds the conversation as the customer sees it."""
    stored = await tx.add_message(
        ticket.id,
        Direction.OUTBOUND,
        MessageKind.TEXT,
        at,
        text=text,
        author=agent,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(ShowAgentMessage(ticket.id, stored.id, shown_as), at)
    await tx.add_effect(SendToCustomer(ticket.id, stored.id), at)
    await _answered(tx, ticket, agent, at)


async def _answered(tx: DeskTx, ticket: Ticket, agent: str, at: datetime) -> None:
    """An agent's message to the customer is queued: the customer has the turn and their messages are read."""
    if ticket.status in (TicketStatus.NEW, TicketStatus.IN_PROGRESS, TicketStatus.REOPENED):
        ticket.status = TicketStatus.WAITING_CUSTOMER  # the agent answered: the customer has the turn
        await _changed(tx, ticket, agent, "waiting_customer", at)
    last_inbound = await tx.last_inbound_message(ticket.id)
    if last_inbound is not None and last_inbound.external_id:
        await tx.add_effect(MarkRead(ticket.id, last_inbound.external_id), at)
    await tx.record_event(ticket.id, agent, "replied", at)


async def _outbound(
    tx: DeskTx,
    ticket: Ticket,
    msg: AgentReply,
    kind: MessageKind,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
) -> int:
    """Store[DeskTx] one outbound message and queue its sending."""
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


async def set_waiting(tx: DeskTx, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """**Aguardando cliente**: the customer has the turn (the SLA clock pauses)."""
    return await _set_status(tx, ticket_id, agent, at, TicketStatus.WAITING_CUSTOMER)


async def set_in_progress(tx: DeskTx, ticket_id: int, agent: str, at: datetime) -> ActionResult:
    """**Em atendimento**: the desk has the turn again."""
    return await _set_status(tx, ticket_id, agent, at, TicketStatus.IN_PROGRESS)


async def customer_answered(tx: DeskTx, ticket: Ticket, at: datetime) -> bool:
    """The customer wrote: a ticket waiting for them goes back to **Em atendimento** (True)."""
    if ticket.status is not TicketStatus.WAITING_CUSTOMER:
        return False
    ticket.status = TicketStatus.IN_PROGRESS
    await _changed(tx, ticket, "customer", "customer_answered", at)
    return True


async def reopen(tx: DeskTx, ticket_id: int, actor: str, reason: str, at: datetime) -> ActionResult:
    """A resolved ticket comes back (**Reaberto**), in the same thread, with the reason shown there."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.status is not TicketStatus.RESOLVED:
        return ActionResult(Refusal.NOT_RESOLVED)
    ticket.status = TicketStatus.REOPENED
    ticket.resolved_at = None
    ticket.resolved_by = None
    await _changed(tx, ticket, actor, "reopened", at, detail=reason)
    await tx.add_effect(PostNote(ticket.id, escalation_texts.reopened_note(reason)), at)
    return ActionResult()


async def _set_status(
    tx: DeskTx, ticket_id: int, agent: str, at: datetime, status: TicketStatus
) -> ActionResult:
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND)
    if ticket.status is TicketStatus.RESOLVED:
        return ActionResult(Refusal.ALREADY_RESOLVED, holder=ticket.resolved_by)
    if ticket.status is not status:
        ticket.status = status
        await _changed(tx, ticket, agent, status.value, at)
    return ActionResult()


def _file_kind(file: Attachment) -> MessageKind:
    """Images go as images so the customer sees them inline; anything else as a document."""
    if file.mime_type and file.mime_type.startswith("image/"):
        return MessageKind.IMAGE
    return MessageKind.DOCUMENT


async def _changed(
    tx: DeskTx, ticket: Ticket, actor: str, action: str, at: datetime, detail: str = ""
) -> None:
    """Persist a ticket change, audit it and redraw the parent message."""
    await tx.save_ticket(ticket)
    await tx.record_event(ticket.id, actor, action, at, detail)
    await tx.add_effect(RefreshTicket(ticket.id), at)
