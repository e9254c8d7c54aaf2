"""The SLA clock as agents see it: due times in business hours, warnings and breaches in Slack,
the pause while waiting for the customer, restarts, and the polite auto-close."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from testing.clock import FixedClock
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk
from tests.test_conversation_loop import agent_says, click

SP = ZoneInfo("America/Sao_Paulo")
MARIA = "5511987651234"
MONDAY_10 = datetime(2025, 9, 15, 10, 0, tzinfo=SP)  # a plain Monday, in the past: effects are due at once
QUIET = {"sla_tick_seconds": 3600.0, "slack_tier1_group": "S1"}


async def customer_writes(desk: Desk, clock: FixedClock, text: str = "Oi, preciso de ajuda") -> None:
    """Maria writes now (the webhook carries the clock's time)."""
    await desk.whatsapp(wa_text_message(MARIA, "Maria", text, timestamp=int(clock.now().timestamp())))
    await desk.settle()


async def due_times(desk: Desk) -> dict[str, tuple[str, datetime]]:
    rows = await desk.rows("SELECT kind, state, due_at FROM sla_timers WHERE ticket_id = 1")
    return {kind: (state, datetime.fromtimestamp(due, SP)) for kind, state, due in rows}


async def tick(desk: Desk) -> None:
    await desk.bot.sla_ticker.tick()
    await desk.settle()


def texts_in_thread(desk: Desk) -> list[str]:
    [parent] = desk.parents()[:1]
    return [m["text"] for m in desk.thread_of(parent)]


async def started(start_desk: StartDesk, at: datetime, **settings: object) -> tuple[Desk, FixedClock]:
    clock = FixedClock(at)
    return await start_desk(clock=clock, **{**QUIET, **settings}), clock


async def test_whatsapp_first_response_warns_at_75_percent_then_breaches_with_mentions(
    start_desk: StartDesk,
) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    timers = await due_times(desk)
    assert timers["first_response"] == ("running", MONDAY_10 + timedelta(minutes=30))
    assert timers["resolution"] == ("running", datetime(2025, 9, 17, 14, 0, tzinfo=SP))  # 24 business hours

    clock.advance(minutes=22)
    await tick(desk)
    assert not any("SLA" in t for t in texts_in_thread(desk))
    clock.advance(minutes=1)  # 23 of 30 minutes: past 75%
    await tick(desk)
    [warning] = [t for t in texts_in_thread(desk) if "⏳" in t]
    assert "primeira resposta" in warning and "10:30" in warning

    clock.advance(minutes=8)
    await tick(desk)
    await tick(desk)  # a second tick does not repeat anything
    [breach] = [t for t in texts_in_thread(desk) if "🚨" in t]
    assert "primeira resposta estourado" in breach and "<!subteam^S1>" in breach  # nobody has it: the tier
    [post] = [m for m in desk.slack.channel_messages(CHANNEL) if "🚨" in m["text"]]
    assert "Ticket #1" in post["text"] and "<!subteam^S1>" in post["text"]
    assert "fake.slack.com/archives" in post["text"]
    assert await desk.rows("SELECT ticket_id, kind, tier FROM sla_breaches") == [(1, "first_response", 1)]


async def test_a_breach_mentions_the_assignee_when_someone_has_the_ticket(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    await click(desk, "ticket.claim", 1, "UANA", parent["ts"])
    clock.advance(minutes=31)
    await tick(desk)
    [breach] = [t for t in texts_in_thread(desk) if "🚨" in t]
    assert "<@UANA>" in breach and "subteam" not in breach


async def test_an_agent_answer_meets_the_first_response_and_pauses_the_clock_until_the_customer_answers(
    start_desk: StartDesk,
) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    clock.advance(minutes=10)
    await agent_says(desk, parent["ts"], "UANA", "Oi Maria! Você já tentou redefinir a senha?")
    await desk.settle()
    timers = await due_times(desk)
    assert timers["first_response"][0] == "met"
    assert timers["resolution"][0] == "paused"
    assert "Aguardando cliente" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])

    clock.set(datetime(2025, 9, 16, 9, 0, tzinfo=SP))  # the customer answers the next morning
    await customer_writes(desk, clock, "Tentei, não deu")
    timers = await due_times(desk)
    # 24 business hours, 10 minutes used before the pause: 23 h 50 min left from Tuesday 09:00
    assert timers["resolution"] == ("running", datetime(2025, 9, 18, 12, 50, tzinfo=SP))
    assert timers["auto_close"][0] == "stopped"
    assert "Em atendimento" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_due_times_skip_nights_weekends_and_holidays(start_desk: StartDesk) -> None:
    friday_evening = datetime(2025, 9, 12, 17, 50, tzinfo=SP)
    desk, clock = await started(start_desk, friday_evening)
    await customer_writes(desk, clock)
    # 10 business minutes on Friday, 20 on Monday morning
    assert (await due_times(desk))["first_response"][1] == datetime(2025, 9, 15, 8, 20, tzinfo=SP)


