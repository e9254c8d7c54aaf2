"""Proof for issue 19 step 3: each old pt-BR formatter renders exactly as its core.common.ptbr twin.

Dropped in the next commit together with the old formatters (a unit test of ptbr stays)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core import texts
from core.common import errors, labels, ptbr
from core.reports import texts as report_texts

floats = st.floats(allow_nan=True, allow_infinity=True)
digits = st.integers(min_value=0, max_value=6)
words = st.text(max_size=12)


@settings(max_examples=3000)
@given(floats)
def test_percent(value: float) -> None:
    assert ptbr.percent(value) == texts.percent(value)
    assert ptbr.percent(value) == f"{value * 100:.0f}%"  # qa_trigger, qa_criterion, report growth


@settings(max_examples=3000)
@given(floats | st.none())
def test_percent_or_dash(value: float | None) -> None:
    assert ptbr.percent_or_dash(value) == report_texts.percent(value)


@settings(max_examples=3000)
@given(floats, digits)
def test_decimal(value: float, n: int) -> None:
    assert ptbr.decimal(value) == texts.decimal(value) == report_texts.number(value)
    assert ptbr.decimal(value, n) == report_texts.number(value, n)
    assert ptbr.decimal(value, 2) == f"{value:.2f}".replace(".", ",")  # qa_scored, qa_trigger
    assert ptbr.decimal(value) == f"{value:.1f}".replace(".", ",")  # qa_trigger's floor


@settings(max_examples=3000)
@given(st.integers(min_value=0, max_value=10**13))
def test_file_size(size: int) -> None:
    assert ptbr.file_size(size) == errors._size(size)


@settings(max_examples=3000)
@given(st.datetimes(), st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)))
def test_moment(now: datetime, ahead: timedelta) -> None:
    at = now + ahead if datetime.min + timedelta(days=31) < now < datetime.max - timedelta(days=31) else now
    assert ptbr.moment(at, now) == texts.moment(at, now)
    assert ptbr.WEEKDAYS == texts.WEEKDAYS
    assert ptbr.WEEKDAY_NAMES == texts._WEEKDAYS


@settings(max_examples=3000)
@given(st.integers(min_value=-5, max_value=10**6), words, words | st.none())
def test_count(n: int, one: str, many: str | None) -> None:
    assert ptbr.count(n, one, many) == labels.count(n, one, many)
    assert ptbr.plural(n, one, many) == labels.plural(n, one, many)


def test_zone() -> None:
    from core.broadcast import texts as broadcast_texts
    from core.common.business_hours import BusinessHours
    from core.crisis import service
    from core.journeys.policy import JourneyPolicy

    assert ptbr.SAO_PAULO == broadcast_texts.SAO_PAULO == service.SAO_PAULO == JourneyPolicy().zone
    assert BusinessHours().zone == ptbr.SAO_PAULO and ptbr.SAO_PAULO.key == "America/Sao_Paulo"
