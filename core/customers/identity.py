"""One customer across channels: the phone a Telegram user shares links them to their WhatsApp record.

Customers are found by (channel, address). A Telegram user who shares their own number as a
contact is the person WhatsApp knows by that number (either form of a Brazilian mobile), so
their chat becomes one more address of that customer: later tickets continue the same
history and show the same plan. When WhatsApp does not know the number yet, it becomes an
address of the Telegram customer instead, so a first WhatsApp message finds them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.common import phone
from core.common.journal import Journal
from core.customers import texts
from core.customers.model import Channel, Customer
from core.customers.ports import Customers
from core.tickets.effects import PostNote, RefreshTicket
from core.tickets.ports import Tickets


class IdentityTx(Journal, Customers, Tickets, Protocol):
    """What linking a customer's addresses needs from a unit of work."""


async def link_phone(tx: IdentityTx, customer: Customer, shared_phone: str, at: datetime) -> Customer:
    """Record that ``customer`` owns ``shared_phone``; returns the customer they turn out to be.

    A customer first seen on Telegram is folded into the WhatsApp customer with that number
    (tickets included); a ticket open at that moment is redrawn with the customer's name and
    plan, and a note tells the agents why.
    """
    forms = phone.variants(shared_phone)
    if not forms[0]:
        return customer
    owner = await tx.find_customer(Channel.WHATSAPP, forms)
    if owner is None:
        await tx.link_address(customer.id, Channel.WHATSAPP, forms[0], at)
        await tx.record_event(None, "customer", "customer.phone_linked", at, detail=str(customer.id))
        return customer
    if owner.id == customer.id:
        return customer
    await tx.merge_customer(customer.id, owner.id, at)
    await tx.record_event(None, "customer", "customer.merged", at, detail=f"{customer.id}->{owner.id}")
    ticket = await tx.open_ticket_of(owner.id)
    if ticket is not None:
        await tx.add_effect(PostNote(ticket.id, texts.CUSTOMER_LINKED), at)
        await tx.add_effect(RefreshTicket(ticket.id), at)
    return owner
