"""The desk's use cases as one object: each call is one transaction, then the outbox is woken.

Handlers call these methods (Cosmic Python's service layer); they never open transactions
or touch the outbox themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from core import delivery_status, desk, intake
from core.desk import ActionResult, AgentReply
from core.intake import Received
from core.models import DeliveryUpdate, InboundMessage
from core.ports import Clock, Store, Transaction

T = TypeVar("T")
R = TypeVar("R")
AlsoInTransaction = Callable[[Transaction], Awaitable[None]]


class SupportDesk:
    """Entry point for everything that changes the desk's state."""

    def __init__(self, store: Store, clock: Clock, on_commit: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._clock = clock
        self._on_commit = on_commit

    async def receive(self, msg: InboundMessage, also: AlsoInTransaction | None = None) -> Received:
        """A customer message arrived (``also`` runs in the same transaction, e.g. closing the inbox item)."""
        return await self._apply(intake.receive, msg, also)

    async def delivery(self, update: DeliveryUpdate, also: AlsoInTransaction | None = None) -> bool:
        """The customer's platform reported on a message we sent."""
        return await self._apply(delivery_status.record, update, also)

    async def _apply(
        self, use_case: Callable[[Transaction, T], Awaitable[R]], event: T, also: AlsoInTransaction | None
    ) -> R:
        async with self._store.transaction() as tx:
            result = await use_case(tx, event)
            if also is not None:
                await also(tx)
        self._on_commit()
        return result

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
