"""An agent's queue and home: items, risk and the tier figures (values only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.common.business_hours import BusinessHours
from core.customers.model import Customer
from core.tickets.model import TicketStatus

TIER1_FCR_TARGET = 0.70


TIER1_ESCALATION_TARGET = 0.30


TIER2_WITHIN = timedelta(hours=4)


TIER2_WITHIN_TARGET = 0.85


TIER2_CSAT_TARGET = 4.3


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
