"""Business-hour arithmetic the SLA clock, out-of-hours answers and reports rely on."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.common.business_hours import BusinessHours

SP = ZoneInfo("America/Sao_Paulo")
hours = BusinessHours()


def sp(*args: int) -> datetime:
    return datetime(*args, tzinfo=SP)


def test_open_on_a_weekday_between_eight_and_six() -> None:
    assert hours.is_open(sp(2026, 11, 24, 8, 0))  # Tuesday
    assert hours.is_open(sp(2026, 11, 24, 17, 59))
    assert not hours.is_open(sp(2026, 11, 24, 18, 0))
    assert not hours.is_open(sp(2026, 11, 24, 7, 59))
    assert not hours.is_open(sp(2026, 11, 28, 10, 0))  # Saturday


def test_national_holidays_are_closed() -> None:
    assert not hours.is_open(sp(2026, 11, 20, 10, 0))  # Consciência Negra (national since 2024)
    assert not hours.is_open(sp(2026, 12, 25, 10, 0))
    assert not hours.is_open(sp(2026, 4, 3, 10, 0))  # Sexta-feira Santa
    assert hours.holiday(sp(2026, 9, 7).date())


def test_utc_input_is_read_in_sao_paulo_time() -> None:
    # 10:30 UTC is 07:30 in São Paulo (UTC-3, no daylight saving since 2019)
    assert not hours.is_open(datetime(2026, 11, 24, 10, 30, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 11, 24, 11, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (sp(2026, 11, 24, 10, 0), sp(2026, 11, 24, 10, 0)),  # open now
        (sp(2026, 11, 24, 6, 0), sp(2026, 11, 24, 8, 0)),  # early morning
        (sp(2026, 11, 24, 19, 0), sp(2026, 11, 25, 8, 0)),  # evening
        (sp(2026, 11, 27, 18, 30), sp(2026, 11, 30, 8, 0)),  # Friday night -> Monday
        (sp(2026, 11, 19, 18, 0), sp(2026, 11, 23, 8, 0)),  # Thu evening, Fri holiday -> Monday
        (sp(2026, 12, 24, 20, 0), sp(2026, 12, 28, 8, 0)),  # Christmas Eve -> past Christmas and weekend
    ],
)
def test_next_opening(at: datetime, opening: datetime) -> None:
    assert hours.next_opening(at) == opening


def test_elapsed_counts_only_open_time() -> None:
    assert hours.elapsed(sp(2026, 11, 24, 9, 0), sp(2026, 11, 24, 11, 30)) == timedelta(hours=2, minutes=30)
    # overnight: 17:00-18:00 plus 08:00-09:00
    assert hours.elapsed(sp(2026, 11, 24, 17, 0), sp(2026, 11, 25, 9, 0)) == timedelta(hours=2)
    # Friday 17:00 to Monday 09:00 over a weekend
    assert hours.elapsed(sp(2026, 11, 27, 17, 0), sp(2026, 11, 30, 9, 0)) == timedelta(hours=2)
    # entirely after hours
    assert hours.elapsed(sp(2026, 11, 24, 19, 0), sp(2026, 11, 24, 23, 0)) == timedelta(0)
    # a whole week: five days of ten hours, minus nothing
    assert hours.elapsed(sp(2026, 11, 23, 0, 0), sp(2026, 11, 30, 0, 0)) == timedelta(hours=50)
    # the week of 20 November loses the holiday
    assert hours.elapsed(sp(2026, 11, 16, 0, 0), sp(2026, 11, 23, 0, 0)) == timedelta(hours=40)
    assert hours.elapsed(sp(2026, 11, 24, 11, 0), sp(2026, 11, 24, 9, 0)) == timedelta(0)


def test_add_moves_a_due_time_over_nights_weekends_and_holidays() -> None:
    assert hours.add(sp(2026, 11, 24, 9, 0), timedelta(hours=2)) == sp(2026, 11, 24, 11, 0)
    assert hours.add(sp(2026, 11, 24, 17, 0), timedelta(hours=2)) == sp(2026, 11, 25, 9, 0)
    assert hours.add(sp(2026, 11, 27, 22, 0), timedelta(minutes=30)) == sp(2026, 11, 30, 8, 30)
    assert hours.add(sp(2026, 11, 19, 17, 0), timedelta(hours=2)) == sp(2026, 11, 23, 9, 0)
    # 48 business hours from Monday 08:00: four full days and eight hours of Friday
    assert hours.add(sp(2026, 11, 23, 8, 0), timedelta(hours=48)) == sp(2026, 11, 27, 16, 0)


def test_add_and_elapsed_agree() -> None:
    start = sp(2026, 12, 23, 15, 17)
    for minutes in (1, 59, 600, 601, 2_000, 10_000):
        due = hours.add(start, timedelta(minutes=minutes))
        assert hours.elapsed(start, due) == timedelta(minutes=minutes)


def test_custom_hours_and_bad_configuration() -> None:
    saturday_shop = BusinessHours(opens=time(9), closes=time(13), weekdays=range(6))
    assert saturday_shop.is_open(sp(2026, 11, 28, 10, 0))
    assert not saturday_shop.is_open(sp(2026, 11, 28, 14, 0))
    with pytest.raises(ValueError, match="close after"):
        BusinessHours(opens=time(18), closes=time(8))
    with pytest.raises(ValueError, match="weekday"):
        BusinessHours(weekdays=())
