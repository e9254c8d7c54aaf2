"""The desk's use cases as one object: each call is one transaction, then the outbox is woken.

Handlers call these methods (Cosmic Python's service layer); they never open transactions
or touch the outbox themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from core import delivery_status, desk, intake
from core.desk import ActionResult, AgentReply
from core.models import DeliveryUpdate, InboundMessage
from core.ports import Clock, Store, Transaction

Inbound = InboundMessage | DeliveryUpdate
AlsoInTransaction = Callable[[Transaction], Awaitable[None]]


class SupportDesk:
    """Entry point for everything that changes the desk's state."""

    def __init__(self, store: Store, clock: Clock, on_commit: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._clock = clock
        self._on_commit = on_commit

    async def ingest(self, batch: Sequence[tuple[Inbound | None, AlsoInTransaction]]) -> None:
        """Apply customer messages and delivery reports, in order, in one transaction.

        Each event's ``also`` runs in the same transaction (closing its inbox item), so an
        event is applied exactly once; ``None`` events only run their ``also``. Batching
        keeps intake ahead of a burst: one commit and one lock for many messages.
        """
        async with self._store.transaction() as tx:
            for event, also in batch:
                if isinstance(event, InboundMessage):
                    await intake.receive(tx, event)
                elif isinstance(event, DeliveryUpdate):
                    await delivery_status.record(tx, event)
                await also(tx)
        self._on_commit()

    async def claim(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Assumir**."""
        return await self._action(desk.claim, ticket_id, agent)

    async def release(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Liberar**."""
        return await self._action(desk.release, ticket_id, agent)

    async def resolve(self, ticket_id: int, agent: str) -> ActionResult:
        """An agent pressed **Resolver**."""
        return await self._action(desk.resolve, ticket_id, agent)

    async def reply(self, msg: AgentReply) -> int | None:
        """An agent wrote in a ticket thread."""
        async with self._store.transaction() as tx:
            ticket_id = await desk.reply(tx, msg)
        self._on_commit()
        return ticket_id

    async def audit_refusal(self, user: str, what: str) -> None:
        """Leave an audit entry for a request refused for lack of permission (who, and what they tried)."""
        async with self._store.transaction() as tx:
            await tx.record_event(None, user, "access.refused", self._clock.now(), what)

    def now(self) -> datetime:
        """The injected clock's time."""
        return self._clock.now()

    async def _action(
        self, action: Callable[..., Awaitable[ActionResult]], ticket_id: int, agent: str
    ) -> ActionResult:
        async with self._store.transaction() as tx:
            result = await action(tx, ticket_id, agent, self._clock.now())
        if result.ok:
            self._on_commit()
        return result
