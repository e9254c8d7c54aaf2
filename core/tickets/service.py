"""The desk's use cases as one object: each call is one transaction, then the outbox is woken.

Handlers call these methods (Cosmic Python's service layer); they never open transactions
or touch the outbox themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.common.clock import Clock
from core.delivery import status as delivery_status
from core.escalation import tiers as escalation
from core.queue.effects import RefreshHomes
from core.sla.clock import SlaClock, TickResult
from core.sla.model import Activity
from core.tickets import desk, intake
from core.tickets.desk import NOTE_PREFIX
from core.tickets.model import (
    ActionResult,
    AgentReply,
    DeliveryUpdate,
    InboundMessage,
    MessageKind,
    TicketStatus,
)
from core.unit_of_work import Store, Transaction

Inbound = InboundMessage | DeliveryUpdate
AlsoInTransaction = Callable[[Transaction], Awaitable[None]]
Interceptor = Callable[[Transaction, InboundMessage], Awaitable[bool]]
"""Takes a customer message before intake (a survey answer); True when intake must not see it."""
ResolvedListener = Callable[[Transaction, int, datetime], Awaitable[None]]
"""Runs in the transaction that resolved a ticket (ask for a rating, sample it for QA)."""
ComplaintListener = Callable[[Transaction, int, datetime], Awaitable[None]]
"""Runs in the transaction that takes a customer's rating of 2 or less (QA reviews the ticket)."""
StatusListener = Callable[[Transaction, DeliveryUpdate], Awaitable[None]]
"""Runs in the transaction that applies a delivery status (a broadcast's recipient row)."""


@dataclass(frozen=True, slots=True)
class DeskReactions:
    """Who reacts to what happens at the desk, in the order they run, each inside the unit of work
    of the change that causes it. Handed to the desk once (:meth:`SupportDesk.react`), by the one
    table in ``bot/bootstrap/reactions.py``, so no feature appends itself to the desk's lists."""

    interceptors: tuple[Interceptor, ...] = ()
    """A customer writes: the first that takes the message ends it there, before intake."""
    resolved: tuple[ResolvedListener, ...] = ()
    complaint: tuple[ComplaintListener, ...] = ()
    status: tuple[StatusListener, ...] = ()


