"""Without a public URL the bot long-polls Telegram, confirming updates only once they are stored."""

from __future__ import annotations

from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_text
from tests.conftest import Desk, StartDesk, post_telegram, telegram_settings
from tests.test_conversation_loop import agent_says

BRUNO = 598765432


async def polling_desk(start_desk: StartDesk, telegram: FakeTelegramAPI) -> Desk:
    desk = await start_desk(**telegram_settings(telegram, polling=True))
    await telegram.wait_for(lambda fake: fake.calls_to("getUpdates"))
    return desk


async def test_polled_messages_reach_the_thread_and_replies_go_back(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    telegram.webhook = {"url": "https://old.example.com/hook"}  # left over from an earlier setup
    desk = await polling_desk(start_desk, telegram)
    assert telegram.calls_to("deleteWebhook") and telegram.webhook == {}

    telegram.push_update(tg_text(BRUNO, "Bruno Lima", "Boa tarde, meu Pix não caiu"))
    telegram.push_update(tg_text(BRUNO, "Bruno Lima", "Alguém aí?"))
    await desk.slack.wait_for(lambda fake: len(fake.messages) == 3)  # the parent and two replies
    await desk.settle()
    [parent] = desk.parents()
    assert "Telegram" in str(parent["blocks"])
    assert [m["text"] for m in desk.thread_of(parent)] == ["Boa tarde, meu Pix não caiu", "Alguém aí?"]

    await agent_says(desk, parent["ts"], "UANA", "Oi Bruno, vou verificar.")
    await desk.settle()
    assert telegram.sent_texts(BRUNO) == ["Oi Bruno, vou verificar."]
    # Telegram drops what the bot confirmed with the next offset
    await telegram.wait_for(lambda fake: fake.updates == [])


async def test_an_update_polled_again_after_a_restart_is_shown_once(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    update = tg_text(BRUNO, "Bruno", "Oi")
    desk = await polling_desk(start_desk, telegram)
    telegram.push_update(update)
    await desk.slack.wait_for(lambda fake: desk.parents())
    await desk.settle()
    await desk.bot.stop()

    telegram.push_update(update)  # never confirmed before the stop: Telegram sends it again
    again = await polling_desk(start_desk, telegram)
    await telegram.wait_for(lambda fake: fake.updates == [])
    await again.settle()
    [parent] = again.parents()
    assert [m["text"] for m in again.thread_of(parent)] == ["Oi"]


async def test_polling_survives_telegram_errors_and_throttling(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    telegram.fail("getUpdates", status=502, times=2)
    telegram.fail("getUpdates", status=429, retry_after=0.1)
    desk = await polling_desk(start_desk, telegram)
    telegram.push_update(tg_text(BRUNO, "Bruno", "Ainda funciona?"))
    await desk.slack.wait_for(lambda fake: desk.parents(), timeout=10)
    await desk.settle()
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["Ainda funciona?"]
    assert [c.status for c in telegram.calls_to("getUpdates")[:3]] == [502, 502, 429]


async def test_in_polling_mode_the_webhook_route_accepts_nothing(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await polling_desk(start_desk, telegram)
    for secret in (None, "", "qualquer-coisa"):
        assert (await post_telegram(desk, tg_text(BRUNO, "Bruno", "Oi"), secret=secret)).status == 403
    assert await desk.rows("SELECT * FROM inbox") == []


async def test_an_update_the_library_cannot_read_does_not_stop_polling(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await polling_desk(start_desk, telegram)
    odd = tg_text(BRUNO, "Bruno", "data estranha")
    odd["message"]["date"] = "ontem"  # python-telegram-bot cannot parse this update
    telegram.push_update(odd)
    telegram.push_update(tg_text(BRUNO, "Bruno", "e agora?"))
    await desk.slack.wait_for(lambda fake: len(fake.messages) == 3)
    await desk.settle()
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["data estranha", "e agora?"]
    await telegram.wait_for(lambda fake: fake.updates == [])
