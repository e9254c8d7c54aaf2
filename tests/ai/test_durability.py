"""A customer message is never lost or left unanswered because the AI failed or the bot died mid-answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.ai.offline import OfflineModel
from core.ai.schema import FailureKind, ModelFailure, ModelRequest, ModelResult
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.ai.conftest import StartAIDesk
from tests.ai.test_answers import MARIA, write
from tests.conftest import make_settings

LOGIN = "Não consigo entrar na plataforma, a senha dá errada"


async def test_when_every_automatic_step_fails_a_person_is_called_and_the_customer_told(
    start_ai_desk: StartAIDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: OfflineModel, request: ModelRequest) -> ModelResult:
        raise ModelFailure(FailureKind.ERROR, "offline rules crashed")

    monkeypatch.setattr(OfflineModel, "generate", broken)
    desk = await start_ai_desk(ai_oncall_group="SONCALL")
    desk.gemini.fail("generateContent", status=500, times=None)
    desk.openai.fail("chat.completions", status=502, times=None)
    await write(desk, LOGIN)

    [told] = desk.sent_texts()
    assert "já chamei uma pessoa" in told
    texts = "\n".join(desk.texts())
    assert "<!subteam^SONCALL>" in texts and "a IA não conseguiu responder" in texts
    assert "gemini-2.5-flash: http_error" in texts and "gpt-4o-mini: http_error" in texts
    assert (await desk.rows("SELECT reason, requires_human FROM ai_triage")) == [("ai_unavailable", 1)]
    assert (await desk.rows("SELECT author FROM messages WHERE direction = 'out'")) == [("ai:fallback",)]


async def test_a_bot_stopped_mid_answer_answers_once_after_restart(start_ai_desk: StartAIDesk) -> None:
    first = await start_ai_desk(ai_timeout_seconds=20.0)
    first.gemini.delay("generateContent", 30.0)
    await first.whatsapp(wa_text_message(MARIA, "Maria", LOGIN))
    await first.gemini.wait_for(lambda fake: fake.calls_to("generateContent"), timeout=10)
    await first.bot.stop()  # the process dies while Gemini is thinking

    first.gemini.clear_faults()
    second = await start_ai_desk()
    await second.settle()

    [answer] = second.sent_texts()
    assert "Confirme o seu e-mail" in answer
    assert (await second.rows("SELECT COUNT(*) FROM ai_triage")) == [(1,)]


async def test_a_slack_error_on_the_escalation_alert_does_not_post_the_triage_line_twice(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(ai_oncall_group="SONCALL")
    desk.slack.fail("chat.postMessage", status=503, match=lambda call: "🚨" in str(call.params.get("text")))
    await write(desk, "Vocês cobraram duas vezes no meu cartão, quero meu dinheiro de volta")

    assert len([t for t in desk.texts() if t.startswith("🤖")]) == 1  # the triage line, once
    [alert] = desk.alerts()  # the alert under it, after its retry
    assert "<!subteam^SONCALL>" in alert


async def test_a_stuck_model_never_holds_up_customers_messages_on_the_desk(
    start_ai_desk: StartAIDesk,
) -> None:
    # The AI's jobs have workers of their own: with every model call hanging, the desk's one
    # worker still shows each customer's message in its thread as it comes.
    desk = await start_ai_desk(ai_timeout_seconds=20.0, outbox_concurrency=1, ai_concurrency=1)
    desk.gemini.delay("generateContent", 60.0)
    for who, name in ((MARIA, "Maria"), ("5511977776666", "Bia"), ("5511955554444", "Caio")):
        await desk.whatsapp(wa_text_message(who, name, f"Oi, aqui é {name}: meu pedido não chegou"))

    def shown(fake: FakeSlackAPI) -> list[str]:
        return [m["text"] for m in fake.messages.values() if m["text"].startswith("Oi, aqui é")]

    await desk.slack.wait_for(lambda fake: len(shown(fake)) == 3, timeout=15)
    assert sorted(shown(desk.slack)) == [
        f"Oi, aqui é {n}: meu pedido não chegou" for n in ("Bia", "Caio", "Maria")
    ]
    assert await desk.rows("SELECT COUNT(*) FROM ai_triage") == [(0,)]  # the AI is still at it


def test_the_offline_ai_works_on_eight_messages_at_once_and_a_remote_model_on_sixteen(tmp_path: Path) -> None:
    # The offline AI computes on the bot's own event loop, between waits on SQLite: 8 jobs at once
    # keep up at 300 msg/s, 16 take turns with showing customers' messages (bench/intake). A
    # remote model mostly waits on the network.
    def workers(**overrides: Any) -> int:
        return make_settings(tmp_path / "atende.db", "http://g", "http://s", **overrides).ai_workers

    assert workers(ai_enabled=True) == 8
    assert workers(ai_enabled=True, gemini_api_key="g-key") == 16
    assert workers(ai_enabled=True, openai_api_key="o-key") == 16
    assert workers(ai_enabled=True, ai_concurrency=5) == 5
