"""The feature-request backlog: ideas customers ask for, grouped, counted, and announced when delivered.

A request comes from a ticket: an agent's ``//ideia resumo`` note, or the AI core when it
classifies a message as a feature request (it calls :meth:`Backlog.record` with source
``"ai"``). Requests whose wording normalises the same (core.common.ptbr_text) join one idea, and
an agent can merge two ideas worded differently. Each customer counts once per idea.

When an idea is delivered, every customer who asked is told on their channel, in their
ticket's thread, in the desk's words only (the supervisor's message or the default text): an
idea's wording is a customer's own message, and one customer's words never reach another.
On WhatsApp free text is only allowed within 24 hours of the customer's last message; outside
that window WhatsApp takes only approved templates, so those customers get the approved
template (``IDEA_TEMPLATE``) through the broadcast engine, which also keeps to the account's
daily limit. Without a template they are left for later and counted in the answer
(running the delivery again tells whoever wrote back since; nobody is told twice). Customers
who said PARAR get no notice: it is not an answer to anything they asked today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.backlog import texts
from core.backlog.model import IdeaTally
from core.backlog.ports import Ideas
from core.broadcast.model import GREETING
from core.broadcast.service import Broadcasts, BroadcastTx, NewBroadcast
from core.common.clock import Clock
from core.common.ptbr_text import normalize
from core.common.spreadsheet import csv_text
from core.customers.model import Channel
from core.customers.ports import Customers
from core.templates.filling import first_name
from core.tickets.effects import PostNote, SendToCustomer
from core.tickets.model import DeliveryState, Direction, FileData, MessageKind, Ticket
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Store


class IdeasTx(BroadcastTx, Customers, Tickets, Messages, Ideas, Protocol):
    """What the feature backlog needs from a unit of work."""


CUSTOMER_WINDOW = timedelta(hours=24)
MAX_SUMMARY = 200


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """Who was told of a delivered idea, and who could not be, and why."""

    idea_id: int
    notified: int
    outside_window: int
    """Outside WhatsApp's 24-hour window with no approved template configured."""
    by_template: int = 0
    """Outside the window: queued for the approved template (a broadcast)."""
    opted_out: int = 0


def idea_note(text: str) -> str | None:
    """The summary of an agent's ``//ideia ...`` note ("" when it has none), or None for another note."""
    head, _, rest = text.strip().partition(" ")
    if head.casefold() != texts.IDEA_PREFIX:
        return None
    return rest.strip()


def request_summary(text: str) -> str:
    """How a request is stored: one line, whitespace folded, at most MAX_SUMMARY characters."""
    return " ".join(text.split())[:MAX_SUMMARY]


async def record(tx: IdeasTx, ticket: Ticket, summary: str, source: str, at: datetime) -> None:
    """Add the ticket's customer to the idea this summary describes (a new idea if none does)."""
    summary = request_summary(summary)
    if not summary:
        await tx.add_effect(PostNote(ticket.id, texts.IDEA_NO_SUMMARY), at)
        return
    key = normalize(summary) or summary.casefold()
    customer = await tx.get_customer(ticket.customer_id)
    idea = await tx.idea_by_key(key) or await tx.create_idea(key, summary, customer.id, at)
    await tx.add_idea_request(idea.id, customer, ticket.id, summary, source, at)
    customers = len(await tx.idea_requests(idea.id))
    await tx.add_effect(PostNote(ticket.id, texts.idea_recorded(idea.id, idea.summary, customers)), at)
    await tx.record_event(ticket.id, source, "idea.requested", at, str(idea.id))


def plans_text(tally: IdeaTally) -> str:
    """ "pro 3 · basico 1": how many customers of each plan asked."""
    return " · ".join(f"{plan or texts.NO_PLAN} {count}" for plan, count in tally.by_plan.items())


def to_csv(tallies: list[IdeaTally]) -> str:
    """The backlog as CSV (one idea a row, most asked first), for a spreadsheet."""
    return csv_text(
        texts.IDEA_CSV_HEADER,
        (
            (
                tally.idea.id,
                tally.idea.summary,
                tally.customers,
                plans_text(tally),
                tally.first_at.date().isoformat(),
                tally.last_at.date().isoformat(),
                tally.idea.delivered_at.date().isoformat() if tally.idea.delivered_at else "",
            )
            for tally in tallies
        ),
    )


def _slug(plan: str) -> str:
    """A plan name fit for a file name: letters and digits, the rest as ``-``."""
    return "".join(c if c.isalnum() else "-" for c in plan.casefold()).strip("-") or "plano"


