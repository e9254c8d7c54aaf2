"""When a model fails or is unsure, the next step of the chain answers: Gemini -> OpenAI -> offline -> a person."""

from __future__ import annotations

import pytest

from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import write

LOGIN = "Não consigo entrar na plataforma, diz que a senha está errada"


def fault(kind: str, desk: AIDesk) -> None:
    """Make Gemini's next classification fail in one of the ways the issue lists."""
    match kind:
        case "timeout":
            desk.gemini.delay("generateContent", 4.0, times=1)  # the desk waits 2 s
        case "http_error":
            desk.gemini.fail("generateContent", status=503)
        case "rate_limited":
            desk.gemini.fail("generateContent", status=429, retry_after=30)
        case "malformed_json":
            desk.gemini.reply("classify", '{"category": "billing", "urgency": ')
        case "schema_failure":
            desk.gemini.reply("classify", {"category": "financeiro", "urgency": "urgente"})
        case "empty":
            desk.gemini.reply("classify", "")


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("timeout", "timeout"),
        ("http_error", "http_error"),
        ("rate_limited", "http_error"),
        ("malformed_json", "malformed_json"),
        ("schema_failure", "schema_failure"),
        ("empty", "empty"),
    ],
)
async def test_a_failing_primary_model_hands_the_step_to_the_escalation_model(
    start_ai_desk: StartAIDesk, kind: str, outcome: str
) -> None:
    ai_desk = await start_ai_desk(ai_timeout_seconds=2.0 if kind == "timeout" else 5.0)
    fault(kind, ai_desk)
    await write(ai_desk, LOGIN)

    classify = await ai_desk.rows(
        "SELECT provider, outcome FROM ai_calls WHERE step = 'classify' ORDER BY id"
    )
    assert classify == [("gemini", outcome), ("openai", "ok")]
    [line] = [t for t in ai_desk.texts() if t.startswith("🤖")]
    assert "`gpt-4o-mini`" in line
    assert len(ai_desk.sent_texts()) == 1  # the customer is answered all the same


async def test_when_both_remote_models_fail_the_offline_rules_answer(ai_desk: AIDesk) -> None:
    ai_desk.gemini.fail("generateContent", status=500, times=None)
    ai_desk.openai.fail("chat.completions", status=500, times=None)
    await write(ai_desk, LOGIN)

    [line] = [t for t in ai_desk.texts() if t.startswith("🤖")]
    assert "`offline-rules`" in line
    [answer] = ai_desk.sent_texts()
    assert "Confirme o seu e-mail" in answer
    assert (await ai_desk.rows("SELECT author FROM messages WHERE direction = 'out'")) == [
        ("ai:offline-rules",)
    ]


async def test_a_draft_below_0_7_confidence_is_rewritten_by_the_escalation_model(ai_desk: AIDesk) -> None:
    ai_desk.gemini.review_confidence = 0.5
    ai_desk.openai.reply(
        "draft", {"text": "Olá! Vamos resolver seu acesso: confirme o email e redefina a senha."}
    )
    await write(ai_desk, "Como faço para mudar meu plano?")

    drafts = await ai_desk.rows("SELECT provider, outcome FROM ai_calls WHERE step = 'draft' ORDER BY id")
    assert drafts == [("gemini", "ok"), ("openai", "ok")]
    [draft] = ai_desk.draft_posts()
    assert "Vamos resolver seu acesso" in str(draft["blocks"]) and "`gpt-4o-mini`" in str(draft["blocks"])
    assert ai_desk.sent_texts() == []  # still unsure: it waits for an agent


async def test_without_any_key_the_offline_provider_runs_the_desk(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(desk, "Como faço pra conectar meu WhatsApp? Não aparece o QR code")

    assert desk.gemini.calls == [] and desk.openai.calls == []
    [line] = [t for t in desk.texts() if t.startswith("🤖")]
    assert "Técnico" in line and "`offline-rules`" in line and "US$ 0.0000" in line
    [draft] = desk.draft_posts()  # technical answers are drafts under AI_AUTOREPLY=safe
    assert "Conectar WhatsApp Business" in str(draft["blocks"])
