"""A customer on Telegram: the same desk as WhatsApp, through the real python-telegram-bot."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.settings import describe_error
from core.feedback import texts as feedback_texts
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_message, tg_text
from tests.conftest import (
    CHANNEL,
    TG_SECRET,
    TG_TOKEN,
    TG_WEBHOOK_URL,
    Desk,
    StartDesk,
    make_settings,
    post_telegram,
    telegram_settings,
)
from tests.test_conversation_loop import agent_says, click
from tests.test_escalation import submit_modal

ANA = 412345678


async def test_telegram_text_loop_customer_to_slack_to_agent_and_back(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    response = await post_telegram(tdesk, tg_text(ANA, "Ana Souza", "Oi, minha loja saiu do ar"))
    assert response.status == 200
    await tdesk.settle()

    [parent] = tdesk.parents()
    blocks = str(parent["blocks"])
    assert "Ana Souza" in blocks and "Telegram" in blocks and f"ID {ANA}" in blocks
    [first] = tdesk.thread_of(parent)
    assert first["text"] == "Oi, minha loja saiu do ar" and first["username"] == "Ana Souza"

    reply_ts = await agent_says(tdesk, parent["ts"], "UANA", "Oi Ana! Já estou olhando.")
    await tdesk.settle()
    assert telegram.sent_texts(ANA) == ["Oi Ana! Já estou olhando."]
    assert tdesk.slack.message(CHANNEL, reply_ts)["reactions"] == ["heavy_check_mark"]

    await click(tdesk, "ticket.resolve", 1, "UANA", parent["ts"])
    await tdesk.settle()
    closing, rating = telegram.sent_texts(ANA)[-2:]
    assert "atendimento foi concluído" in closing
    assert rating.startswith(feedback_texts.CSAT_QUESTION)  # the satisfaction survey follows, on Telegram too
    assert tdesk.graph.sent == []  # nothing leaked to WhatsApp


async def test_the_webhook_is_registered_with_the_secret_token(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    assert telegram.webhook["url"] == TG_WEBHOOK_URL
    assert telegram.webhook["secret_token"] == TG_SECRET
    assert "callback_query" in telegram.webhook["allowed_updates"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "tg-secret_token-12"])
async def test_a_webhook_without_the_right_secret_is_refused_and_nothing_stored(
    tdesk: Desk, secret: str | None
) -> None:
    response = await post_telegram(tdesk, tg_text(ANA, "Ana", "forjada"), secret=secret)
    assert response.status == 403
    assert await tdesk.rows("SELECT * FROM inbox") == []
    await tdesk.settle()
    assert tdesk.parents() == []


async def test_a_redelivered_update_is_stored_and_shown_once(tdesk: Desk) -> None:
    update = tg_text(ANA, "Ana", "Oi")
    for _ in range(3):
        assert (await post_telegram(tdesk, update)).status == 200
    await tdesk.settle()
    [parent] = tdesk.parents()
    assert [m["text"] for m in tdesk.thread_of(parent)] == ["Oi"]
    assert len(await tdesk.rows("SELECT * FROM inbox WHERE source = 'telegram'")) == 1


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b"{not json", "JSON"),
        (b"[1, 2]", "update_id"),
        (b'{"update_id": "7"}', "update_id"),
        (b'{"update_id": true}', "update_id"),
    ],
)
async def test_a_signed_body_that_is_not_an_update_gets_a_clear_400(
    tdesk: Desk, body: bytes, why: str
) -> None:
    async with tdesk.http.post(
        f"{tdesk.url}/telegram/webhook", data=body, headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    ) as response:
        assert response.status == 400
        assert why in await response.text()
    assert await tdesk.rows("SELECT * FROM inbox") == []


async def test_without_a_telegram_token_the_bot_runs_whatsapp_only(desk: Desk) -> None:
    response = await post_telegram(desk, tg_text(ANA, "Ana", "Oi"))
    assert response.status == 404
    assert await desk.rows("SELECT * FROM inbox") == []


async def test_updates_from_groups_and_odd_shapes_never_open_tickets_or_fail(tdesk: Desk) -> None:
    group: dict[str, Any] = tg_text(-100123, "Grupo", "oi pessoal")
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Grupo"}
    assert (await post_telegram(tdesk, group)).status == 200
    assert (await post_telegram(tdesk, {"update_id": 999, "poll": {"id": "1"}})).status == 200
    broken = tg_text(ANA, "Ana", "x")
    broken["message"]["date"] = "ontem"
    undated = tg_text(ANA, "Ana", "sem data")
    del undated["message"]["date"]
    far = tg_text(ANA, "Ana", "daqui a mil anos")
    far["message"]["date"] = 10**15
    for update in (broken, undated, far):
        assert (await post_telegram(tdesk, update)).status == 200
    await tdesk.settle()
    assert await tdesk.rows("SELECT error FROM inbox WHERE error IS NOT NULL") == []
    [parent] = tdesk.parents()  # only the private chat's messages, their text kept
    texts = [m["text"] for m in tdesk.thread_of(parent)]
    assert texts == ["x", "sem data", "daqui a mil anos"]


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        (
            {"telegram_bot_token": TG_TOKEN, "telegram_webhook_url": TG_WEBHOOK_URL},
            "TELEGRAM_SECRET_TOKEN is required when TELEGRAM_WEBHOOK_URL is set",
        ),
        (
            {"telegram_secret_token": TG_SECRET, "telegram_webhook_url": TG_WEBHOOK_URL},
            "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is empty",
        ),
        (
            {
                "telegram_bot_token": TG_TOKEN,
                "telegram_secret_token": TG_SECRET,
                "telegram_webhook_url": "http://x/y",
            },
            "TELEGRAM_WEBHOOK_URL must be an https:// address",
        ),
        ({"telegram_secret_token": "com espaço"}, "invalid setting TELEGRAM_SECRET_TOKEN"),
        ({"telegram_poll_timeout_seconds": 90}, "invalid setting TELEGRAM_POLL_TIMEOUT_SECONDS"),
    ],
)
def test_telegram_settings_that_cannot_work_stop_the_start_with_one_line(
    tmp_path: Path, overrides: dict[str, Any], line: str
) -> None:
    with pytest.raises(ValidationError) as error:
        make_settings(tmp_path / "atende.db", "http://127.0.0.1:1", "http://127.0.0.1:2", **overrides)
    assert line in describe_error(error.value)


async def test_edits_reactions_and_unsupported_messages_are_shown(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    first = tg_text(ANA, "Ana", "Meu pedido é o 123")
    await post_telegram(tdesk, first)
    await tdesk.settle()
    [parent] = tdesk.parents()
    reply_ts = await agent_says(tdesk, parent["ts"], "UANA", "Achei o pedido!")
    await tdesk.settle()
    [sent] = telegram.sent_to(ANA)

    edited = {
        "update_id": first["update_id"] + 10_000,
        "edited_message": {**first["message"], "text": "Meu pedido é o 124", "edit_date": int(time.time())},
    }
    reaction = {
        "update_id": first["update_id"] + 10_001,
        "message_reaction": {
            "chat": {"id": ANA, "type": "private"},
            "message_id": sent["message_id"],
            "user": {"id": ANA, "is_bot": False, "first_name": "Ana"},
            "date": int(time.time()),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    }
    dice = tg_message(ANA, "Ana", dice={"emoji": "🎲", "value": 4})
    for update in (edited, reaction, dice):
        assert (await post_telegram(tdesk, update)).status == 200
    await tdesk.settle()

    texts_ = [m["text"] for m in tdesk.thread_of(parent)]
    assert "editou" in texts_[2] and "124" in texts_[2]
    assert "thumbsup" in tdesk.slack.message(CHANNEL, reply_ts)["reactions"]
    assert "não consigo mostrar" in texts_[3] and "dice" in texts_[3]


async def test_a_telegram_ticket_escalates_like_any_other_and_tier_2_answers_in_the_chat(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_desk(
        **telegram_settings(telegram), slack_tier2_group="S2", slack_tier2_channel="CTIER2"
    )
    await post_telegram(desk, tg_text(ANA, "Ana Souza", "O WhatsApp desconectou e as mensagens sumiram"))
    await desk.settle()
    [parent] = desk.parents()

    assert await submit_modal(desk, "UANA", "2", "Integração cai depois de reconectar") == {}
    await desk.settle()
    [package] = desk.slack.channel_messages("CTIER2")
    assert "escalado para o Nível 2" in package["text"] and "Telegram" in package["text"]
    assert "Ana Souza: O WhatsApp desconectou" in package["text"] and "<!subteam^S2>" in package["text"]
    assert "Nível 2 (especialistas)" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])

    await agent_says(desk, parent["ts"], "UESPEC", "Ana, reconecte pelo menu Integrações, por favor.")
    await desk.settle()
    assert telegram.sent_texts(ANA) == ["Ana, reconecte pelo menu Integrações, por favor."]
    assert desk.graph.sent == []
