"""A send the platform accepted is never sent again, even when storing its result fails.

The failure seen in the field: ``atende demo`` restarted on its kept database, with emulators
numbering their ids from scratch, so the id WhatsApp returned for a send was already stored
for an older message. The outbox row failed *after* the send and was retried: the customer
got the same answer again and again.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.bootstrap.app import Atende
from bot.demo.app import Demo
from bot.demo.customers import DEFAULT_CUSTOMERS
from handlers.slack.ticket_blocks import CLAIM
from testing import FakeGraphAPI, FakeSlackAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import PHONE_ID, WA_TOKEN, Desk, make_settings
from tests.test_conversation_loop import agent_says

CAIO = "5511900002222"


async def test_a_send_whose_returned_id_is_already_stored_is_not_sent_again(
    tmp_path: Path, slack: FakeSlackAPI
) -> None:
    database = tmp_path / "atende.db"
    async with aiohttp.ClientSession() as http:
        # first run: Caio writes, Ana answers; WhatsApp calls the answer wamid.FAKE1
        async with FakeGraphAPI(token=WA_TOKEN, phone_id=PHONE_ID) as first:
            bot = Atende(make_settings(database, first.url, slack.url))
            await bot.start()
            desk = Desk(bot, first, slack, http)
            await desk.whatsapp(wa_text_message(CAIO, "Caio", "Oi, minha fatura veio errada"))
            await desk.settle()
            [parent] = desk.parents()
            await agent_says(desk, parent["ts"], "UANA", "Oi, Caio! Vou olhar a fatura.")
            await desk.settle()
            assert first.sent_texts(CAIO) == ["Oi, Caio! Vou olhar a fatura."]
            await bot.stop()

        # second run on the same database, against a WhatsApp that hands out wamid.FAKE1 again
        async with FakeGraphAPI(token=WA_TOKEN, phone_id=PHONE_ID) as second:
            bot = Atende(make_settings(database, second.url, slack.url))
            await bot.start()
            try:
                desk = Desk(bot, second, slack, http)
                await agent_says(desk, parent["ts"], "UANA", "Achei: era uma cobrança em dobro.")
                await desk.settle()
                # sent once: storing the id failed after the send, and the send is not repeated
                assert second.sent_texts(CAIO) == ["Achei: era uma cobrança em dobro."]
                [(kind, reason)] = await desk.rows("SELECT kind, last_error FROM outbox WHERE state = 'dead'")
                assert kind == "SendToCustomer"
                assert "recording it failed" in reason and "messages.external_id" in reason
            finally:
                await bot.stop()


async def test_the_demo_started_twice_on_one_database_sends_and_posts_everything_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AI_ENABLED", "false")  # people answer here: the AI's words depend on the day
    database = str(tmp_path / "demo.db")
    for customer, question, answer in (
        (DEFAULT_CUSTOMERS[0], "Oi, não consigo entrar", "Oi! Vou te ajudar a entrar."),
        (DEFAULT_CUSTOMERS[1], "Minha fatura veio em dobro", "Vou verificar a fatura."),
    ):
        demo = Demo(port=0, database_path=database)
        await demo.start()
        try:
            assert demo.api is not None and demo.bot is not None
            await demo.api.customer_says(customer.phone, question)
            await demo.slack.wait_for(lambda fake: fake.channel_messages(Demo.support_channel))
            await demo.api.press_ticket_button("U0ANA", customer.phone, CLAIM)
            await demo.api.answer_ticket("U0ANA", customer.phone, answer)
            await demo.graph.wait_for(lambda fake, phone=customer.phone: fake.sent_texts(phone))
            await _settle(demo)
            # this run's Slack got one ticket parent; this run's phone got the answer once
            assert len(demo.slack.channel_messages(demo.support_channel)) == 1
            assert demo.graph.sent_texts(customer.phone) == [answer]
            dead = await demo.bot.db.reader.execute_fetchall(
                "SELECT kind, last_error FROM outbox WHERE state = 'dead'"
            )
            assert [tuple(row) for row in dead] == []
        finally:
            await demo.stop()


async def _settle(demo: Demo) -> None:
    """Until the bot has nothing left to process or deliver."""
    assert demo.bot is not None
    async with aiohttp.ClientSession() as http:
        await Desk(demo.bot, demo.graph, demo.slack, http).settle()
