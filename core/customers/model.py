"""Who writes to the desk: a customer and the channel they write on (values only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Channel(StrEnum):
    """Where a customer talks to us."""

    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"


@dataclass(slots=True)
class Customer:
    """A person who writes to the desk, known by their channel address (a phone for WhatsApp)."""

    id: int
    channel: Channel
    address: str
    name: str | None = None
    plan: str | None = None
    opted_out_at: datetime | None = None
    """Since when the customer wants no proactive or broadcast messages (PARAR); None: they accept them."""


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A valid record: ``phone`` canonical (with the ninth digit); None means "not sent"."""

    phone: str
    name: str | None = None
    plan: str | None = None
    signup_date: date | None = None
    setup_done: bool | None = None
    usage_count: int | None = None
    renewal_date: date | None = None
    active_at: datetime | None = None
