"""Every report metric on a hand-built week whose answers were worked out on paper.

The week is Mon 23 to Sun 29 Nov 2026 in São Paulo (UTC-3, business hours 08-18 Mon-Fri).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.common.business_hours import BusinessHours
from core.reports import texts as report_texts
from core.reports.metrics import BusinessIndex, compute, nps_score, stats
from core.reports.model import CostPolicy, CsatRow, ModelRow, NpsRow, Rate, ReportInput, TicketRow

SP = ZoneInfo("America/Sao_Paulo")
HOURS = BusinessHours()


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of November 2026 in São Paulo."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SP)


TICKETS = [
    # Mon 09:00, answered 10:30, resolved 12:00: first contact resolution, rated 5
    TicketRow(
        1,
        101,
        "whatsapp",
        at(23, 9),
        at(23, 12),
        "billing",
        "medium",
        first_human_at=at(23, 10, 30),
        last_customer_at=at(23, 9),
        human_replies=2,
        csat=5,
    ),
    # Mon 17:00 (in hours), answered Tue 09:00 (2 business hours), escalated, resolved Tue 17:00 (24 h)
    TicketRow(
        2,
        102,
        "whatsapp",
        at(23, 17),
        at(24, 17),
        "technical",
        "high",
        first_human_at=at(24, 9),
        last_customer_at=at(24, 10),
        human_replies=3,
        escalated=True,
        csat=3,
    ),
    # Saturday: the AI answers in a minute and closes; the customer rates 4: a verified AI resolution
    TicketRow(
        3,
        103,
        "telegram",
        at(28, 10),
        at(28, 10, 5),
        "billing",
        "low",
        first_ai_at=at(28, 10, 1),
        last_customer_at=at(28, 10),
        ai_replies=1,
        csat=4,
    ),
    # Wed 20:00 (after hours): AI answers at once, a person at Thu 08:30 (12.5 h): a hand-off, still open
    TicketRow(
        4,
        104,
        "whatsapp",
        at(25, 20),
        None,
        None,
        None,
        first_human_at=at(26, 8, 30),
        first_ai_at=at(25, 20, 0, 30),
        last_customer_at=at(25, 20),
        human_replies=1,
        ai_replies=1,
    ),
    # Thu critical: answered in 30 min, reopened 13:00, answered again 13:20, resolved 16:00 (7 h > 4 h)
    TicketRow(
        5,
        105,
        "whatsapp",
        at(26, 9),
        at(26, 16),
        "technical",
        "critical",
        first_human_at=at(26, 9, 30),
        last_customer_at=at(26, 13),
        human_replies=2,
        reopened_at=at(26, 13),
        human_after_reopen_at=at(26, 13, 20),
    ),
]

DATA = ReportInput(
    start=at(23, 0),
    end=at(30, 0),
    now=at(30, 0),
    tickets=TICKETS,
    previous_categories={"billing": 1, "technical": 2},
    csat=[
        CsatRow(1, 5, at(23, 12, 30), "whatsapp"),
        CsatRow(2, 3, at(24, 18), "whatsapp"),
        CsatRow(3, 4, at(28, 10, 10), "telegram"),
    ],
    nps=[
        NpsRow(101, 10, at(23, 13)),
        NpsRow(102, 9, at(24, 19)),
        NpsRow(103, 7, at(28, 11)),
        NpsRow(104, 3, at(27, 9)),
    ],
    models=[
        ModelRow("gemini-2.5-flash", 90, 0.09, 90 * 1200.0, triaged=50, requires_human=10),
        ModelRow("gpt-4o-mini", 10, 0.05, 10 * 2800.0, triaged=5, requires_human=1),
    ],
    drafts={"sent": 3, "edited": 1},
    ai_log=True,
)

H = 3600.0


@pytest.fixture(scope="module")
def report():
    return compute(DATA, HOURS, CostPolicy(hourly_usd=10.0, minutes_per_reply=5.0))


def test_volume_by_channel_and_category(report) -> None:
    assert report.total == 5
    assert report.by_channel == {"whatsapp": 4, "telegram": 1}
    assert report.by_category == {"billing": 2, "technical": 2, "sem categoria": 1}


def test_first_response_counts_people_only_in_calendar_and_business_hours(report) -> None:
    # samples: 1.5 h, 16 h, 12.5 h, 0.5 h, and 20 min after the reopening; the AI's answers do not count
    assert report.first_response.count == 5
    assert report.first_response.mean == pytest.approx((5400 + 57600 + 45000 + 1800 + 1200) / 5)
    assert report.first_response.median == 5400
    assert report.first_response.p90 == pytest.approx(45000 + 0.6 * 12600)
    # business: 1.5 h; Mon 17-18 + Tue 08-09 = 2 h; Wed 20:00 -> Thu 08:30 = 30 min; 30 min; 20 min
    assert report.first_response_business.mean == pytest.approx((5400 + 7200 + 1800 + 1800 + 1200) / 5)
    assert report.first_response_business.median == 1800
    assert report.first_response_business.p90 == pytest.approx(5400 + 0.6 * 1800)
    assert (report.ai_first_response.count, report.ai_first_response.mean) == (2, 45)


def test_resolution_time_in_calendar_and_business_hours(report) -> None:
    assert report.resolution.count == 4
    assert report.resolution.mean == pytest.approx((10800 + 86400 + 300 + 25200) / 4)
    assert report.resolution.median == pytest.approx((10800 + 25200) / 2)
    assert report.resolution.p90 == pytest.approx(25200 + 0.7 * (86400 - 25200))
    # business: 3 h; Mon 1 h + Tue 9 h; Saturday 0; 7 h
    assert report.resolution_business.mean == pytest.approx((10800 + 36000 + 0 + 25200) / 4)
    assert report.resolution_business.p90 == pytest.approx(25200 + 0.7 * 10800)


def test_rates_fcr_escalation_and_the_ai(report) -> None:
    assert report.fcr == Rate(2, 4)  # tickets 1 and 3; 2 was escalated, 5 reopened
    assert report.escalation == Rate(1, 5)
    assert report.ai_resolution == Rate(1, 5)  # ticket 3, verified by its rating of 4
    assert report.handoff == Rate(1, 2)  # ticket 4
    assert report.ai_accuracy == Rate(3 + 1, 4 + 2)  # unedited drafts + ticket 3 kept


def test_satisfaction_nps_and_costs(report) -> None:
    assert report.csat.mean == pytest.approx(4.0)
    assert report.csat_by_channel == {"telegram": 4.0, "whatsapp": 4.0}
    assert report.nps == pytest.approx(25.0)  # 2 promoters, 1 detractor of 4
    assert report.ai_cost_usd == pytest.approx(0.14)
    assert report.ai_cost_per_ticket == pytest.approx(0.028)
    [gemini, gpt] = report.models
    assert (gemini.model, gemini.share, gemini.latency_ms) == ("gemini-2.5-flash", 0.9, 1200.0)
    assert gemini.escalation == Rate(10, 50) and gpt.latency_ms == 2800.0
    assert report.human_replies == 8
    assert report.human_hours == pytest.approx(40 / 60)
    assert report.human_cost_usd == pytest.approx(40 / 60 * 10)


def test_each_slo_is_marked_met_or_missed(report) -> None:
    slos = {slo.key: slo for slo in report.slos}
    # tickets 3 (no person after 38 h on a weekend) and 4 (12.5 h after hours) missed the first response
    assert (slos["first_response"].actual, slos["first_response"].breaches) == (pytest.approx(0.6), 2)
    # ticket 4 still open after 100 h; ticket 5 critical and resolved in 7 h
    assert (slos["resolution"].actual, slos["resolution"].breaches) == (pytest.approx(0.6), 2)
    assert [slos[k].met for k in ("first_response", "resolution", "csat", "fcr", "escalation")] == [
        False,
        False,
        False,
        False,
        False,
    ]


def test_insights_name_rising_categories_and_breaches(report) -> None:
    assert report.rising == [("billing", 1, 2), ("sem categoria", 0, 1)]
    lines = report_texts.insights(report)
    assert lines[0] == "📈 *Cobrança* subiu de 1 para 2 tickets (+100%)."
    assert "⚠️ 2 tickets esperaram demais pela 1ª resposta de uma pessoa." in lines
    assert "⚠️ Escalonamento de 20% acima do limite de 15%." in lines


def test_daily_series_for_the_charts(report) -> None:
    assert report.daily_volume[date(2026, 11, 23)] == {"billing": 1, "technical": 1}
    assert report.daily_first_response[date(2026, 11, 23)] == pytest.approx(8.75)
    assert report.daily_csat == {date(2026, 11, 23): 5.0, date(2026, 11, 24): 3.0, date(2026, 11, 28): 4.0}


def test_the_summary_reads_every_metric(report) -> None:
    text = report_texts.summary(report, "semana", (DATA.start, DATA.end))
    for expected in (
        "5 tickets",
        "WhatsApp 4",
        "Telegram 1",
        "50% (2 de 4)",
        "NPS: +25",
        "US$ 0,14",
        "gemini-2.5-flash: 90% das chamadas · 1,2 s",
        "❌ CSAT > 4,5: 4,0",
        "Custo humano",
    ):
        assert expected in text


def test_ai_metrics_say_when_the_ai_log_is_missing() -> None:
    bare = compute(ReportInput(DATA.start, DATA.end, DATA.now, TICKETS[:2]), HOURS)
    assert bare.models == [] and bare.ai_cost_usd == 0
    assert "ainda não existe" in report_texts.summary(bare, "semana", (DATA.start, DATA.end))


def test_an_ai_resolution_waits_72_hours_without_a_rating_and_a_return_cancels_it() -> None:
    quiet = TicketRow(1, 1, "whatsapp", at(2, 10), at(2, 10, 5), first_ai_at=at(2, 10, 1), ai_replies=1)
    back = TicketRow(
        2,
        2,
        "whatsapp",
        at(2, 10),
        at(2, 10, 5),
        first_ai_at=at(2, 10, 1),
        ai_replies=1,
        next_ticket_at=at(3, 9),
    )
    early = compute(ReportInput(at(2, 0), at(3, 0), at(4, 0), [quiet, back]), HOURS)
    assert (early.ai_resolution, early.ai_resolution_pending) == (Rate(0, 2), 1)
    later = compute(ReportInput(at(2, 0), at(3, 0), at(6, 0), [quiet, back]), HOURS)
    assert (later.ai_resolution, later.ai_resolution_pending) == (Rate(1, 2), 0)


def test_stats_and_nps_edge_cases() -> None:
    assert stats([]).count == 0 and stats([]).mean is None
    assert stats([7.0]).p90 == 7.0
    assert stats([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]).p90 == pytest.approx(9.1)
    assert (
        nps_score([]) is None
        and nps_score([10, 10]) == 100.0
        and nps_score([0, 6, 8]) == pytest.approx(-66.67, 0.01)
    )


def test_business_index_agrees_with_business_hours_across_weekends_and_holidays() -> None:
    rng = random.Random(7)
    index = BusinessIndex(HOURS, date(2026, 11, 1), date(2027, 1, 10))
    base = at(1, 0)
    for _ in range(2000):
        a = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 65))
        b = a + timedelta(minutes=rng.randrange(0, 60 * 24 * 9))
        assert index.elapsed(a, b) == pytest.approx(HOURS.elapsed(a, b).total_seconds()), (a, b)
        assert index.is_open(a) == HOURS.is_open(a)
    # Friday 20 Nov 2026 is a national holiday (Consciência Negra): Thu 17:00 -> Mon 09:00 is 2 h
    assert index.elapsed(at(19, 17), at(23, 9)) == 2 * H
    # outside the indexed range it falls back to BusinessHours itself
    assert (
        index.elapsed(at(19, 17), datetime(2027, 3, 1, 9, tzinfo=SP))
        == HOURS.elapsed(at(19, 17), datetime(2027, 3, 1, 9, tzinfo=SP)).total_seconds()
    )
