"""PARAR, SAIR or STOP: no more proactive messages, confirmed in the chat; VOLTAR undoes it.

Support keeps working all along, and the keyword is neither a ticket nor a question for the AI.
"""

from __future__ import annotations

import json

import pytest

from core.customers import texts as customers_texts
from core.customers.opt_out import Command, command_in
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_contact, tg_text
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import Desk, StartDesk, post_telegram
from tests.test_conversation_loop import agent_says

MARIA = "5511987651234"
ANA = 412345678
BOSS = "UBOSS"


async def opted_out(desk: Desk) -> list[str | None]:
    return [row[0] for row in await desk.rows("SELECT opted_out_at FROM customers ORDER BY id")]


@pytest.mark.parametrize("text", ["PARAR", "parar", "Sair.", "  STOP  ", "pÁrAr!!", "/stop", "Stop 🙏"])
def test_the_keyword_is_read_whatever_its_case_accents_or_punctuation(text: str) -> None:
    assert command_in(text) is not None and command_in(text)[1] is Command.STOP  # type: ignore[index]


@pytest.mark.parametrize(
    "text", ["parar de cobrar", "quero sair do plano", "stopped", "", None, "PARAR " * 20]
)
def test_a_sentence_that_contains_the_word_is_a_normal_message(text: str | None) -> None:
    assert command_in(text) is None


async def test_parar_on_whatsapp_opts_out_with_a_confirmation_and_no_ticket(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Parar!"))
    await desk.settle()

    assert desk.graph.sent_texts(MARIA) == [customers_texts.OPTED_OUT]
    assert "VOLTAR" in customers_texts.OPTED_OUT and "atendimento continua" in customers_texts.OPTED_OUT
    assert desk.parents() == []  # nothing for the agents to handle
    assert await desk.rows("SELECT * FROM tickets") == []
    [stamp] = await opted_out(desk)
    assert stamp is not None

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "voltar"))
    await desk.settle()
    assert desk.graph.sent_texts(MARIA)[-1] == customers_texts.OPTED_BACK_IN
    assert await opted_out(desk) == [None]
    assert desk.parents() == []
    actions = [row[0] for row in await desk.rows("SELECT action FROM events ORDER BY id")]
    assert actions == ["customer.opted_out", "customer.opted_in"]


async def test_support_keeps_working_after_opting_out_and_the_agents_are_told(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Meu pix não caiu"))
    await desk.settle()
    [parent] = desk.parents()

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "SAIR"))
    await desk.settle()
    thread = [m["text"] for m in desk.thread_of(parent)]
    assert thread == ["Meu pix não caiu", customers_texts.opted_out_note("SAIR")]
    assert desk.graph.sent_texts(MARIA) == [customers_texts.OPTED_OUT]

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Ainda não caiu, pode ver?"))
    await desk.settle()
    await agent_says(desk, parent["ts"], "UANA", "Estou vendo agora, Maria.")
    await desk.settle()
    assert len(desk.parents()) == 1  # the same conversation goes on
    assert desk.thread_of(parent)[-2]["text"] == "Ainda não caiu, pode ver?"
    assert desk.graph.sent_texts(MARIA)[-1] == "Estou vendo agora, Maria."
    assert (await opted_out(desk))[0] is not None


async def test_voltar_from_someone_who_never_opted_out_is_an_ordinary_message(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Voltar"))
    await desk.settle()
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["Voltar"]
    assert desk.graph.sent_texts(MARIA) == []


async def test_a_redelivered_parar_is_confirmed_once(desk: Desk) -> None:
    body = wa_text_message(MARIA, "Maria", "PARAR", wamid="wamid.STOP1")
    for _ in range(3):
        await desk.whatsapp(body)
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == [customers_texts.OPTED_OUT]


async def test_the_ai_never_reads_the_keyword(start_desk: StartDesk) -> None:
    desk = await start_desk(ai_enabled=True)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "stop"))
    await desk.settle()
    assert await desk.rows("SELECT * FROM outbox WHERE kind = 'AnswerWithAI'") == []
    assert await desk.rows("SELECT * FROM ai_calls") == []
    assert desk.graph.sent_texts(MARIA) == [customers_texts.OPTED_OUT]


async def test_telegram_stop_and_voltar_answer_in_the_chat(tdesk: Desk, telegram: FakeTelegramAPI) -> None:
    await post_telegram(tdesk, tg_text(ANA, "Ana", "/stop"))
    await tdesk.settle()
    assert telegram.sent_texts(ANA) == [customers_texts.OPTED_OUT]
    assert (await opted_out(tdesk))[0] is not None
    assert tdesk.parents() == []

    await post_telegram(tdesk, tg_text(ANA, "Ana", "VOLTAR!"))
    await tdesk.settle()
    assert telegram.sent_texts(ANA)[-1] == customers_texts.OPTED_BACK_IN
    assert await opted_out(tdesk) == [None]
    assert tdesk.graph.sent == []


async def test_a_telegram_opt_out_follows_the_customer_into_their_whatsapp_record(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    await tdesk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await post_telegram(tdesk, tg_text(ANA, "Maria", "PARAR"))
    await tdesk.settle()
    await post_telegram(tdesk, tg_contact(ANA, "Maria", "+55 11 98765-1234", user_id=ANA))
    await tdesk.settle()
    [(stamp,)] = await tdesk.rows("SELECT opted_out_at FROM customers WHERE merged_into IS NULL")
    assert stamp is not None


async def test_the_lgpd_copy_says_whether_the_customer_accepts_proactive_messages(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "PARAR"))
    await desk.settle()
    await desk.command(f"lgpd exportar {MARIA}", user=BOSS)
    [export] = [f for f in desk.slack.files.values() if f["name"].startswith("lgpd-")]
    document = json.loads(export["data"])
    [stamp] = await opted_out(desk)
    assert document["mensagens_proativas"] == f"recusadas desde {stamp} (pediu PARAR)"
    assert document["dados"]["customers"][0]["opted_out_at"] == stamp


async def test_erasure_leaves_no_confirmation_naming_the_number(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "PARAR"))
    await desk.settle()
    assert await desk.rows("SELECT * FROM outbox WHERE instr(payload, ?) > 0", MARIA)
    [(customer_id,)] = await desk.rows("SELECT id FROM customers")
    await desk.bot.privacy.erase(customer_id, BOSS)
    assert await desk.rows("SELECT * FROM outbox WHERE instr(payload, ?) > 0", MARIA) == []
