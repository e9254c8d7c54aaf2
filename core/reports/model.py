"""A report's input rows, its counted tally and the figures it shows (values only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class TicketRow:
    """One ticket opened in the period, reduced to the facts the metrics need."""

    id: int
    customer_id: int
    channel: str
    opened_at: datetime
    resolved_at: datetime | None = None
    category: str | None = None
    urgency: str | None = None
    first_human_at: datetime | None = None
    first_ai_at: datetime | None = None
    last_customer_at: datetime | None = None
    human_replies: int = 0
    ai_replies: int = 0
    reopened_at: datetime | None = None
    human_after_reopen_at: datetime | None = None
    escalated: bool = False
    next_ticket_at: datetime | None = None
    """When the same customer opened their next ticket, if they did."""
    csat: int | None = None


@dataclass(frozen=True, slots=True)
class CsatRow:
    """A rating given in the period."""

    ticket_id: int
    score: int
    at: datetime
    channel: str


@dataclass(frozen=True, slots=True)
class NpsRow:
    """An NPS answer given in the period."""

    customer_id: int
    score: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ModelRow:
    """AI calls of one model in the period, summed by storage (``ai_calls`` and ``ai_triage``)."""

    model: str
    calls: int
    cost_usd: float
    latency_ms_total: float
    triaged: int = 0
    requires_human: int = 0


@dataclass(frozen=True, slots=True)
class ReportInput:
    """Everything a report is computed from."""

    start: datetime
    end: datetime
    now: datetime
    tickets: Sequence[TicketRow]
    previous_categories: dict[str, int] = field(default_factory=dict)
    """Tickets per category in the period of the same length just before: for rising categories."""
    csat: Sequence[CsatRow] = ()
    nps: Sequence[NpsRow] = ()
    models: Sequence[ModelRow] = ()
    drafts: dict[str, int] = field(default_factory=dict)
    """AI drafts by outcome ("sent" = sent unedited, "edited", "discarded")."""
    ai_log: bool = False
    """Whether the AI's call log exists at all (the AI core may not be installed yet)."""


@dataclass(frozen=True, slots=True)
class Stats:
    """A duration metric in seconds: how many, mean, median and 90th percentile."""

    count: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True, slots=True)
class Rate:
    """A share with its parts, so a reader sees "7 of 10" as well as 70%."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True, slots=True)
class Slo:
    """One service-level objective of the playbook, and whether the period met it (None: no data)."""

    key: str
    actual: float | None
    target: float
    met: bool | None
    breaches: int = 0


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """One AI model's share of calls, mean latency, cost and escalation rate."""

    model: str
    calls: int
    share: float
    latency_ms: float | None
    cost_usd: float
    escalation: Rate


@dataclass(frozen=True, slots=True)
class CostPolicy:
    """What an agent's time costs, to set beside the AI's cost."""

    hourly_usd: float = 10.0
    minutes_per_reply: float = 5.0


@dataclass(frozen=True, slots=True)
class Report:
    """The computed report; wording and drawing are elsewhere."""

    start: datetime
    end: datetime
    total: int
    by_channel: dict[str, int]
    by_category: dict[str, int]
    first_response: Stats
    first_response_business: Stats
    ai_first_response: Stats
    resolution: Stats
    resolution_business: Stats
    fcr: Rate
    escalation: Rate
    ai_resolution: Rate
    ai_resolution_pending: int
    handoff: Rate
    ai_accuracy: Rate
    csat: Stats
    csat_by_channel: dict[str, float]
    nps: float | None
    nps_answers: int
    ai_cost_usd: float
    ai_cost_per_ticket: float | None
    models: list[ModelUsage]
    human_replies: int
    human_hours: float
    human_cost_usd: float
    human_cost_per_ticket: float | None
    slos: list[Slo]
    rising: list[tuple[str, int, int]]
    """(category, before, now) for categories that grew, most growth first."""
    daily_volume: dict[date, dict[str, int]]
    daily_first_response: dict[date, float]
    """Median first response (calendar hours) of tickets opened that day."""
    daily_csat: dict[date, float]
    ai_log: bool


@dataclass(frozen=True, slots=True)
class Tally:
    """The cohort counted: sizes, durations and counts before they become rates, SLOs and costs.

    :func:`tally` counts it from ticket rows in Python (the definitions' reference);
    storage can count the same figures in SQL without reading the rows out.
    """

    total: int
    by_channel: dict[str, int]
    """Most tickets first; ties in the order of their first ticket."""
    by_category: dict[str, int]
    first_response: Stats
    first_response_business: Stats
    ai_first_response: Stats
    resolution: Stats
    resolution_business: Stats
    resolved: int
    fcr: int
    escalated: int
    ai_answered: int
    handed_off: int
    ai_resolved: int
    ai_pending: int
    ai_kept: int
    response_due: int
    response_breaches: int
    resolution_due: int
    resolution_breaches: int
    human_replies: int
    daily_volume: dict[date, dict[str, int]]
    daily_first_response: dict[date, float]
    csat: Stats
    csat_by_channel: dict[str, float]
    daily_csat: dict[date, float]
    nps: float | None
    nps_answers: int
