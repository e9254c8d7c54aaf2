"""SLA targets and the stored clocks of a ticket (values only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.customers.model import Channel


class TimerKind(StrEnum):
    """The targets the playbook sets, as clocks on a ticket."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"
    TIER2_RESPONSE = "tier2_response"
    TIER3_ACK = "tier3_ack"
    TIER3_ASSESSMENT = "tier3_assessment"
    AUTO_CLOSE = "auto_close"


class TimerState(StrEnum):
    """Where a clock is: counting, paused (customer's turn), or over one way or another."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    STOPPED = "stopped"


class Activity(StrEnum):
    """What a person did on a ticket, as far as the clocks care."""

    CLAIM = "claim"
    REPLY = "reply"
    NOTE = "note"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Every target of the playbook, configurable; durations are business time unless noted."""

    first_response: timedelta = timedelta(hours=2)
    first_response_after_hours: timedelta = timedelta(hours=8)  # calendar time from the message
    first_response_by_channel: Mapping[Channel, timedelta] = field(
        default_factory=lambda: {Channel.WHATSAPP: timedelta(minutes=30)}
    )
    resolution: timedelta = timedelta(hours=24)
    resolution_critical: timedelta = timedelta(hours=4)
    tier2_response: timedelta = timedelta(hours=1)
    tier3_ack: timedelta = timedelta(hours=4)
    tier3_assessment: timedelta = timedelta(hours=24)
    warning_fraction: float = 0.75
    waiting_auto_close: timedelta = timedelta(hours=48)

    def target(self, kind: TimerKind) -> timedelta:
        """The business-time target of a clock that does not depend on the channel."""
        return {
            TimerKind.RESOLUTION: self.resolution,
            TimerKind.TIER2_RESPONSE: self.tier2_response,
            TimerKind.TIER3_ACK: self.tier3_ack,
            TimerKind.TIER3_ASSESSMENT: self.tier3_assessment,
            TimerKind.AUTO_CLOSE: self.waiting_auto_close,
        }[kind]


@dataclass(slots=True)
class Timer:
    """One clock of one ticket, as stored.

    ``target`` is the business time the clock had when it started; ``warn_at`` is None once
    the warning was given (or for clocks that give none); ``remaining`` is the business time
    left while paused.
    """

    ticket_id: int
    kind: TimerKind
    state: TimerState
    target: timedelta
    started_at: datetime
    due_at: datetime
    warn_at: datetime | None = None
    remaining: timedelta | None = None
    ended_at: datetime | None = None

    @property
    def next_at(self) -> datetime | None:
        """The next moment the ticker must look at this clock (None: nothing to watch)."""
        if self.state is not TimerState.RUNNING:
            return None
        return self.warn_at if self.warn_at is not None else self.due_at


@dataclass(frozen=True, slots=True)
class DueTimer:
    """A clock the ticker must act on, with what its alert needs of the ticket."""

    timer: Timer
    tier: int
    assignee: str | None
