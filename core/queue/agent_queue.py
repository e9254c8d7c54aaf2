"""The agent queue: open tickets ordered by SLA risk, each agent's own tickets, and the tier targets.

Read by ``/suporte fila``/``meus``/``ticket``/``cliente`` and by the App Home. The rows come
from a :class:`core.ports.QueueReader`; what counts as "at risk" and how the tier targets
are computed is decided here.

Tier targets (playbook), over the last ``FIGURES_DAYS`` days:

- tier 1 first-contact resolution: resolved tickets never escalated nor reopened, over all
  resolved tickets (target >= 70%); escalation rate: tickets escalated over tickets opened
  (target <= 30%);
- tier 2: escalations to tier 2 whose ticket was resolved within 4 business hours of the
  escalation (target >= 85%); CSAT of tier-2 tickets (target >= 4.3), when ratings exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.common.business_hours import BusinessHours
from core.common.effects import Effect
from core.models import Customer, TicketStatus
from core.ports import Clock, HomeScreen, QueueReader
from core.queue.effects import RefreshHomes

FIGURES_DAYS = 30
TIER1_FCR_TARGET = 0.70
TIER1_ESCALATION_TARGET = 0.30
TIER2_WITHIN = timedelta(hours=4)
TIER2_WITHIN_TARGET = 0.85
TIER2_CSAT_TARGET = 4.3
QUEUE_LIMIT = 20


class Risk(StrEnum):
    """How a ticket stands against its clocks, worst first."""

    BREACHED = "breached"
    AT_RISK = "at_risk"
    ON_TIME = "on_time"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One open ticket as the queue shows it."""

    ticket_id: int
    customer_name: str | None
    status: TicketStatus
    tier: int
    assignee: str | None
    thread_ref: str | None
    opened_at: datetime
    due_at: datetime | None
    """The nearest due time among the ticket's running clocks."""
    due_kind: str | None
    breached: bool
    warned: bool

    @property
    def risk(self) -> Risk:
        if self.status is TicketStatus.RESOLVED:
            return Risk.CLOSED
        if self.breached:
            return Risk.BREACHED
        if self.warned:
            return Risk.AT_RISK
        if self.due_at is None:
            return Risk.PAUSED
        return Risk.ON_TIME


@dataclass(frozen=True, slots=True)
class TierRows:
    """The counts and times the tier targets are computed from."""

    opened: int
    escalated: int
    resolved: int
    resolved_first_contact: int
    tier2: list[tuple[datetime, datetime | None]]
    """(escalated at, resolved at) of each escalation to tier 2."""
    tier2_csat: float | None


@dataclass(frozen=True, slots=True)
class TierFigures:
    """The playbook's tier targets as measured; None when there is nothing to measure yet."""

    fcr: float | None
    escalation_rate: float | None
    tier2_within: float | None
    tier2_csat: float | None

    @staticmethod
    def compute(rows: TierRows, hours: BusinessHours, now: datetime) -> TierFigures:
        """Turn counts and times into the four figures."""
        done = [
            resolved is not None and hours.elapsed(escalated, resolved) <= TIER2_WITHIN
            for escalated, resolved in rows.tier2
            if resolved is not None or hours.elapsed(escalated, now) > TIER2_WITHIN
        ]
        return TierFigures(
            fcr=rows.resolved_first_contact / rows.resolved if rows.resolved else None,
            escalation_rate=rows.escalated / rows.opened if rows.opened else None,
            tier2_within=sum(done) / len(done) if done else None,
            tier2_csat=rows.tier2_csat,
        )


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """What ``/suporte cliente`` shows: who they are, since when, and their latest tickets."""

    customer: Customer
    days_as_customer: int
    recent: list[QueueItem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HomeView:
    """An agent's App Home: their tickets, the queue by risk, and the tier targets."""

    agent: str
    now: datetime
    mine: list[QueueItem]
    queue: list[QueueItem]
    open_count: int
    figures: TierFigures


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
