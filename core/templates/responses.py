"""Response templates as use cases: supervisors save them, agents fill one for a ticket and send it.

Sending is an agent's reply (:meth:`core.tickets.service.SupportDesk.answer`: outbox, status, SLA
clocks), plus a post in the thread showing what was sent. The text is checked once more
here, whatever the modal did: a gap never reaches a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.backlog.ports import Ideas
from core.common.clock import Clock
from core.common.journal import Journal
from core.customers.ports import Customers
from core.templates import filling as templates
from core.templates import texts
from core.templates.filling import Filled
from core.templates.model import ResponseTemplate
from core.templates.ports import Templates
from core.tickets.ports import Tickets
from core.tickets.service import SupportDesk
from core.unit_of_work import Store


class TemplatesTx(Journal, Customers, Tickets, Templates, Ideas, Protocol):
    """What response templates needs from a unit of work."""


class SendRefusal(StrEnum):
    """Why a template reply was not sent."""

    UNKNOWN_TEMPLATE = "unknown_template"
    UNKNOWN_TICKET = "unknown_ticket"
    EMPTY = "empty"
    GAPS = "gaps"


@dataclass(frozen=True, slots=True)
class SendResult:
    """A sent reply, or the refusal with the placeholders still unfilled."""

    refusal: SendRefusal | None = None
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A template filled for one ticket, ready for the agent to review."""

    template: ResponseTemplate
    filled: Filled


class ResponseTemplates:
    """The template use cases; each call is one transaction."""

    def __init__(self, store: Store[TemplatesTx], clock: Clock, support: SupportDesk) -> None:
        self._store = store
        self._clock = clock
        self._support = support

    async def all(self) -> list[ResponseTemplate]:
        """Every template, by category then id."""
        async with self._store.snapshot() as tx:
            return await tx.list_templates()

    async def get(self, template_id: str) -> ResponseTemplate | None:
        """One template by id."""
        async with self._store.snapshot() as tx:
            return await tx.get_template(template_id)

    async def save(self, template: ResponseTemplate, actor: str, *, new: bool) -> dict[str, str]:
        """Create or edit a template; returns the fields that cannot be saved, with why (empty = saved)."""
        problems = templates.problems(template)
        if problems:
            return problems
        now = self._clock.now()
        async with self._store.transaction() as tx:
            if not await tx.save_template(template, actor, now, new=new):
                return {"id": texts.TEMPLATE_ID_TAKEN if new else texts.TEMPLATE_UNKNOWN}
            await tx.record_event(
                None, actor, "template.created" if new else "template.edited", now, template.id
            )
        return {}

    async def delete(self, template_id: str, actor: str) -> bool:
        """Retire a template; False if it was already gone.

        Messages already sent keep their text (it was copied when sent), and the AI's next
        draft of that category takes the category's next template, if any.
        """
        now = self._clock.now()
        async with self._store.transaction() as tx:
            if not await tx.delete_template(template_id):
                return False
            await tx.record_event(None, actor, "template.deleted", now, template_id)
        return True

    async def prepare(self, ticket_id: int, template_id: str, agent_name: str | None) -> Prepared | None:
        """The template filled from the ticket's customer, the ticket and the agent; None if one is gone."""
        async with self._store.snapshot() as tx:
            template = await tx.get_template(template_id)
            ticket = await tx.get_ticket(ticket_id)
            if template is None or ticket is None:
                return None
            customer = await tx.get_customer(ticket.customer_id)
            # this ticket's own request, never the idea's wording (another customer's words)
            asked = await tx.idea_request_of_ticket(ticket.id)
        values = templates.ticket_values(customer, ticket.id, agent_name, asked.summary if asked else None)
        return Prepared(template, templates.fill(template.body, values))

    async def send(self, ticket_id: int, template_id: str, text: str, agent: str) -> SendResult:
        """Send the agent's final text to the ticket's customer, unless a placeholder is still in it."""
        text = text.strip()
        if not text:
            return SendResult(SendRefusal.EMPTY)
        gaps = templates.placeholders(text)
        if gaps:
            return SendResult(SendRefusal.GAPS, gaps)
        template = await self.get(template_id)
        if template is None:
            return SendResult(SendRefusal.UNKNOWN_TEMPLATE)

        async def audit(tx: TemplatesTx) -> None:
            await tx.record_event(ticket_id, agent, "template.sent", self._clock.now(), template_id)

        if not await self._support.answer(ticket_id, agent, text, texts.template_sent(template.title), audit):
            return SendResult(SendRefusal.UNKNOWN_TICKET)
        return SendResult()
