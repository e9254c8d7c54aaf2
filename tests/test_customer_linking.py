"""A customer who shares their phone on Telegram is the same customer as on WhatsApp: history and plan follow."""

from __future__ import annotations

from pathlib import Path

from core.feedback import texts as feedback_texts
from core.privacy import texts as privacy_texts
from core.tickets import texts as tickets_texts
from handlers.slack.lgpd import ERASE
from testing.slack_payloads import slack_block_action
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_callback, tg_contact, tg_text
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk, post_telegram, telegram_settings
from tests.test_conversation_loop import agent_says, click
from tests.test_lgpd import stored_bytes

MARIA_WA = "5511987651234"
MARIA_TG = 311122233


def parent_text(parent: dict) -> str:
    return str(parent["blocks"])


async def test_sharing_her_phone_on_telegram_joins_maria_to_her_whatsapp_record(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    await tdesk.whatsapp(wa_text_message(MARIA_WA, "Maria Silva", "Oi, é sobre meu plano"))
    await tdesk.settle()
    [whatsapp_parent] = tdesk.parents()
    await click(tdesk, "ticket.resolve", 1, "UANA", whatsapp_parent["ts"])
    await tdesk.rows("UPDATE customers SET plan = 'Pro' WHERE address = ?", MARIA_WA)

    await post_telegram(tdesk, tg_text(MARIA_TG, "Maria Silva", "Oi, agora pelo Telegram"))
    await tdesk.settle()
    telegram_parent = tdesk.parents()[1]
    assert "Plano Pro" not in parent_text(telegram_parent)  # not known to be her yet

    await post_telegram(tdesk, tg_contact(MARIA_TG, "Maria Silva", "+55 11 98765-1234", user_id=MARIA_TG))
    await tdesk.settle()
    telegram_parent = tdesk.parents()[1]
    assert "Plano Pro" in parent_text(telegram_parent) and "Telegram" in parent_text(telegram_parent)
    thread = [m["text"] for m in tdesk.thread_of(telegram_parent)]
    assert thread[1].startswith("🔗") and "mesmo cliente do WhatsApp" in thread[1]
    assert thread[2] == "👤 Contato: Maria Silva — +55 11 98765-1234"

    # the agent's answer still goes to her Telegram chat, not to WhatsApp
    await agent_says(tdesk, telegram_parent["ts"], "UANA", "Achei seu cadastro, Maria!")
    await click(tdesk, "ticket.resolve", 2, "UANA", telegram_parent["ts"])
    await tdesk.settle()
    assert telegram.sent_texts(MARIA_TG)[0] == "Achei seu cadastro, Maria!"
    assert len(tdesk.graph.sent_texts(MARIA_WA)) == 1  # only the first ticket's closing message

    await post_telegram(tdesk, tg_text(MARIA_TG, "Maria Silva", "Voltei!"))
    await tdesk.settle()
    third = tdesk.parents()[2]
    assert "Plano Pro" in parent_text(third) and "Continuação do ticket #2" in parent_text(third)
    rows = await tdesk.rows("SELECT customer_id FROM tickets ORDER BY id")
    assert len({row[0] for row in rows}) == 1  # one customer, three tickets


async def test_an_old_whatsapp_number_without_the_ninth_digit_still_matches(tdesk: Desk) -> None:
    await tdesk.whatsapp(wa_text_message("551187651234", "Maria", "Oi"))
    await tdesk.settle()
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Maria", "5511987651234", user_id=MARIA_TG))
    await tdesk.settle()
    rows = await tdesk.rows("SELECT DISTINCT customer_id FROM tickets")
    assert len(rows) == 1
    [parent] = tdesk.parents()  # the contact joined her open WhatsApp ticket, which follows her to Telegram
    assert "Telegram" in parent_text(parent)


async def test_someone_elses_contact_card_links_nobody(tdesk: Desk) -> None:
    await tdesk.whatsapp(wa_text_message(MARIA_WA, "Maria", "Oi"))
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Jonas", "+55 11 98765-1234", user_id=999))
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Jonas", "+55 11 98765-1234", user_id=None))
    await tdesk.settle()
    whatsapp_parent, telegram_parent = tdesk.parents()
    assert [m["text"] for m in tdesk.thread_of(telegram_parent)] == [
        "👤 Contato: Jonas — +55 11 98765-1234",
        "👤 Contato: Jonas — +55 11 98765-1234",
    ]
    assert len(await tdesk.rows("SELECT DISTINCT customer_id FROM tickets")) == 2
    assert await tdesk.rows("SELECT * FROM customer_addresses") == []


async def test_a_telegram_customer_who_later_writes_on_whatsapp_is_found_and_answered_there(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    await post_telegram(tdesk, tg_text(MARIA_TG, "Maria", "Oi"))
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Maria", "+55 11 98765-1234", user_id=MARIA_TG))
    await tdesk.settle()
    await tdesk.whatsapp(wa_text_message(MARIA_WA, "Maria", "Estou no WhatsApp agora"))
    await tdesk.settle()

    [parent] = tdesk.parents()  # the same conversation, now on WhatsApp
    assert "WhatsApp" in parent_text(parent) and "+55 11 9****-1234" in parent_text(parent)
    assert [m["text"] for m in tdesk.thread_of(parent)][-1] == "Estou no WhatsApp agora"
    await agent_says(tdesk, parent["ts"], "UANA", "Te respondo por aqui então")
    await tdesk.settle()
    assert tdesk.graph.sent_texts(MARIA_WA) == ["Te respondo por aqui então"]
    assert telegram.sent_texts(MARIA_TG) == []


async def test_suporte_cliente_finds_a_telegram_customer_by_the_phone_they_shared(tdesk: Desk) -> None:
    await post_telegram(tdesk, tg_text(MARIA_TG, "Maria", "Oi"))
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Maria", "+55 11 98765-1234", user_id=MARIA_TG))
    await tdesk.settle()
    card = (await tdesk.command("cliente +55 11 98765-1234"))["text"]
    assert "*Maria* · +55 11 9****-1234" in card and "#1> Maria" in card


async def test_erasing_a_linked_customer_erases_their_telegram_side_too(
    start_desk: StartDesk, telegram: FakeTelegramAPI, tmp_path: Path
) -> None:
    desk = await start_desk(slack_supervisors="UBOSS", **telegram_settings(telegram))
    await desk.whatsapp(wa_text_message(MARIA_WA, "Maria Silva", "Oi"))
    await post_telegram(desk, tg_text(MARIA_TG, "Mariazinha Telegrafista", "meu pedido girassol sumiu"))
    await post_telegram(desk, tg_contact(MARIA_TG, "Mariazinha Telegrafista", MARIA_WA, user_id=MARIA_TG))
    await desk.settle()
    [(customer_id,)] = await desk.rows("SELECT id FROM customers WHERE merged_into IS NULL")

    question = await desk.command(f"lgpd apagar {MARIA_WA}", user="UBOSS")
    [button] = [e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]]
    click_ = slack_block_action(ERASE, button["value"], user_id="UBOSS", channel=CHANNEL, message_ts="1.1")
    assert (await desk.slack_event(click_, content_type="application/x-www-form-urlencoded")).status == 200
    await desk.slack.wait_for(
        lambda fake: any(e["text"] == privacy_texts.lgpd_erased(customer_id) for e in fake.ephemerals)
    )

    await desk.bot.stop()
    on_disk = stored_bytes(tmp_path / "atende.db")
    for secret in ("Telegrafista", "girassol", str(MARIA_TG), MARIA_WA):
        assert secret.encode() not in on_disk, f"{secret!r} is still in the database file"


async def test_csat_on_telegram_is_an_inline_keyboard_in_her_chat_and_the_tap_is_the_rating(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    await tdesk.whatsapp(wa_text_message(MARIA_WA, "Maria", "Oi"))  # she is a WhatsApp customer first
    await tdesk.settle()
    [first] = tdesk.parents()
    await click(tdesk, "ticket.resolve", 1, "UANA", first["ts"])
    await post_telegram(tdesk, tg_contact(MARIA_TG, "Maria", MARIA_WA, user_id=MARIA_TG))
    await tdesk.settle()
    telegram_parent = tdesk.parents()[1]
    await click(tdesk, "ticket.resolve", 2, "UANA", telegram_parent["ts"])
    await tdesk.settle()

    closing, survey = telegram.sent_to(MARIA_TG)
    assert closing["text"] == tickets_texts.CUSTOMER_CLOSING
    keys = [row[0]["callback_data"] for row in survey["reply_markup"]["inline_keyboard"]]
    assert keys == [f"csat:2:{n}" for n in (5, 4, 3, 2, 1)]
    assert all(m["chat_id"] == MARIA_TG for m in telegram.sent)  # never her phone number as a chat

    await post_telegram(tdesk, tg_callback(MARIA_TG, "Maria", "csat:2:5", survey))
    await tdesk.settle()
    assert await tdesk.rows("SELECT ticket_id, score FROM csat") == [(2, 5)]
    assert feedback_texts.CSAT_THANKS in telegram.sent_texts(MARIA_TG)
