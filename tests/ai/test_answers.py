"""A customer writes; the AI classifies, answers what it safely can and leaves the rest as drafts for agents."""

from __future__ import annotations

from pathlib import Path

from testing.whatsapp_webhooks import wa_text_message
from tests.ai.conftest import AIDesk, StartAIDesk

MARIA = "5511987654321"


async def write(desk: AIDesk, text: str, who: str = MARIA) -> None:
    """The customer sends ``text`` on WhatsApp; wait until everything it causes has happened."""
    response = await desk.whatsapp(wa_text_message(who, "Maria", text))
    assert response.status == 200
    await desk.settle()


async def test_a_login_question_is_answered_by_gemini_from_the_help_centre_article(ai_desk: AIDesk) -> None:
    await write(ai_desk, "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada")

    [answer] = ai_desk.sent_texts()
    assert "Confirme o seu e-mail" in answer
    [message, ai_post] = ai_desk.texts()
    assert message.startswith("Oi, me cadastrei")
    line, shown = ai_post.split("\n", 1)
    assert "Primeiros passos" in line and "`gemini-2.5-flash`" in line and "respondido pela IA" in line
    assert "Resposta automática enviada" in shown and "`gemini-2.5-flash`" in shown
    rows = await ai_desk.rows("SELECT author, delivery FROM messages WHERE direction = 'out'")
    assert rows == [("ai:gemini-2.5-flash", "sent")]
    calls = await ai_desk.rows(
        "SELECT step, provider, model, prompt_tokens > 0, completion_tokens > 0, cost_usd > 0, outcome FROM ai_calls"
    )
    assert calls == [
        ("classify", "gemini", "gemini-2.5-flash", 1, 1, 1, "ok"),
        ("draft", "gemini", "gemini-2.5-flash", 1, 1, 1, "ok"),
        ("review", "gemini", "gemini-2.5-flash", 1, 1, 1, "ok"),
    ]
    [(category, requires_human, model, decision)] = await ai_desk.rows(
        "SELECT category, requires_human, model, decision FROM ai_triage"
    )
    assert (category, requires_human, model, decision) == ("onboarding", 0, "gemini-2.5-flash", "sent")


async def test_the_classification_is_asked_at_temperature_0_1_with_the_schema(ai_desk: AIDesk) -> None:
    await write(ai_desk, "Como emito a nota fiscal da minha assinatura?")

    request = ai_desk.gemini.calls_to("generateContent")[0].params
    config = request["generationConfig"]
    assert config["temperature"] == 0.1
    schema = config.get("responseSchema") or config.get("responseJsonSchema")
    assert {"category", "urgency", "sentiment", "language", "requires_human"} <= set(schema["properties"])


async def test_without_articles_the_playbook_script_grounds_the_answer(
    start_ai_desk: StartAIDesk, tmp_path: Path
) -> None:
    empty = tmp_path / "no-articles"
    empty.mkdir()
    desk = await start_ai_desk(kb_starter_dir=str(empty))
    await write(desk, "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada")

    [answer] = desk.sent_texts()
    assert "Vou te ajudar com o acesso à plataforma" in answer  # the playbook's first-login script


async def test_a_premium_customers_integration_problem_goes_to_tier_2_through_the_desk(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(slack_tier2_channel="CTIER2", slack_tier2_group="STIER2")
    await write(desk, "Oi")  # the customer exists now; make them a Scale customer
    await desk.rows("UPDATE customers SET plan = 'scale'")
    await write(desk, "A integração com o Instagram desconectou sozinha")

    [(tier, reason)] = await desk.rows("SELECT tier, tier_reason FROM ai_triage WHERE tier > 1")
    assert (tier, reason) == (2, "premium_customer_request")
    assert (await desk.rows("SELECT tier FROM tickets")) == [(2,)]
    [package] = desk.slack.channel_messages("CTIER2")
    assert "cliente premium" in package["text"]
