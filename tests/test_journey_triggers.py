"""Who gets which proactive message, day after day: the journeys' decisions over simulated weeks.

These drive :func:`core.journeys.policy.due` with a ledger, the way the daily run does, so each
customer's story reads as the messages they would see and on which day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.journeys.model import Announcement, CustomerFacts
from core.journeys.policy import JourneyPolicy, Trigger, due

SP = ZoneInfo("America/Sao_Paulo")
POLICY = JourneyPolicy()
SIGNUP = date(2026, 11, 2)


def morning(day: date) -> datetime:
    """10:00 in São Paulo on ``day``: when the daily run happens."""
    return datetime(day.year, day.month, day.day, 10, tzinfo=SP).astimezone(UTC)


def story(customer: CustomerFacts, days: int, announcements: list[Announcement] | None = None) -> list:
    """``(day since signup, trigger)`` for every message sent over ``days`` daily runs."""
    sent: set[tuple[Trigger, str]] = set()
    told = []
    for n in range(days):
        for item in due(customer, morning(SIGNUP + timedelta(days=n)), announcements or [], POLICY):
            if (item.trigger, item.occasion) not in sent:
                sent.add((item.trigger, item.occasion))
                told.append((n, item.trigger))
    return told


def test_a_new_customer_stuck_in_setup_hears_from_us_on_days_3_7_and_14_and_before_renewal() -> None:
    maria = CustomerFacts(
        1, signup_date=SIGNUP, setup_done=False, usage_count=12, renewal_date=SIGNUP + timedelta(40)
    )
    assert story(maria, 45) == [
        (3, Trigger.ONBOARDING_CHECK),
        (7, Trigger.USAGE_MILESTONE),
        (10, Trigger.RENEWAL_REMINDER),  # 30 days before the renewal on day 40
        (14, Trigger.HEALTH_CHECK),
    ]


def test_a_customer_who_finished_setup_and_barely_uses_it_only_gets_the_health_check() -> None:
    joao = CustomerFacts(2, signup_date=SIGNUP, setup_done=True, usage_count=10)
    assert story(joao, 30) == [(14, Trigger.HEALTH_CHECK)]


def test_unknown_setup_is_not_taken_as_not_done() -> None:
    assert story(CustomerFacts(3, signup_date=SIGNUP), 10) == []


def test_an_opted_out_customer_never_gets_anything() -> None:
    quiet = CustomerFacts(
        4,
        signup_date=SIGNUP,
        setup_done=False,
        usage_count=50,
        renewal_date=SIGNUP + timedelta(20),
        active_at=morning(SIGNUP),
        opted_out=True,
    )
    news = [Announcement(1, "Relatórios em PDF", morning(SIGNUP))]
    assert story(quiet, 40, news) == []


def test_a_missed_day_is_caught_up_for_a_few_days_then_dropped() -> None:
    late = CustomerFacts(5, signup_date=SIGNUP, setup_done=False)
    assert [d.trigger for d in due(late, morning(SIGNUP + timedelta(5)), [], POLICY)] == [
        Trigger.ONBOARDING_CHECK
    ]
    assert due(late, morning(SIGNUP + timedelta(6)), [], POLICY) == []  # day 7 is the milestone's


def test_each_renewal_date_gets_its_own_reminder() -> None:
    yearly = CustomerFacts(6, renewal_date=date(2026, 12, 20))
    [first] = due(yearly, morning(date(2026, 11, 20)), [], POLICY)
    assert (first.trigger, first.occasion) == (Trigger.RENEWAL_REMINDER, "2026-12-20")
    assert due(yearly, morning(date(2026, 11, 19)), [], POLICY) == []  # 31 days ahead
    assert due(yearly, morning(date(2026, 12, 21)), [], POLICY) == []  # already renewed
    renewed = CustomerFacts(6, renewal_date=date(2027, 12, 20))
    [second] = due(renewed, morning(date(2027, 11, 25)), [], POLICY)
    assert second.occasion == "2027-12-20"


def test_announcements_reach_customers_active_in_the_last_30_days_while_they_are_recent() -> None:
    news = Announcement(7, "Agora dá para exportar relatórios em PDF", morning(date(2026, 12, 1)))
    now = morning(date(2026, 12, 2))
    active = CustomerFacts(7, active_at=now - timedelta(days=29))
    asleep = CustomerFacts(8, active_at=now - timedelta(days=31))
    never = CustomerFacts(9)
    [item] = due(active, now, [news], POLICY)
    assert (item.trigger, item.occasion) == (Trigger.FEATURE_ANNOUNCEMENT, "7")
    assert due(asleep, now, [news], POLICY) == due(never, now, [news], POLICY) == []
    assert due(active, morning(date(2026, 12, 9)), [news], POLICY) == []  # a week later it is old news


@pytest.mark.parametrize(
    ("local", "quiet"),
    [("19:59", False), ("20:00", True), ("23:30", True), ("03:00", True), ("07:59", True), ("08:00", False)],
)
def test_quiet_hours_are_20_to_8_in_sao_paulo(local: str, quiet: bool) -> None:
    hour, minute = map(int, local.split(":"))
    at = datetime(2026, 12, 7, hour, minute, tzinfo=SP)
    assert POLICY.quiet(at.astimezone(UTC)) is quiet
