"""Supervisors ask for reports in Slack and get them posted with charts; the weekly one posts itself."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.feedback import texts as feedback_texts
from core.reports import texts as report_texts
from core.reports.desk import Period, ReportDesk, weekly_slot, window
from core.tickets import texts as tickets_texts
from handlers.slack import markup
from testing.clock import FixedClock
from testing.whatsapp_webhooks import wa_list_reply, wa_text_message
from tests.conftest import Desk, StartDesk
from tests.test_conversation_loop import agent_says, click

SP = ZoneInfo("America/Sao_Paulo")
REPORTS = "CREPORTS"
BOSS = "UBOSS"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def supervised(start_desk: StartDesk) -> Desk:
    return await start_desk(
        slack_supervisors=BOSS, slack_reports_channel=REPORTS, slack_qa_channel="CQA", weekly_report=False
    )


async def a_rated_conversation(desk: Desk, phone: str, name: str, ticket: int, score: int) -> None:
    await desk.whatsapp(wa_text_message(phone, name, "Como emito um boleto?"))
    await desk.settle()
    parent = desk.parents()[-1]
    await agent_says(desk, parent["ts"], "UANA", "Oi! No menu Cobranças, clique em Novo boleto.")
    await click(desk, "ticket.resolve", ticket, "UANA", parent["ts"])
    await desk.settle()
    title, _ = feedback_texts.CSAT_OPTIONS[score]
    await desk.whatsapp(wa_list_reply(phone, name, f"csat:{ticket}:{score}", title))
    await desk.settle()


async def test_a_non_supervisor_is_refused_privately_and_the_refusal_is_audited(
    start_desk: StartDesk,
) -> None:
    desk = await supervised(start_desk)
    answer = await desk.command("relatorio semana", user="UAGENT")
    assert answer["text"] == tickets_texts.SUPERVISORS_ONLY and answer["response_type"] == "ephemeral"
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UAGENT", "/suporte relatorio")
    ]
    await desk.settle()
    assert desk.slack.channel_messages(REPORTS) == []


async def test_the_report_is_acknowledged_at_once_then_posted_with_charts_and_csv(
    start_desk: StartDesk,
) -> None:
    desk = await supervised(start_desk)
    await a_rated_conversation(desk, "5511987650001", "Maria", 1, 5)
    await a_rated_conversation(desk, "5511987650002", "João", 2, 3)

    answer = await desk.command("relatorio semana --csv", user=BOSS)
    assert answer["text"] == report_texts.report_queued("semana", markup.channel(REPORTS))
    await desk.settle(timeout=30)

    [post, charts_post] = desk.slack.channel_messages(REPORTS)
    assert post["text"].startswith("📊 *Relatório da semana*")
    assert "2 tickets" in post["text"] and "CSAT: 4,0 (2 avaliações" in post["text"]
    assert charts_post["text"] == report_texts.CHARTS_COMMENT
    pictures = {f["name"]: f for f in desk.slack.files.values() if f["name"].endswith(".png")}
    assert set(pictures) == {"volume.png", "first_response.png", "csat.png"}
    assert all(f["data"].startswith(PNG_MAGIC) and f["channel"] == REPORTS for f in pictures.values())

    [table] = [f for f in desk.slack.files.values() if f["name"] == "relatorio.csv"]
    assert table["thread_ts"] == post["ts"]
    rows = list(csv.DictReader(io.StringIO(table["data"].decode())))
    assert [(r["id"], r["csat"], r["human_replies"]) for r in rows] == [("1", "5", "1"), ("2", "3", "1")]
    assert await desk.rows("SELECT actor, action FROM events WHERE action = 'report.requested'") == [
        (BOSS, "report.requested")
    ]


async def test_without_a_reports_channel_the_report_goes_where_it_was_asked(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    await desk.command("relatorio hoje", user=BOSS, channel="CBOSSDM")
    await desk.settle(timeout=30)
    [post] = desk.slack.channel_messages("CBOSSDM")
    assert post["text"].startswith("📊 *Relatório de hoje*") and "0 tickets" in post["text"]


async def test_an_unknown_period_explains_the_usage(start_desk: StartDesk) -> None:
    desk = await supervised(start_desk)
    answer = await desk.command("relatorio ano", user=BOSS)
    assert answer["text"] == report_texts.UNKNOWN_PERIOD


async def test_the_weekly_report_posts_itself_once_a_week_even_across_restarts(start_desk: StartDesk) -> None:
    desk = await supervised(start_desk)
    sunday = datetime(2026, 11, 15, 12, tzinfo=SP)  # in the past, so the outbox finds the rows due
    clock = FixedClock(sunday)

    def scheduler() -> ReportDesk:  # a fresh one stands for a restarted bot
        return ReportDesk(desk.bot.store, clock, SP, on_commit=desk.bot.outbox_worker.wake)

    assert await scheduler().weekly_if_due(REPORTS, weekday=0, hour=8)  # this week's Monday 08:00 has passed
    assert not await scheduler().weekly_if_due(REPORTS, weekday=0, hour=8)
    clock.moment = datetime(2026, 11, 16, 7, 59, tzinfo=SP)  # next Monday, a minute early
    assert not await scheduler().weekly_if_due(REPORTS, weekday=0, hour=8)
    clock.moment = datetime(2026, 11, 16, 8, 0, tzinfo=SP)
    assert await scheduler().weekly_if_due(REPORTS, weekday=0, hour=8)
    await desk.settle(timeout=30)
    posts = [m for m in desk.slack.channel_messages(REPORTS) if m["text"].startswith("📊")]
    assert [p["text"].split("\n")[0] for p in posts] == [
        "📊 *Relatório da semana* — 02/11/2026 08:00 a 09/11/2026 08:00",
        "📊 *Relatório da semana* — 09/11/2026 08:00 a 16/11/2026 08:00",
    ]


def test_report_windows_and_weekly_slots() -> None:
    now = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)  # Wed 12:30 in São Paulo
    assert window(Period.TODAY, now, SP) == (datetime(2026, 11, 25, tzinfo=SP), now)
    assert window(Period.MONTH, now, SP) == (now - timedelta(days=30), now)
    assert weekly_slot(now, 2, 13, SP) is None  # Wednesday 13:00 is still ahead
    assert weekly_slot(now, 2, 12, SP) == ("report:weekly:2026-W48", datetime(2026, 11, 25, 12, tzinfo=SP))
