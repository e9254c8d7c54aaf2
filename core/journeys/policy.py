"""Proactive journeys: which customer is due which message today (the playbook's
ProactiveSupportCommunication).

- day 3 after signup, basic setup not done: an onboarding check;
- day 7, more than 10 uses: a milestone celebration;
- day 14: a health check;
- 30 days before a renewal: a reminder (once per renewal date);
- a feature announcement: to customers active in the last 30 days (once per announcement,
  while it is recent).

Days are counted in the desk's time zone. A trigger still fires for a few days after its day
(``catch_up``), so a day the bot was down or spent in quiet hours is not lost; the ledger
makes each one go at most once. Opted-out customers get nothing. This module only decides:
:mod:`core.journeys.run` sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.common.ptbr import SAO_PAULO
from core.journeys.model import Announcement, CustomerFacts

JOURNEY_KIND = "journey:"
"""The broadcast kind of every journey message starts with this (then the trigger)."""


class Trigger(StrEnum):
    """Why a customer gets a proactive message."""

    ONBOARDING_CHECK = "onboarding_check"
    USAGE_MILESTONE = "usage_milestone"
    HEALTH_CHECK = "health_check"
    RENEWAL_REMINDER = "renewal_reminder"
    FEATURE_ANNOUNCEMENT = "feature_announcement"


@dataclass(frozen=True, slots=True)
class JourneyPolicy:
    """When journeys run and fire (see the ``JOURNEY_*`` and ``QUIET_HOURS_*`` settings)."""

    zone: ZoneInfo = SAO_PAULO
    quiet_from: time = time(20)
    quiet_until: time = time(8)
    onboarding_day: int = 3
    milestone_day: int = 7
    milestone_usage: int = 10
    """The milestone needs more uses than this."""
    health_day: int = 14
    renewal_ahead: timedelta = timedelta(days=30)
    active_within: timedelta = timedelta(days=30)
    announcement_for: timedelta = timedelta(days=7)
    """How long after it is made an announcement still reaches customers who become active."""
    catch_up: int = 3
    """Days after its day a trigger still fires (the bot was down, or the day was spent in quiet hours)."""

    def quiet_ends(self, at: datetime) -> datetime | None:
        """When the quiet hours ``at`` falls in end; None when ``at`` is not quiet."""
        if not self.quiet(at):
            return None
        local = at.astimezone(self.zone)
        end = datetime.combine(local.date(), self.quiet_until, tzinfo=self.zone)
        return end if end > local else end + timedelta(days=1)

    def held_until(self, kind: str, at: datetime) -> datetime | None:
        """Until when a broadcast of this kind must wait at ``at``: a journey message queued before
        quiet hours (a late run, a long queue, the daily limit) still never reaches anyone in them;
        a crisis notice never waits."""
        return self.quiet_ends(at) if kind.startswith(JOURNEY_KIND) else None

    def quiet(self, at: datetime) -> bool:
        """Whether ``at`` falls in the quiet hours, when no proactive message goes out."""
        local = at.astimezone(self.zone).time()
        if self.quiet_from > self.quiet_until:  # across midnight (20:00-08:00)
            return local >= self.quiet_from or local < self.quiet_until
        return self.quiet_from <= local < self.quiet_until


@dataclass(frozen=True, slots=True)
class Due:
    """A message a customer is due: the trigger and its occasion (the ledger's key)."""

    trigger: Trigger
    occasion: str = ""
    announcement: Announcement | None = None


def due(
    customer: CustomerFacts, now: datetime, announcements: list[Announcement], policy: JourneyPolicy
) -> list[Due]:
    """Every message ``customer`` is due at ``now``, before the ledger removes those already sent."""
    if customer.opted_out:
        return []
    today = now.astimezone(policy.zone).date()
    found = []
    if customer.signup_date is not None:
        age = (today - customer.signup_date).days

        def on(day: int) -> bool:
            return day <= age < day + policy.catch_up

        if on(policy.onboarding_day) and customer.setup_done is False:
            found.append(Due(Trigger.ONBOARDING_CHECK))
        if on(policy.milestone_day) and (customer.usage_count or 0) > policy.milestone_usage:
            found.append(Due(Trigger.USAGE_MILESTONE))
        if on(policy.health_day):
            found.append(Due(Trigger.HEALTH_CHECK))
    renewal = customer.renewal_date
    if renewal is not None and timedelta(0) <= renewal - today <= policy.renewal_ahead:
        found.append(Due(Trigger.RENEWAL_REMINDER, renewal.isoformat()))
    if recently_active(customer, now, policy):
        for announcement in announcements:
            if announcement.created_at <= now <= announcement.created_at + policy.announcement_for:
                found.append(Due(Trigger.FEATURE_ANNOUNCEMENT, str(announcement.id), announcement))
    return found


def recently_active(customer: CustomerFacts, now: datetime, policy: JourneyPolicy) -> bool:
    """In a feature announcement's audience: used the product lately and did not opt out."""
    if customer.opted_out or customer.active_at is None:
        return False
    return now - customer.active_at <= policy.active_within
