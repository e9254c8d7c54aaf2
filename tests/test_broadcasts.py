"""The broadcast engine: the right message for each customer, the daily limit, statuses, pause and cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.broadcast.model import BroadcastState
from core.common.labels import BROADCAST_KIND as KIND_LABELS
from core.customers.model import Channel
from core.journeys.policy import JOURNEY_KIND, Trigger
from testing.clock import FixedClock
from testing.slack_payloads import slack_block_action
from testing.telegram_bot_api import FakeTelegramAPI
from testing.whatsapp_webhooks import wa_status, wa_text_message
from tests.broadcast_helpers import add_customers, wait_finished, wait_state
from tests.conftest import CHANNEL, Desk, StartDesk

BOSS = "UBOSS"
NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
NOTICE = "Olá! Estamos com instabilidade no sistema.\nNosso time já está trabalhando nisso."


def phones(count: int, start: int = 0) -> list[str]:
    return [f"55119{n:08d}" for n in range(start, start + count)]


async def test_free_text_inside_the_window_the_template_outside_and_opted_out_skipped(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    desk.graph.enforce_windows()
    desk.graph.approve_templates("aviso_importante")
    wrote, silent, opted = "5511990000001", "5511990000002", "5511990000003"
    await desk.whatsapp(wa_text_message(wrote, "Ana", "oi, o sistema caiu?"))
    desk.graph.customer_wrote(wrote)
    await desk.settle()
    [wrote_id] = [r[0] for r in await desk.rows("SELECT id FROM customers WHERE address = ?", wrote)]
    others = await add_customers(desk, [silent, opted], at=datetime.now(UTC))
    await desk.rows(
        "UPDATE customers SET opted_out_at = '2026-01-01T00:00:00+00:00' WHERE address = ?", opted
    )

    broadcast_id = await desk.bot.broadcasts.enqueue(
        "crisis", "test-1", [wrote_id, *others], NOTICE, "aviso_importante", actor=BOSS
    )
    await wait_finished(desk, broadcast_id)

    assert desk.graph.sent_texts(wrote)[-1] == NOTICE
    [template] = desk.graph.sent_templates(silent)
    assert template["template"]["name"] == "aviso_importante"
    assert template["template"]["language"] == {"code": "pt_BR"}
    [body] = template["template"]["components"]
    assert body["parameters"][0]["text"] == NOTICE.replace("\n", " ")  # variables are one line
    assert desk.graph.sent_to(opted) == []
    assert await desk.rows(
        "SELECT c.address, r.state, r.via, r.reason FROM broadcast_recipients r"
        " JOIN customers c ON c.id = r.customer_id ORDER BY c.address"
    ) == [
        (wrote, "sent", "text", None),
        (silent, "sent", "template", None),
        (opted, "skipped", None, "opted_out"),
    ]
    # the progress message ends with the tally and no buttons
    [progress] = [m for m in desk.slack.channel_messages(CHANNEL) if "Envio #" in m.get("text", "")]
    final = desk.slack.message(CHANNEL, progress["ts"])
    assert final is not None
    shown = final["blocks"][0]["text"]["text"]
    assert "concluído" in shown and "2 de 3 enviadas" in shown and "PARAR" in shown
    assert all(block["type"] != "actions" for block in final["blocks"])


async def test_without_a_template_customers_outside_the_window_are_skipped_not_refused(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk()
    desk.graph.enforce_windows()
    ids = await add_customers(desk, phones(2), at=datetime.now(UTC))
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "no-template", ids, NOTICE)
    await wait_finished(desk, broadcast_id)
    assert desk.graph.sent == []
    assert not [c for c in desk.graph.calls if c.method_name == "messages"]  # nothing WhatsApp would refuse
    tally = await desk.bot.broadcasts.tally(broadcast_id)
    assert tally.reasons == {"no_template": 2}


async def test_the_daily_limit_sends_what_fits_and_the_rest_a_day_later(start_desk: StartDesk) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(clock, whatsapp_daily_limit=3)
    desk.graph.clock = lambda: clock.now().timestamp()
    desk.graph.enforce_windows()
    ids = await add_customers(desk, phones(5), at=NOW)

    preview = await desk.bot.broadcasts.preview(ids, "aviso_importante")
    assert (preview.now, preview.later) == (3, 2)
    assert preview.later_from is None or preview.later_from > NOW

    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "limit", ids, NOTICE, "aviso_importante")
    await wait_state(desk, broadcast_id, "state = 'queued' AND not_before > 0")
    await desk.settle()
    await wait_state(desk, broadcast_id, "state = 'sent'")
    tally = await desk.bot.broadcasts.tally(broadcast_id)
    assert tally.sent == 3 and tally.waiting == 2
    assert (
        tally.deferred_until is not None and tally.deferred_until.timestamp() >= NOW.timestamp() + 24 * 3600
    )
    assert len(desk.graph.sent_templates()) == 3

    clock.advance(hours=24, minutes=1)
    desk.bot.broadcast_worker.wake()
    await wait_finished(desk, broadcast_id)
    assert len(desk.graph.sent_templates()) == 5
    assert len({m["to"] for m in desk.graph.sent}) == 5


async def test_delivery_statuses_move_recipients_forward(start_desk: StartDesk) -> None:
    desk = await start_desk(broadcast_progress_seconds=0.1)
    [phone] = phones(1)
    ids = await add_customers(desk, [phone], at=datetime.now(UTC))
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "statuses", ids, NOTICE, "aviso_importante")
    await wait_finished(desk, broadcast_id)
    [sent] = desk.graph.sent_to(phone)
    for state in ("delivered", "read", "delivered"):  # a late "delivered" does not undo "read"
        await desk.whatsapp(wa_status(sent["id"], state, phone))
    await desk.settle()
    assert await desk.rows("SELECT state FROM broadcast_recipients") == [("read",)]
    tally = await desk.bot.broadcasts.tally(broadcast_id)
    assert tally.sent == 1
    # the finished broadcast's tally is redrawn with what came after
    [progress] = [m for m in desk.slack.channel_messages(CHANNEL) if "Envio #" in m.get("text", "")]
    await desk.slack.wait_for(
        lambda fake: "1 lida ·" in fake.message(CHANNEL, progress["ts"])["blocks"][0]["text"]["text"]
    )


async def test_a_429_storm_is_waited_out_and_everyone_gets_one_message(start_desk: StartDesk) -> None:
    desk = await start_desk()
    desk.graph.fail("messages", status=429, times=30, retry_after=0.05)
    ids = await add_customers(desk, phones(40), at=datetime.now(UTC))
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "storm", ids, NOTICE, "aviso_importante")
    await wait_finished(desk, broadcast_id)
    assert sorted(m["to"] for m in desk.graph.sent) == phones(40)
    assert (await desk.bot.broadcasts.tally(broadcast_id)).sent == 40


async def test_pause_resume_and_cancel_from_the_progress_message(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS, broadcast_rate_per_second=20)
    ids = await add_customers(desk, phones(200), at=datetime.now(UTC))
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "pause", ids, NOTICE, "aviso_importante")
    await desk.slack.wait_for(
        lambda fake: any("Envio #" in m.get("text", "") for m in fake.channel_messages(CHANNEL))
    )
    [progress] = [m for m in desk.slack.channel_messages(CHANNEL) if "Envio #" in m.get("text", "")]

    async def press(action: str, user: str = BOSS) -> None:
        click = slack_block_action(
            action, str(broadcast_id), user_id=user, channel=CHANNEL, message_ts=progress["ts"]
        )
        assert (await desk.slack_event(click, content_type="application/x-www-form-urlencoded")).status == 200

    await wait_state(desk, broadcast_id, "state = 'sent'")
    await press("broadcast.pause", user="UAGENT")  # not a supervisor: refused and audited
    assert (await desk.bot.broadcasts.get(broadcast_id)).state is BroadcastState.RUNNING  # type: ignore[union-attr]
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UAGENT",)]

    await press("broadcast.pause")
    assert (await desk.bot.broadcasts.get(broadcast_id)).state is BroadcastState.PAUSED  # type: ignore[union-attr]
    await wait_state(
        desk,
        broadcast_id,
        "1 = 1 AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE state = 'sending')",
    )
    sent_while_paused = len(desk.graph.sent)
    assert 0 < sent_while_paused < 200
    await desk.settle()
    shown = desk.slack.message(CHANNEL, progress["ts"])
    assert shown is not None and "pausado" in shown["blocks"][0]["text"]["text"]
    assert [e["text"] for e in shown["blocks"][1]["elements"]] == [
        {"type": "plain_text", "text": "Retomar"},
        {"type": "plain_text", "text": "Cancelar"},
    ]
    assert len(desk.graph.sent) == sent_while_paused  # nothing more went out while paused

    await press("broadcast.resume")
    await wait_state(desk, broadcast_id, f"state = 'sent' AND id > {sent_while_paused + 5}")
    await press("broadcast.cancel")
    await wait_finished(desk, broadcast_id)
    tally = await desk.bot.broadcasts.tally(broadcast_id)
    assert 0 < tally.sent < 200 and tally.reasons == {"cancelled": 200 - tally.sent}
    assert len(desk.graph.sent) == tally.sent
    assert len({m["to"] for m in desk.graph.sent}) == tally.sent  # nobody twice


async def test_telegram_customers_get_free_text_whenever(tdesk: Desk, telegram: FakeTelegramAPI) -> None:
    [chat] = await add_customers(tdesk, ["700100200"], at=datetime.now(UTC), channel=Channel.TELEGRAM)
    broadcast_id = await tdesk.bot.broadcasts.enqueue(
        "crisis", "telegram", [chat], NOTICE, "aviso_importante"
    )
    await wait_finished(tdesk, broadcast_id)
    assert telegram.sent_texts(700100200) == [NOTICE]  # no window, no template on Telegram
    assert tdesk.graph.sent == []


async def test_a_window_about_to_close_gets_the_template_not_text(start_desk: StartDesk) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(clock)
    desk.graph.clock = lambda: clock.now().timestamp()
    desk.graph.enforce_windows()
    fresh, closing = "5511980000001", "5511980000002"
    for number, minutes_ago in ((fresh, 60), (closing, 24 * 60 - 2)):
        wrote = NOW - timedelta(minutes=minutes_ago)
        await desk.whatsapp(wa_text_message(number, "Cliente", "oi", timestamp=int(wrote.timestamp())))
        desk.graph.customer_wrote(number, wrote.timestamp())
    await desk.settle()
    ids = [row[0] for row in await desk.rows("SELECT id FROM customers ORDER BY address")]
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "margin", ids, NOTICE, "aviso_importante")
    await wait_finished(desk, broadcast_id)
    assert desk.graph.sent_texts(fresh)[-1] == NOTICE
    # two minutes left: a text could reach WhatsApp after the window closed (131047); the template cannot fail so
    assert [m["type"] for m in desk.graph.sent_to(closing)] == ["template"]


async def test_slack_throttling_the_progress_message_only_delays_it(start_desk: StartDesk) -> None:
    desk = await start_desk()
    desk.slack.fail("chat.update", status=429, times=3, retry_after=0.05)
    desk.slack.fail("chat.postMessage", status=503, times=2)
    ids = await add_customers(desk, phones(30), at=datetime.now(UTC))
    broadcast_id = await desk.bot.broadcasts.enqueue("crisis", "slack-429", ids, NOTICE, "aviso_importante")
    await wait_finished(desk, broadcast_id)
    [progress] = [m for m in desk.slack.channel_messages(CHANNEL) if "Envio #" in m.get("text", "")]
    final = desk.slack.message(CHANNEL, progress["ts"])
    assert final is not None and "30 de 30 enviadas" in final["blocks"][0]["text"]["text"]


async def test_journey_messages_wait_out_quiet_hours_and_crisis_notices_do_not(start_desk: StartDesk) -> None:
    evening = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 20:30 in São Paulo: quiet hours
    clock = FixedClock(evening)
    desk = await start_desk(clock, slack_supervisors=BOSS)
    desk.graph.approve_templates("aviso_importante")
    journey_phone, crisis_phone = phones(2, start=700)
    journey_id, crisis_id = await add_customers(desk, [journey_phone, crisis_phone], at=evening)

    # queued by a run that started before 20:00 and was still going (or waited for the daily limit)
    held = await desk.bot.broadcasts.enqueue(
        "journey:health_check", "quiet-1", [journey_id], "Como está indo?", "aviso_importante", actor=BOSS
    )
    urgent = await desk.bot.broadcasts.enqueue(
        "crise", "quiet-2", [crisis_id], NOTICE, "aviso_importante", actor=BOSS
    )
    await wait_finished(desk, urgent)
    assert desk.graph.sent_templates(crisis_phone)
    await wait_state(desk, held, f"state = 'queued' AND not_before > {evening.timestamp()}")
    assert desk.graph.sent_to(journey_phone) == []
    [(not_before,)] = await desk.rows(
        "SELECT not_before FROM broadcast_recipients WHERE broadcast_id = ?", held
    )
    assert datetime.fromtimestamp(not_before, UTC) == datetime(2026, 3, 11, 11, 0, tzinfo=UTC)  # 08:00 there

    clock.advance(hours=11, minutes=30)
    await wait_finished(desk, held)
    assert desk.graph.sent_templates(journey_phone)


async def test_the_final_tally_counts_delivered_read_and_failed_with_reasons(start_desk: StartDesk) -> None:
    desk = await start_desk(broadcast_progress_seconds=0.1)
    desk.graph.approve_templates("aviso_importante")
    read_it, lost, skipped = phones(3, start=800)
    ids = await add_customers(desk, [read_it, lost, skipped], at=datetime.now(UTC))
    await desk.rows(
        "UPDATE customers SET opted_out_at = '2026-01-01T00:00:00+00:00' WHERE address = ?", skipped
    )
    broadcast_id = await desk.bot.broadcasts.enqueue("crise", "tally", ids, NOTICE, "aviso_importante")
    await wait_finished(desk, broadcast_id)
    [first] = desk.graph.sent_to(read_it)
    [second] = desk.graph.sent_to(lost)
    await desk.whatsapp(wa_status(first["id"], "delivered", read_it))
    await desk.whatsapp(wa_status(first["id"], "read", read_it))
    await desk.whatsapp(wa_status(second["id"], "failed", lost))  # 131026: the number has no WhatsApp
    await desk.settle()
    [progress] = [m for m in desk.slack.channel_messages(CHANNEL) if "Envio #" in m.get("text", "")]

    def shown(fake) -> str:  # type: ignore[no-untyped-def]
        return fake.message(CHANNEL, progress["ts"])["blocks"][0]["text"]["text"]

    await desk.slack.wait_for(lambda fake: "1 falhou" in shown(fake))
    final = shown(desk.slack)
    assert final.startswith(f"*📣 Envio #{broadcast_id}* (aviso de crise) · ✅ concluído")
    assert "1 de 3 enviadas · 1 entregue · 1 lida · 1 falhou · 1 pulada" in final  # a failure is not "sent"
    assert "Motivos:" in final
    assert "número indisponível ou sem WhatsApp: 1" in final and "pediu para não receber (PARAR): 1" in final


def test_every_journey_broadcast_is_named_in_portuguese_on_the_desk() -> None:
    assert all(JOURNEY_KIND + trigger in KIND_LABELS for trigger in Trigger)