class SupportDesk:
    """Entry point for everything that changes the desk's state."""

    def __init__(
        self,
        store: Store[Transaction],
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
        sla: SlaClock | None = None,
        *,
        ai: bool = False,
    ) -> None:
        self._store = store
        self._clock = clock
        self._on_commit = on_commit
        self.sla = sla or SlaClock()
        self._ai = ai
        self._reactions = DeskReactions()

    def react(self, reactions: DeskReactions) -> None:
        """Plug the features' reactions in (once, before the workers start; the features are built
        after the desk, since they call it back)."""
        self._reactions = reactions

    async def ingest(self, batch: Sequence[tuple[Inbound | None, AlsoInTransaction]]) -> None:
        """Apply customer messages and delivery reports, in order, in one transaction.

        Each event's ``also`` runs in the same transaction (closing its inbox item), so an
        event is applied exactly once; ``None`` events only run their ``also``. Batching
        keeps intake ahead of a burst: one commit and one lock for many messages.
        """
        async with self._store.transaction() as tx:
            for event, also in batch:
                if isinstance(event, InboundMessage):
                    if await self._intercepted(tx, event):
                        await also(tx)
                        continue
                    ticket_id = await intake.receive(tx, event, ai=self._ai)
                    if ticket_id is not None and event.kind is not MessageKind.REACTION:
                        await self._customer_wrote(tx, ticket_id, event.sent_at)
                elif isinstance(event, DeliveryUpdate):
                    await delivery_status.record(tx, event)
                    for listener in self._reactions.status:
                        await listener(tx, event)
                await also(tx)
        self._on_commit()

    async def claim(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Assumir**."""
        return await self._action(desk.claim, ticket_id, agent, Activity.CLAIM)

    async def set_waiting(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Aguardando cliente**: the SLA clock pauses."""
        return await self._action(desk.set_waiting, ticket_id, agent)

    async def set_in_progress(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Em atendimento**: the SLA clock runs again."""
        return await self._action(desk.set_in_progress, ticket_id, agent)

    async def escalate(self, ticket_id: int, tier: int, reason: str, actor: str) -> ActionResult:
        """Move a ticket to tier 2 or 3 (the **Escalar** modal, or the AI core with ``actor="ai"``)."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            result, ticket, from_tier = await escalation.escalate(
                tx, ticket_id, tier, reason.strip(), actor, at
            )
            if result.ok and ticket is not None:
                await self.sla.escalated(tx, ticket, from_tier, at)
                await tx.add_effect(RefreshHomes(0), at)
        if result.ok:
            self._on_commit()
        return result

    async def reopen(self, ticket_id: int, actor: str, reason: str) -> ActionResult:
        """Bring a resolved ticket back (**Reaberto**): its first response and resolution clocks restart."""
        async with self._store.transaction() as tx:
            result = await self.reopen_within(tx, ticket_id, actor, reason, self._clock.now())
        if result.ok:
            self._on_commit()
        return result

    async def mark_critical(self, ticket_id: int, actor: str) -> None:
        """The ticket is critical (the AI core's urgency): resolution is due within the critical target."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            await self.sla.critical(tx, ticket_id, at)
            await tx.record_event(ticket_id, actor, "critical", at)
        self._on_commit()

    async def reopen_within(
        self, tx: Transaction, ticket_id: int, actor: str, reason: str, at: datetime
    ) -> ActionResult:
        """:meth:`reopen` inside a unit of work already open (a low rating taken during intake)."""
        result = await desk.reopen(tx, ticket_id, actor, reason, at)
        ticket = await tx.get_ticket(ticket_id) if result.ok else None
        if ticket is not None:
            await self.sla.restart(tx, ticket, at)
            await tx.add_effect(RefreshHomes(0), at)
        return result

    async def complained(self, tx: Transaction, ticket_id: int, at: datetime) -> None:
        """A customer rated the ticket 2 or less (inside the rating's unit of work): tell the listeners."""
        for listener in self._reactions.complaint:
            await listener(tx, ticket_id, at)

    async def sla_tick(self) -> TickResult:
        """Give due SLA warnings, record breaches, auto-close tickets left waiting for the customer."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            if await tx.sla_suspended():  # a crisis suspends them: clocks resume shifted when it ends
                return TickResult()
            result = await self.sla.tick(tx, now)
            for ticket_id in result.auto_closed:
                if await desk.auto_close(tx, ticket_id, now):
                    ticket = await tx.get_ticket(ticket_id)
                    assert ticket is not None
                    await self.sla.sync(tx, ticket, now)
                    await tx.add_effect(RefreshHomes(0), now)
        if result.warnings or result.breaches or result.auto_closed:
            self._on_commit()
        return result

    async def home_opened(self, agent: str) -> None:
        """An agent opened the app's home: draw it now, and again whenever the queue changes."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.add_home_viewer(agent, at)
            await tx.add_effect(RefreshHomes(0, agent=agent), at)
        self._on_commit()

    async def release(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Liberar**."""
        return await self._action(desk.release, ticket_id, agent)

    async def resolve(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Resolver**; the resolution's listeners run in the same transaction."""

        async def resolve_and_tell(tx: Transaction, ticket_id: int, agent: str, at: datetime) -> ActionResult:
            result = await desk.resolve(tx, ticket_id, agent, at)
            if result.ok:
                for listener in self._reactions.resolved:
                    await listener(tx, ticket_id, at)
            return result

        return await self._action(resolve_and_tell, ticket_id, agent)

    async def ticket_of_thread(self, thread_ref: str) -> int | None:
        """The ticket whose desk thread this is, if any (a refused reply is marked only in tickets)."""
        async with self._store.snapshot() as tx:
            ticket = await tx.ticket_by_thread(thread_ref)
        return ticket.id if ticket else None

    async def reply(self, msg: AgentReply) -> int | None:
        """An agent wrote in a ticket thread."""
        async with self._store.transaction() as tx:
            ticket_id = await desk.reply(tx, msg)
            if ticket_id is not None:
                ticket = await tx.get_ticket(ticket_id)
                assert ticket is not None
                activity = Activity.NOTE if msg.text.strip().startswith(NOTE_PREFIX) else Activity.REPLY
                if await self.sla.sync(tx, ticket, msg.at, msg.agent, activity):
                    await tx.add_effect(RefreshHomes(0), msg.at)
        self._on_commit()
        return ticket_id

    async def answer(
        self, ticket_id: int, agent: str, text: str, shown_as: str, also: AlsoInTransaction | None = None
    ) -> bool:
        """An agent sends text from outside the thread (a template); False if the ticket is gone.

        It counts as the agent's reply (status, SLA clocks, read marks); ``also`` runs in the same
        transaction (the caller's audit entry).
        """
        at = self._clock.now()
        async with self._store.transaction() as tx:
            ticket = await tx.get_ticket(ticket_id)
            if ticket is None:
                return False
            await desk.answer(tx, ticket, agent, text, at, shown_as)
            if also is not None:
                await also(tx)
            if await self.sla.sync(tx, ticket, at, agent, Activity.REPLY):
                await tx.add_effect(RefreshHomes(0), at)
        self._on_commit()
        return True

    async def audit_refusal(self, user: str, what: str) -> None:
        """Leave an audit entry for a request refused for lack of permission (who, and what they tried)."""
        await self.audit(user, "access.refused", what)

    async def audit(self, actor: str, action: str, detail: str) -> None:
        """Leave an audit entry not tied to a ticket (``detail`` must hold no personal data)."""
        async with self._store.transaction() as tx:
            await tx.record_event(None, actor, action, self._clock.now(), detail)

    async def _intercepted(self, tx: Transaction, event: InboundMessage) -> bool:
        for interceptor in self._reactions.interceptors:
            if await interceptor(tx, event):
                return True
        return False

    def now(self) -> datetime:
        """The injected clock's time."""
        return self._clock.now()

    async def _customer_wrote(self, tx: Transaction, ticket_id: int, at: datetime) -> None:
        """A customer message: a waiting ticket goes back to the desk; a new ticket starts its clocks.

        Other messages leave the clocks alone, so a busy conversation costs one read here.
        """
        ticket = await tx.get_ticket(ticket_id)
        if ticket is None:
            return
        answered = await desk.customer_answered(tx, ticket, at)
        opened = ticket.status is TicketStatus.NEW and ticket.opened_at == at
        if (answered or opened) and await self.sla.sync(tx, ticket, at):
            await tx.add_effect(RefreshHomes(0), at)

    async def _action(
        self,
        action: Callable[..., Awaitable[ActionResult]],
        ticket_id: int,
        agent: str,
        activity: Activity = Activity.OTHER,
    ) -> ActionResult:
        at = self._clock.now()
        async with self._store.transaction() as tx:
            result = await action(tx, ticket_id, agent, at)
            ticket = await tx.get_ticket(ticket_id) if result.ok else None
            if ticket is not None:
                await self.sla.sync(tx, ticket, at, agent, activity)
                await tx.add_effect(RefreshHomes(0), at)
        if result.ok:
            self._on_commit()
        return result
