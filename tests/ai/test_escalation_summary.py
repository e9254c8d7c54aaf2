"""The escalation package's summary: written by the model chain, extracted offline, never in the way."""

from __future__ import annotations

from core.ai.summary import extractive
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import write

TIERS = {"slack_tier3_group": "S3", "slack_tier3_channel": "CTIER3"}
CONVERSATION = [
    "Maria: Oi, bom dia!",
    "Maria: Desde ontem o Instagram não conecta. Aparece o erro 190 quando tento reconectar.",
    "Atendimento: Oi Maria, pode tentar sair e entrar de novo na conta do Facebook?",
    "Maria: Tentei duas vezes e continua dando o mesmo erro. Obrigada",
    "Maria: Minhas vendas pelo direct pararam, preciso disso hoje.",
]


def package(desk: AIDesk) -> str:
    """The escalation package posted in tier 3's channel."""
    [posted] = desk.slack.channel_messages("CTIER3")
    return str(posted["text"])


async def test_an_escalation_decided_by_the_ai_carries_the_models_summary_and_the_call_is_logged(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(**TIERS)
    desk.gemini.reply("summarize", {"summary": "Instagram desconectado desde ontem (erro 190)."})
    await write(desk, "O Instagram não conecta desde ontem, dá erro 190 na plataforma")

    text = package(desk)
    assert "escalado para o Nível 3 (engenharia) pela IA" in text  # the AI takes the same path
    assert "*Resumo da conversa* (`gemini-2.5-flash`)" in text
    assert "> Instagram desconectado desde ontem (erro 190)." in text
    assert "*Classificação:*" in text and "*Cliente:*" in text and "Investigação sugerida" in text
    [conversation] = [content for _, _, content in desk.gemini.calls_for("summarize")]
    assert "erro 190" in conversation  # the conversation travels as data
    assert await desk.rows("SELECT provider, outcome FROM ai_calls WHERE step = 'summarize'") == [
        ("gemini", "ok")
    ]


async def test_when_every_model_fails_the_summary_is_extracted_and_the_escalation_goes_out(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(**TIERS)
    await write(desk, "Como faço para mudar meu plano? Quero passar para o anual")
    desk.gemini.fail("generateContent", status=500, times=None)
    desk.openai.reply("summarize", "isto não é JSON")

    result = await desk.bot.support.escalate(1, 3, "Cliente pede análise do contrato", "UANA")
    assert result.ok
    await desk.settle()

    text = package(desk)
    assert "*Resumo da conversa* (trechos da própria conversa)" in text
    assert "> Maria: Como faço para mudar meu plano?" in text
    assert "*Classificação:* Cobrança" in text
    outcomes = await desk.rows("SELECT provider, outcome FROM ai_calls WHERE step = 'summarize' ORDER BY id")
    assert outcomes == [("gemini", "http_error"), ("openai", "malformed_json"), ("offline", "ok")]


def test_the_offline_summary_quotes_the_conversation_and_keeps_what_matters() -> None:
    summary = extractive(CONVERSATION).splitlines()

    said = " ".join(CONVERSATION)
    assert all(line.split(": ", 1)[1].rstrip("…") in said for line in summary)  # only what was said
    assert summary[0] == "Maria: Desde ontem o Instagram não conecta."  # the opening problem, not "bom dia"
    assert "Maria: Aparece o erro 190 quando tento reconectar." in summary  # the error code
    assert "Atendimento: Oi Maria, pode tentar sair e entrar de novo na conta do Facebook?" in summary
    assert summary[-1] == "Maria: Minhas vendas pelo direct pararam, preciso disso hoje."  # where it stands
    assert not any(line.endswith(("bom dia!", "Obrigada")) for line in summary)
    assert len(summary) <= 5


def test_an_empty_conversation_has_an_empty_summary() -> None:
    assert extractive([]) == "" and extractive(["Maria: Oi!"]) == ""


async def test_with_the_ai_off_the_package_is_built_offline_without_any_model_call(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(ai_enabled=False, **TIERS)
    await write(desk, "A integração com o Instagram não conecta, o token dá erro 190")

    result = await desk.bot.support.escalate(1, 3, "Integração não volta", "UANA")
    assert result.ok
    await desk.settle()

    text = package(desk)
    assert "*Resumo da conversa* (trechos da própria conversa)" in text
    assert "*Classificação:* Técnico" in text  # the offline rules read the customer's words
    assert "verificar as credenciais de API da integração" in text  # the playbook's diagnosis checks
    assert desk.gemini.prompts == [] and desk.openai.prompts == []  # no model was asked anything
    assert await desk.rows("SELECT id FROM ai_calls") == []
