"""PARAR, SAIR or STOP: the customer wants no more proactive or broadcast messages; VOLTAR undoes it.

The keyword alone is the whole message (case, accents, spaces and punctuation do not matter,
so "Parar!", " stop " and Telegram's "/stop" all count). It changes the customer's opt-out
mark, is confirmed to them in their chat, and is not a support question: no ticket opens and
the AI never reads it. When a ticket is open, its thread gets a note so agents know. Support
conversations are unaffected: only proactive messages and broadcasts read the mark.

VOLTAR is a command only for a customer who opted out; from anyone else it is an ordinary
message ("voltar" can mean many things in a conversation).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Protocol

from core.common.journal import Journal
from core.common.ptbr_text import strip_accents
from core.customers import texts
from core.customers.ports import Customers
from core.tickets import intake
from core.tickets.effects import PostNote, SendToAddress
from core.tickets.model import InboundMessage, MessageKind
from core.tickets.ports import Tickets


class OptOutTx(Journal, Customers, Tickets, Protocol):
    """What opting out and back in needs from a unit of work."""


class Command(StrEnum):
    """What an opt-out keyword asks for."""

    STOP = "stop"
    RESUME = "resume"


KEYWORDS = {"PARAR": Command.STOP, "SAIR": Command.STOP, "STOP": Command.STOP, "VOLTAR": Command.RESUME}
_NOT_LETTERS = re.compile(r"[^A-Z]+")


def command_in(text: str | None) -> tuple[str, Command] | None:
    """``(keyword, command)`` when the whole text is one of the keywords, else None."""
    if not text or len(text) > 40:
        return None
    word = _NOT_LETTERS.sub("", strip_accents(text).upper())
    command = KEYWORDS.get(word)
    return (word, command) if command is not None else None


async def intercept(tx: OptOutTx, msg: InboundMessage) -> bool:
    """Take an opt-out (or opt-back-in) message before intake; True when intake must not see it.

    A customer never seen before who writes PARAR is registered already opted out, so an
    import or a broadcast later finds the mark.
    """
    found = command_in(msg.text) if msg.kind is MessageKind.TEXT else None
    if found is None:
        return False
    word, command = found
    known_as = intake.addresses(msg.channel, msg.sender)
    customer = await tx.find_customer(msg.channel, known_as)
    if command is Command.RESUME and (customer is None or customer.opted_out_at is None):
        return False
    if not await tx.claim_key(intake.inbound_key(msg), msg.sent_at):
        return True  # a re-delivery: already applied and confirmed
    if customer is None:
        customer = await tx.create_customer(msg.channel, known_as[0], msg.sender_name, msg.sent_at)
    at = msg.sent_at
    if command is Command.STOP:
        if customer.opted_out_at is None:
            await tx.set_opted_out(customer.id, at)
        reply, note, action = texts.OPTED_OUT, texts.opted_out_note(word), "opted_out"
    else:
        await tx.set_opted_out(customer.id, None)
        reply, note = texts.OPTED_BACK_IN, texts.opted_back_in_note(word)
        action = "opted_in"
    await tx.record_event(None, "customer", f"customer.{action}", at, detail=str(customer.id))
    await tx.add_effect(SendToAddress(0, str(msg.channel), msg.sender, reply), at)
    ticket = await tx.open_ticket_of(customer.id)
    if ticket is not None:
        await tx.add_effect(PostNote(ticket.id, note), at)
    return True