async def test_christmas_is_not_a_business_day(start_desk: StartDesk) -> None:
    christmas_eve = datetime(2025, 12, 24, 17, 45, tzinfo=SP)  # Wednesday; Thursday is Christmas
    desk, clock = await started(start_desk, christmas_eve)
    await customer_writes(desk, clock)
    assert (await due_times(desk))["first_response"][1] == datetime(2025, 12, 26, 8, 15, tzinfo=SP)


async def test_after_hours_the_first_response_target_is_eight_hours_but_never_before_opening(
    start_desk: StartDesk,
) -> None:
    desk, clock = await started(start_desk, datetime(2025, 9, 16, 5, 0, tzinfo=SP))  # Tuesday, before opening
    await customer_writes(desk, clock)
    assert (await due_times(desk))["first_response"][1] == datetime(2025, 9, 16, 13, 0, tzinfo=SP)


async def test_targets_are_configurable(start_desk: StartDesk) -> None:
    desk, clock = await started(
        start_desk, MONDAY_10, sla_whatsapp_first_response_minutes=45, sla_resolution_hours=8
    )
    await customer_writes(desk, clock)
    timers = await due_times(desk)
    assert timers["first_response"][1] == MONDAY_10 + timedelta(minutes=45)
    assert timers["resolution"][1] == datetime(2025, 9, 15, 18, 0, tzinfo=SP)


async def test_a_restart_in_the_middle_of_a_timer_changes_nothing(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    before = await due_times(desk)
    await desk.bot.stop()

    clock.advance(hours=3)  # the bot was down while the first response came due
    desk = await start_desk(clock=clock, **QUIET)  # its first tick runs at start
    await tick(desk)
    await tick(desk)
    after = await due_times(desk)
    assert {kind: due for kind, (_, due) in after.items()} == {kind: due for kind, (_, due) in before.items()}
    assert await desk.rows("SELECT kind FROM sla_breaches") == [("first_response",)]
    assert len([t for t in texts_in_thread(desk) if "🚨" in t]) == 1


async def test_waiting_for_the_customer_closes_politely_after_48_business_hours(
    start_desk: StartDesk,
) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    await agent_says(desk, parent["ts"], "UANA", "Consegue me mandar um print da tela?")
    await desk.settle()
    clock.set(datetime(2025, 9, 19, 17, 0, tzinfo=SP))  # Friday: only 47 business hours later
    await tick(desk)
    assert "Aguardando cliente" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])

    clock.set(datetime(2025, 9, 22, 8, 30, tzinfo=SP))  # Monday morning: 48 h 30 min
    await tick(desk)
    assert "encerrar este atendimento" in desk.graph.sent_texts(MARIA)[-1]
    assert "Resolvido" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert any("Encerrado automaticamente" in t for t in texts_in_thread(desk))
    assert not any("🚨" in t for t in texts_in_thread(desk))  # the paused clocks never breached


async def test_status_buttons_pause_and_resume_the_clock(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    await click(desk, "ticket.waiting", 1, "UANA", parent["ts"])
    await desk.settle()
    assert (await due_times(desk))["resolution"][0] == "paused"
    blocks = str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert "*Status:* Aguardando cliente" in blocks and "Em atendimento" in blocks

    clock.advance(hours=1)
    await click(desk, "ticket.in_progress", 1, "UANA", parent["ts"])
    await desk.settle()
    state, due = (await due_times(desk))["resolution"]
    assert state == "running" and due == datetime(2025, 9, 17, 15, 0, tzinfo=SP)
    assert "*Status:* Em atendimento" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_reopen_restarts_the_clocks_in_the_same_thread(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await desk.settle()
    assert (await due_times(desk))["resolution"][0] == "met"

    clock.advance(hours=1)
    result = await desk.bot.support.reopen(1, "UCSAT", "CSAT 2: cliente insatisfeito")
    assert result.ok
    await desk.settle()
    assert len(desk.parents()) == 1
    assert "*Status:* Reaberto" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert any("reaberto: CSAT 2" in t for t in texts_in_thread(desk))
    timers = await due_times(desk)
    assert timers["first_response"] == ("running", MONDAY_10 + timedelta(hours=1, minutes=30))
    assert not (await desk.bot.support.reopen(1, "UCSAT", "de novo")).ok  # only a resolved ticket reopens


async def test_the_reopen_button_on_a_resolved_ticket(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock)
    [parent] = desk.parents()
    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await desk.settle()
    await click(desk, "ticket.reopen", 1, "UANA", parent["ts"])
    await desk.settle()
    assert "*Status:* Reaberto" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_a_critical_ticket_must_be_resolved_within_four_business_hours(start_desk: StartDesk) -> None:
    desk, clock = await started(start_desk, MONDAY_10)
    await customer_writes(desk, clock, "Perdi todos os dados da minha loja!")
    clock.advance(minutes=5)
    await desk.bot.support.mark_critical(1, "ai")
    assert (await due_times(desk))["resolution"] == ("running", MONDAY_10 + timedelta(hours=4))
