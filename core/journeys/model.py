"""What the journeys read about a customer, and announced features (values only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What the journeys read about a customer (pushed by the platform, see core.customers.records)."""

    customer_id: int
    plan: str | None = None
    signup_date: date | None = None
    setup_done: bool | None = None
    usage_count: int | None = None
    renewal_date: date | None = None
    active_at: datetime | None = None
    opted_out: bool = False


@dataclass(frozen=True, slots=True)
class Announcement:
    """A feature a supervisor announced; it goes to recently active customers."""

    id: int
    text: str
    created_at: datetime
