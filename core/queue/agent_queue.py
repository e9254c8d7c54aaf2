"""The agent queue: open tickets ordered by SLA risk, each agent's own tickets, and the tier targets.

Read by ``/suporte fila``/``meus``/``ticket``/``cliente`` and by the App Home. The rows come
from a :class:`core.queue.ports.QueueReader`; what counts as "at risk" and how the tier targets
are computed is decided by the values in :mod:`core.queue.model`.

Tier targets (playbook), over the last ``FIGURES_DAYS`` days:

- tier 1 first-contact resolution: resolved tickets never escalated nor reopened, over all
  resolved tickets (target >= 70%); escalation rate: tickets escalated over tickets opened
  (target <= 30%);
- tier 2: escalations to tier 2 whose ticket was resolved within 4 business hours of the
  escalation (target >= 85%); CSAT of tier-2 tickets (target >= 4.3), when ratings exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.common.effects import Effect
from core.queue.effects import RefreshHomes
from core.queue.model import CustomerCard, HomeView, QueueItem, TierFigures
from core.queue.ports import HomeScreen, QueueReader

FIGURES_DAYS = 30
QUEUE_LIMIT = 20


class AgentQueue:
    """Reads the queue for commands and the App Home, and redraws homes when it changes."""

    def __init__(self, reader: QueueReader, screen: HomeScreen, clock: Clock, hours: BusinessHours) -> None:
        self._reader = reader
        self._screen = screen
        self._clock = clock
        self._hours = hours
        self._shown: dict[str, HomeView] = {}

    def now(self) -> datetime:
        return self._clock.now()

    async def queue(self, limit: int = QUEUE_LIMIT) -> tuple[list[QueueItem], int]:
        """Open tickets, worst SLA risk first, and how many are open in all."""
        return await self._reader.open_tickets(limit), await self._reader.open_count()

    async def mine(self, agent: str, limit: int = QUEUE_LIMIT) -> list[QueueItem]:
        """The agent's open tickets, worst SLA risk first."""
        return await self._reader.open_tickets(limit, assignee=agent)

    async def ticket(self, ticket_id: int) -> QueueItem | None:
        return await self._reader.queue_item(ticket_id)

    async def customer(self, addresses: list[str]) -> CustomerCard | None:
        """The customer reachable at one of these addresses, with their recent tickets."""
        found = await self._reader.customer_by_address(addresses)
        if found is None:
            return None
        customer, first_seen = found
        recent = await self._reader.tickets_of_customer(customer.id, 5)
        return CustomerCard(customer, max((self.now() - first_seen).days, 0), recent)

    async def figures(self) -> TierFigures:
        now = self.now()
        rows = await self._reader.tier_rows(now - timedelta(days=FIGURES_DAYS))
        return TierFigures.compute(rows, self._hours, now)

    async def home(self, agent: str) -> HomeView:
        queue, count = await self.queue()
        return HomeView(agent, self.now(), await self.mine(agent), queue, count, await self.figures())

    def handlers(self) -> Mapping[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effects this class carries out, for the effect runner."""
        return {RefreshHomes: self._refresh}  # type: ignore[dict-item]

    async def _refresh(self, effect: RefreshHomes) -> None:
        """Redraw the homes of the agents who look at it; an unchanged home is not sent again."""
        agents = [effect.agent] if effect.agent else await self._reader.home_viewers()
        for agent in agents:
            view = await self.home(agent)
            shown = self._shown.get(agent)
            if not effect.agent and shown is not None and _same(shown, view):
                continue
            await self._screen.publish(agent, view)
            self._shown[agent] = view


def _same(a: HomeView, b: HomeView) -> bool:
    """Equal apart from the moment it was drawn."""
    return (a.mine, a.queue, a.open_count, a.figures) == (b.mine, b.queue, b.open_count, b.figures)
