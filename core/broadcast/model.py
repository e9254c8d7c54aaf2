"""What a broadcast is: its states, its recipients' states, and the tally shown on the desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.customers.model import Channel


class BroadcastState(StrEnum):
    """Where a whole broadcast stands; only a running one sends."""

    RUNNING = "running"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"

    @property
    def finished(self) -> bool:
        """Nothing more will be sent."""
        return self in (BroadcastState.CANCELLED, BroadcastState.DONE)


class RecipientState(StrEnum):
    """One recipient's progress; only forward, as the platform reports it."""

    QUEUED = "queued"
    SENDING = "sending"
    """Claimed (durably) for a send that is under way."""
    UNCONFIRMED = "unconfirmed"
    """A send was under way when the process died or the request timed out: it may have gone.
    A status webhook carrying the row's tracker confirms it; otherwise it is queued again once
    the grace period passes."""
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        """Order of the states a sent message goes through (statuses can arrive out of order)."""
        return _RANKS.get(self, 0)


_RANKS = {
    RecipientState.SENT: 1,
    RecipientState.DELIVERED: 2,
    RecipientState.READ: 3,
    RecipientState.FAILED: 4,
}


class Via(StrEnum):
    """How a recipient is reached: free text (inside the window, or Telegram) or the approved template."""

    TEXT = "text"
    TEMPLATE = "template"


class SkipReason(StrEnum):
    """Why a recipient gets nothing (shown in the tally)."""

    OPTED_OUT = "opted_out"
    NO_TEMPLATE = "no_template"
    """Outside the 24-hour window and the broadcast has no approved template."""
    NO_ADDRESS = "no_address"
    """The customer's address was erased (LGPD) or their channel is not configured."""
    CANCELLED = "cancelled"


TRACKER_PREFIX = "broadcast:"


def tracker(recipient_id: int) -> str:
    """What a send carries so its status webhook names the recipient row, even without its message id."""
    return f"{TRACKER_PREFIX}{recipient_id}"


def recipient_of(tracker_value: str | None) -> int | None:
    """The recipient row a status webhook's tracker names, if it is one of ours."""
    if not tracker_value or not tracker_value.startswith(TRACKER_PREFIX):
        return None
    rest = tracker_value[len(TRACKER_PREFIX) :]
    return int(rest) if rest.isdigit() else None


@dataclass(frozen=True, slots=True)
class Broadcast:
    """One message to many customers."""

    id: int
    kind: str
    key: str
    body: str
    template: str
    state: BroadcastState
    created_by: str
    created_at: datetime
    progress_thread: str | None = None
    progress_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A queued recipient read for sending, with what the routing needs to know about them."""

    id: int
    broadcast_id: int
    customer_id: int
    channel: Channel
    address: str
    opted_out: bool
    last_inbound: datetime | None
    body: str
    template: str
    attempts: int
    name: str | None = None
    """The customer's name as stored, for the greeting (:func:`personal`)."""
    kind: str = ""
    """The broadcast's kind (``crise``, ``journey:...``): some kinds wait out quiet hours."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one send."""

    recipient_id: int
    state: RecipientState
    external_id: str | None = None
    reason: str | None = None
    detail: str | None = None
    retry_at: float | None = None
    """Back to the queue at this time (throttled, refused for now) instead of ``state``."""


@dataclass(slots=True)
class Tally:
    """Recipients by state, and the failure and skip reasons with their counts."""

    total: int = 0
    by_state: dict[RecipientState, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    deferred_until: datetime | None = None
    """When the first recipient held back by the daily limit may go (None: none held back)."""

    def count(self, *states: RecipientState) -> int:
        """How many recipients are in any of ``states``."""
        return sum(self.by_state.get(state, 0) for state in states)

    @property
    def sent(self) -> int:
        """Accepted by the platform (whatever came after)."""
        return self.count(RecipientState.SENT, RecipientState.DELIVERED, RecipientState.READ)

    @property
    def finished(self) -> int:
        """Recipients the broadcast is done with."""
        return self.sent + self.count(RecipientState.FAILED, RecipientState.SKIPPED)

    @property
    def waiting(self) -> int:
        """Recipients still to be sent (including any being sent right now)."""
        return self.total - self.finished


GREETING = "{saudacao}"
"""Written in a broadcast's text, becomes "Oi, Maria!" for each recipient ("Oi!" without a name).

Proactive messages share one broadcast (and one text) per trigger, and still greet each
customer by name; the name goes in at send time, so an erased customer is greeted without it.
"""


def personal(body: str, name: str | None) -> str:
    """The text one recipient gets: the greeting filled with their first name."""
    first = name.split()[0] if name and name.split() else None
    return body.replace(GREETING, f"Oi, {first}!" if first else "Oi!")


@dataclass(frozen=True, slots=True)
class Preview:
    """What a broadcast to an audience would do if confirmed now."""

    total: int
    text_now: int
    """Inside the 24-hour window (or on Telegram): free text, now."""
    template_now: int
    """Outside the window, within today's messaging limit: the template, now."""
    later: int
    """Outside the window, beyond the daily limit: queued until slots free."""
    later_from: datetime | None
    opted_out: int
    unreachable: int
    """No approved template given for those outside the window, or no usable address."""

    @property
    def now(self) -> int:
        """Messages that go as soon as it is confirmed."""
        return self.text_now + self.template_now
