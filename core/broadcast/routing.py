"""How each recipient of a broadcast is reached: free text, the approved template, later, or not at all.

WhatsApp accepts free text only inside the 24-hour window opened by the customer's last
message (error 131047 otherwise) and business-initiated templates only up to the account's
daily messaging limit in unique recipients per rolling 24 hours. Deciding here, before the
send, is what makes "never a send WhatsApp would reject" hold. Telegram has neither rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.broadcast.model import Claimed, SkipReason, Via
from core.customers.model import Channel

WINDOW = timedelta(hours=24)
ERASED_PREFIX = "apagado:"


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """The platform rules a broadcast respects."""

    daily_limit: int = 250
    """Unique template recipients per rolling 24 h (the WhatsApp account's tier); 0 = unlimited."""
    window_margin: timedelta = timedelta(minutes=5)
    """Free text only while the window has at least this long to run: a send queued behind
    others must still find the window open when it reaches WhatsApp."""


@dataclass(slots=True)
class TemplateQuota:
    """What is left of the daily messaging limit right now."""

    remaining: int | None
    """Template recipients that may still be reached now (None: no limit)."""
    reached: set[int] = field(default_factory=set)
    """Customers already sent a template in the last 24 h: another one costs nothing more."""
    frees_at: datetime | None = None
    """When the oldest counted send leaves the rolling window (a slot frees)."""

    def take(self, customer_id: int) -> bool:
        """Use one slot for this customer; False when the limit is reached."""
        if self.remaining is None or customer_id in self.reached:
            return True
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        self.reached.add(customer_id)
        return True


@dataclass(frozen=True, slots=True)
class Route:
    """The decision for one recipient: exactly one of ``via``, ``skip`` or ``later`` is set."""

    via: Via | None = None
    skip: SkipReason | None = None
    later: datetime | None = None


def in_window(last_inbound: datetime | None, now: datetime, policy: RoutingPolicy) -> bool:
    """Whether free text is still accepted (with the safety margin)."""
    return last_inbound is not None and now < last_inbound + WINDOW - policy.window_margin


@dataclass(frozen=True, slots=True)
class Router:
    """Routes recipients at one moment, sharing the daily-limit quota between them."""

    channels: frozenset[Channel]
    """The channels configured (a customer on another is unreachable)."""
    policy: RoutingPolicy
    now: datetime
    quota: TemplateQuota

    def route(self, recipient: Claimed, template: str) -> Route:
        """Decide how (and whether) to reach one customer now."""
        if recipient.opted_out:
            return Route(skip=SkipReason.OPTED_OUT)
        if recipient.address.startswith(ERASED_PREFIX) or recipient.channel not in self.channels:
            return Route(skip=SkipReason.NO_ADDRESS)
        if recipient.channel is not Channel.WHATSAPP or in_window(
            recipient.last_inbound, self.now, self.policy
        ):
            return Route(via=Via.TEXT)
        if not template:
            return Route(skip=SkipReason.NO_TEMPLATE)
        if self.quota.take(recipient.customer_id):
            return Route(via=Via.TEMPLATE)
        return Route(later=self.quota.frees_at or self.now + WINDOW)


def quota(daily_limit: int, counted: int, reached: set[int], oldest: datetime | None) -> TemplateQuota:
    """What is left of the limit once ``counted`` customers got a template in the window (oldest first)."""
    remaining = None if daily_limit <= 0 else max(daily_limit - counted, 0)
    return TemplateQuota(remaining, reached, oldest + WINDOW if oldest is not None else None)