def _may_write(ticket: Ticket, last_inbound_at: datetime, now: datetime) -> bool:
    """Free text is allowed: always on Telegram, within 24 hours of the customer's message on WhatsApp."""
    return ticket.channel is not Channel.WHATSAPP or now - last_inbound_at < CUSTOMER_WINDOW


class Backlog:
    """The backlog's use cases; each call is one transaction."""

    def __init__(
        self,
        store: Store[IdeasTx],
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
        broadcasts: Broadcasts | None = None,
        template: str = "",
    ) -> None:
        self._store = store
        self._clock = clock
        self._on_commit = on_commit
        self._broadcasts = broadcasts
        self._template = template if broadcasts is not None else ""

    async def record(self, ticket_id: int, summary: str, source: str) -> bool:
        """A ticket's customer asks for something (``source``: agent id or ``"ai"``); False if no ticket."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            ticket = await tx.get_ticket(ticket_id)
            if ticket is None:
                return False
            await record(tx, ticket, summary, source, now)
        self._on_commit()
        return True

    async def tally(self, plan: str | None = None) -> list[IdeaTally]:
        """Live ideas, most asked first; only requests from ``plan`` when given."""
        async with self._store.snapshot() as tx:
            return await tx.tally_ideas(plan)

    async def export(self, plan: str | None = None) -> tuple[FileData, int] | None:
        """The backlog (``plan``'s requests only, when given) as a CSV file and its idea count; None if empty.

        The file name carries the date and plan so several exports kept side by side stay apart.
        """
        tallies = await self.tally(plan)
        if not tallies:
            return None
        scope = f"-{_slug(plan)}" if plan else ""
        filename = f"sugestoes{scope}-{self._clock.now():%Y-%m-%d}.csv"
        return FileData(to_csv(tallies).encode("utf-8"), "text/csv", filename), len(tallies)

    async def merge(self, keep: int, absorbed: int, actor: str) -> int | None:
        """Fold one idea into another; returns the survivor's customer count, None if either is not live."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            survivor, gone = await tx.get_idea(keep), await tx.get_idea(absorbed)
            if survivor is None or gone is None or survivor.merged_into or gone.merged_into:
                return None
            await tx.merge_ideas(keep, absorbed)
            await tx.record_event(None, actor, "idea.merged", now, f"{absorbed} -> {keep}")
            return len(await tx.idea_requests(keep))

    async def deliver(self, idea_id: int, actor: str, message: str | None = None) -> DeliveryReport | None:
        """Mark an idea delivered and tell each customer who asked and was not told yet; None if unknown."""
        now = self._clock.now()
        notified = outside = opted_out = 0
        by_template: list[int] = []
        async with self._store.transaction() as tx:
            idea = await tx.get_idea(idea_id)
            if idea is None or idea.merged_into is not None:
                return None
            await tx.set_idea_delivered(idea.id, actor, now)
            for request in await tx.idea_requests(idea.id):
                if request.notified_at is not None:
                    continue
                customer = await tx.get_customer(request.customer_id)
                if customer.opted_out_at is not None:
                    opted_out += 1
                    continue
                ticket = await tx.latest_ticket_of(customer.id)
                last = await tx.last_inbound_message(ticket.id) if ticket else None
                if ticket is None or last is None or not _may_write(ticket, last.sent_at, now):
                    if self._template and customer.id not in by_template:
                        by_template.append(customer.id)
                        await tx.set_idea_request_notified(request.id, now)
                    elif not self._template:
                        outside += 1
                    continue
                text = message or texts.idea_delivered_to_customer(first_name(customer.name))
                sent = await tx.add_message(
                    ticket.id,
                    Direction.OUTBOUND,
                    MessageKind.TEXT,
                    now,
                    text=text,
                    author=actor,
                    delivery=DeliveryState.PENDING,
                )
                await tx.add_effect(SendToCustomer(ticket.id, sent.id), now)
                await tx.add_effect(PostNote(ticket.id, texts.idea_delivered_note(idea.id)), now)
                await tx.set_idea_request_notified(request.id, now)
                notified += 1
            if by_template:
                assert self._broadcasts is not None
                notice = message or texts.idea_delivered_to_customer(None, GREETING)
                key = f"idea-{idea.id}-{now.isoformat()}"
                await self._broadcasts.enqueue_within(
                    tx, NewBroadcast("idea", key, tuple(by_template), notice, self._template, actor)
                )
            detail = f"{idea.id}: {notified} notified, {len(by_template)} by template"
            await tx.record_event(None, actor, "idea.delivered", now, detail)
        self._on_commit()
        if by_template and self._broadcasts is not None:
            self._broadcasts.wake()
        return DeliveryReport(idea.id, notified, outside, len(by_template), opted_out)
