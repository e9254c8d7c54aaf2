"""Numbers, dates and counts as Brazilians write them: one formatter for every screen."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.common import ptbr


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (4.5, 1, "4,5"),
        (0.0, 1, "0,0"),
        (4.25, 2, "4,25"),
        (1234.5, 1, "1234,5"),
        (-0.86, 1, "-0,9"),
        (3.0, 0, "3"),
    ],
)
def test_decimal_has_a_comma(value: float, digits: int, shown: str) -> None:
    assert ptbr.decimal(value, digits) == shown


@pytest.mark.parametrize(("value", "shown"), [(0.724, "72%"), (1.0, "100%"), (0.0, "0%"), (0.005, "0%")])
def test_percent_is_whole(value: float, shown: str) -> None:
    assert ptbr.percent(value) == shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [(41_900_000, "41,9 MB"), (100_000_000, "100 MB"), (4_000, "4 KB"), (10, "1 KB"), (999_999, "1000 KB")],
)
def test_file_size(size: int, shown: str) -> None:
    assert ptbr.file_size(size) == shown


def test_moment_is_a_time_today_and_a_weekday_another_day() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=ptbr.SAO_PAULO)  # a Monday
    assert ptbr.moment(now.replace(hour=14, minute=30), now) == "14:30"
    assert ptbr.moment(datetime(2026, 3, 7, 9, 5, tzinfo=ptbr.SAO_PAULO), now) == "sáb 07/03 09:05"
    assert ptbr.WEEKDAY_NAMES[now.weekday()] == "segunda-feira"


def test_count_agrees_with_the_number() -> None:
    assert ptbr.count(1, "ticket") == "1 ticket"
    assert ptbr.count(0, "ticket") == "0 tickets"
    assert ptbr.count(2, "avaliação", "avaliações") == "2 avaliações"
    assert ptbr.plural(1, "falhou", "falharam") == "falhou"
    assert ptbr.plural(3, "falhou", "falharam") == "falharam"


def test_the_desk_zone() -> None:
    assert ptbr.SAO_PAULO.key == "America/Sao_Paulo"


def test_dates_are_day_month_year_and_near_times_are_said_in_sao_paulo() -> None:
    assert ptbr.day(date(2026, 3, 5)) == "05/03/2026"
    assert ptbr.day_time(datetime(2026, 12, 7, 9, 5)) == "07/12/2026 09:05"
    # 02:30 UTC on the 8th is still the 7th, 23:30, in São Paulo
    assert ptbr.day_at(datetime(2026, 12, 8, 2, 30, tzinfo=UTC)) == "07/12 às 23:30"
