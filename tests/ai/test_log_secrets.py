"""No secret in any log line: a whole conversation logged at DEBUG, every logger, grepped for each one."""

from __future__ import annotations

import io
import json
import logging

from bot.logs import configure
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_text
from testing.whatsapp_webhooks import wa_text_message
from tests import conftest as base
from tests.ai.conftest import GEMINI_KEY, OPENAI_KEY, StartAIDesk
from tests.conftest import post_telegram, telegram_settings
from tests.test_conversation_loop import agent_says

CUSTOMERS_TOKEN = "customers-api-token-9f8e7d"
SECRETS = {
    "WHATSAPP_TOKEN": base.WA_TOKEN,
    "WHATSAPP_APP_SECRET": base.WA_SECRET,
    "WHATSAPP_VERIFY_TOKEN": base.WA_VERIFY,
    "SLACK_BOT_TOKEN": base.SLACK_TOKEN,
    "SLACK_SIGNING_SECRET": base.SLACK_SECRET,
    "TELEGRAM_BOT_TOKEN": base.TG_TOKEN,
    "TELEGRAM_SECRET_TOKEN": base.TG_SECRET,
    "GEMINI_API_KEY": GEMINI_KEY,
    "OPENAI_API_KEY": OPENAI_KEY,
    "CUSTOMERS_API_TOKEN": CUSTOMERS_TOKEN,
}


async def test_a_whole_conversation_at_debug_logs_no_secret(
    start_ai_desk: StartAIDesk, telegram: FakeTelegramAPI, log_output: io.StringIO
) -> None:
    # set up before the bot starts, as `atende run` does: the start's own calls are logged too
    configure("debug", "text", log_output, secrets=SECRETS.values())
    desk = await start_ai_desk(customers_api_token=CUSTOMERS_TOKEN, **telegram_settings(telegram))
    assert desk.bot.settings.secrets == SECRETS  # what `atende run` hands to configure()
    await telegram.wait_for(lambda fake: fake.webhook)

    # WhatsApp: the handshake, a message, the agent's answer
    async with desk.http.get(
        f"{desk.url}/whatsapp/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": base.WA_VERIFY, "hub.challenge": "42"},
    ) as response:
        assert response.status == 200
    await desk.whatsapp(wa_text_message("5511987651234", "Maria", "Não consigo emitir o boleto"))
    await desk.settle()
    await agent_says(desk, desk.parents()[0]["ts"], "UANA", "Oi Maria, já vejo isso.")
    # Telegram: a message and the answer
    assert (await post_telegram(desk, tg_text(412345678, "Ana", "Minha loja saiu do ar"))).status == 200
    await desk.settle()
    await agent_says(desk, desk.parents()[-1]["ts"], "UANA", "Oi Ana, vou verificar.")
    # the platform pushes a customer record
    record = json.dumps([{"phone": "5511987651234", "name": "Maria", "plan": "Pro"}])
    headers = {"Authorization": f"Bearer {CUSTOMERS_TOKEN}", "Content-Type": "application/json"}
    async with desk.http.post(f"{desk.url}/customers", data=record, headers=headers) as response:
        assert response.status == 200
    await desk.settle()
    assert telegram.sent_texts(412345678) and desk.graph.calls_to("messages")
    assert desk.gemini.prompts or desk.openai.prompts  # the models were called with their keys

    logged = log_output.getvalue()
    assert "api.telegram.org" in logged or "sendMessage" in logged or "POST" in logged  # DEBUG was on
    leaked = sorted(name for name, value in SECRETS.items() if value in logged)
    lines = [line for line in logged.splitlines() if any(v in line for v in SECRETS.values())]
    assert leaked == [], "\n".join(lines)


def test_secrets_and_bot_urls_are_masked_in_text_json_and_tracebacks(log_output: io.StringIO) -> None:
    configure("debug", "json", log_output, secrets=["s3cr3t-value"])
    log = logging.getLogger("some.library")
    log.info("GET https://api.telegram.org/bot123456:AA-other_token/getMe %s", "s3cr3t-value")
    try:
        raise RuntimeError("auth failed with s3cr3t-value")
    except RuntimeError:
        log.exception("call failed")
    logged = log_output.getvalue()
    assert "s3cr3t-value" not in logged and "123456:AA-other_token" not in logged
    first = json.loads(logged.splitlines()[0])
    assert first["message"] == "GET https://api.telegram.org/bot***/getMe ***"
    assert "RuntimeError: auth failed with ***" in logged
