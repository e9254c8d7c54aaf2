"""A customer message arrives: find or create the customer and the ticket, store, show it on the desk."""

from __future__ import annotations

from typing import Protocol

from core.ai.effects import AnswerWithAI
from core.ai.responder import wants_answer
from core.common import phone
from core.common.journal import Journal
from core.customers import identity
from core.customers.model import Channel, Customer
from core.customers.ports import Customers
from core.tickets.effects import PostTicket, RefreshTicket, ShowInboundMessage, ShowReaction
from core.tickets.model import Direction, InboundMessage, MessageKind, Ticket
from core.tickets.ports import Messages, Tickets


class IntakeTx(Journal, Customers, Tickets, Messages, Protocol):
    """What intake needs from a unit of work."""


def addresses(channel: Channel, sender: str) -> list[str]:
    """Every address form this sender may be stored under."""
    if channel is Channel.WHATSAPP:
        return phone.variants(sender)
    return [sender]


def inbound_key(msg: InboundMessage) -> str:
    """The idempotency key of a customer message: whoever applies it first claims it."""
    return f"{msg.channel}:in:{msg.external_id}"


async def receive(tx: IntakeTx, msg: InboundMessage, *, ai: bool = False) -> int | None:
    """Record one customer message and queue what the desk must show; returns its ticket.

    Re-deliveries are no-ops. A message while a ticket is open joins it; otherwise a new
    ticket opens, linked to the customer's previous one. A reaction is not a message of the
    conversation: it decorates the message it targets, wherever that is. With ``ai``, a
    message the AI reads also queues its AI job in the same transaction, so no message
    escapes triage even if the process dies right after.
    """
    if not await tx.claim_key(inbound_key(msg), msg.sent_at):
        return None

    known_as = addresses(msg.channel, msg.sender)
    customer = await tx.find_customer(msg.channel, known_as)
    if customer is None:
        customer = await tx.create_customer(msg.channel, known_as[0], msg.sender_name, msg.sent_at)
    elif msg.sender_name and msg.sender_name != customer.name:
        await tx.rename_customer(customer.id, msg.sender_name)
    if msg.shared_phone:
        customer = await identity.link_phone(tx, customer, msg.shared_phone, msg.sent_at)

    if msg.kind is MessageKind.REACTION and msg.reaction_to:
        target = await tx.message_by_external_id(msg.reaction_to)
        if target is not None and msg.text:
            await tx.add_effect(ShowReaction(target.ticket_id, target.id, msg.text), msg.sent_at)
            return target.ticket_id

    ticket = await _ticket_for(tx, customer, msg, _reply_address(customer, msg, known_as))
    stored = await tx.add_message(
        ticket.id,
        Direction.INBOUND,
        msg.kind,
        msg.sent_at,
        text=msg.text if msg.kind is not MessageKind.UNSUPPORTED else msg.note,
        attachment=msg.attachment,
        external_id=msg.external_id,
    )
    await tx.add_effect(ShowInboundMessage(ticket.id, stored.id), msg.sent_at)
    if ai and msg.choice_id is None and wants_answer(msg.kind):
        await tx.add_effect(AnswerWithAI(ticket.id, stored.id), msg.sent_at)
    return ticket.id


async def _ticket_for(tx: IntakeTx, customer: Customer, msg: InboundMessage, address: str) -> Ticket:
    """The customer's open ticket, or a new one linked to the last (whose thread is posted first).

    A customer known on several channels keeps one open ticket; it follows them to the
    channel they last wrote from, so replies reach them where they are.
    """
    ticket = await tx.open_ticket_of(customer.id)
    if ticket is not None:
        if ticket.channel is not msg.channel:
            await tx.move_ticket(ticket.id, msg.channel, address)
            await tx.record_event(
                ticket.id, "customer", "channel_changed", msg.sent_at, detail=str(msg.channel)
            )
            await tx.add_effect(RefreshTicket(ticket.id), msg.sent_at)
        return ticket
    previous = await tx.latest_ticket_of(customer.id)
    ticket = await tx.create_ticket(
        customer.id, msg.channel, msg.sent_at, previous.id if previous else None, address=address
    )
    await tx.record_event(ticket.id, "customer", "opened", msg.sent_at, detail=str(msg.channel))
    await tx.add_effect(PostTicket(ticket.id), msg.sent_at)
    return ticket


def _reply_address(customer: Customer, msg: InboundMessage, addresses: list[str]) -> str:
    """Where replies to this message go: the customer's stored number when this sender is it
    (the form it was imported or first seen with), else the sender as their channel names them."""
    if customer.channel is msg.channel and customer.address in addresses:
        return customer.address
    return msg.sender
