"""What the AI proposes beyond a model's words: stored templates, the feature backlog, known technical solutions."""

from __future__ import annotations

from core.ai.proposals import template_draft, template_for
from core.backlog import texts as backlog_texts
from core.templates.model import ResponseTemplate
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import MARIA, write
from tests.test_ideas import agent_notes

IDEA = "Seria ótimo se vocês tivessem integração com o Mercado Livre"
TIERS = {"slack_tier2_group": "S2", "slack_tier2_channel": "CTIER2"}


def technical(**extra: object) -> dict[str, object]:
    """A scripted Gemini classification of a technical message with no immediate reason."""
    return {
        "category": "technical",
        "urgency": "medium",
        "complexity": "moderate",
        "estimated_resolution_time": "hours",
        "requires_human": False,
        "suggested_response_type": "step_by_step",
        "sentiment": 0.5,
        "language": "pt-BR",
        "confidence": 0.9,
        **extra,
    }


async def latest_draft(desk: AIDesk) -> tuple[int, str, str]:
    [(draft_id, body, model)] = await desk.rows(
        "SELECT id, body, model FROM ai_drafts ORDER BY id DESC LIMIT 1"
    )
    return int(draft_id), str(body), str(model)


async def test_a_feature_request_joins_the_backlog_once_per_ticket(ai_desk: AIDesk) -> None:
    await write(ai_desk, IDEA)
    await write(ai_desk, "Ah, e também com a Shopee, seria ótimo se tivessem essa integração")

    assert await ai_desk.rows("SELECT summary FROM ideas") == [(IDEA,)]
    assert await ai_desk.rows("SELECT source FROM idea_requests") == [("ai",)]
    assert any("backlog" in t.lower() or "ideia" in t.lower() for t in ai_desk.texts())


JOAO = "5521998761234"
MARIAS_WORDS = "Seria ótimo se vocês tivessem integração com o Mercado Livre"
MARIAS_DATA = ("123.456.789-09", "maria.souza@exemplo.com.br")


async def test_a_delivered_idea_never_tells_one_customer_another_customers_words(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(slack_supervisors="UBOSS")
    await write(desk, f"{MARIAS_WORDS}, meu CPF é {MARIAS_DATA[0]} e o e-mail {MARIAS_DATA[1]}")
    await write(desk, "Oi, preciso de ajuda", who=JOAO)
    joao = desk.parents()[-1]
    await agent_notes(desk, joao, "//ideia vender pelo Mercado Livre")
    [(maria_idea,)] = await desk.rows("SELECT id FROM ideas WHERE summary LIKE '%CPF%'")
    [(joao_idea,)] = await desk.rows("SELECT id FROM ideas WHERE id != ?", maria_idea)
    await desk.command(f"ideias juntar {maria_idea} {joao_idea}", user="UBOSS")

    await desk.command(f"ideias entregue {maria_idea}", user="UBOSS")
    await desk.settle()
    [told_joao] = [t for t in desk.graph.sent_texts(JOAO) if "sugestão" in t]
    [told_maria] = [t for t in desk.graph.sent_texts(MARIA) if "ficar pronta" in t]
    for words in (*MARIAS_DATA, "Mercado Livre", "CPF"):
        assert words not in told_joao and words not in told_maria
    assert told_joao == backlog_texts.idea_delivered_to_customer("Maria")  # João's profile name here is Maria


async def test_the_feature_template_is_the_draft_and_its_gap_must_be_filled_before_sending(
    ai_desk: AIDesk,
) -> None:
    await write(ai_desk, IDEA)
    draft_id, body, model = await latest_draft(ai_desk)

    assert model == "modelo:feature_001"
    assert "Oi, Maria!" in body and f'"{IDEA}"' in body  # filled from the customer and the backlog
    assert "{agent_name}" in body  # nobody knows who will sign: a gap
    assert ai_desk.sent_texts() == []  # a template is never sent by the AI

    await ai_desk.press("ai.draft.send", draft_id, user="UANA")
    await ai_desk.settle()
    assert ai_desk.sent_texts() == []
    [refusal] = ai_desk.slack.ephemerals
    assert "Falta preencher" in refusal["text"] and "Editar" in refusal["text"]

    refused = await ai_desk.submit_edit(draft_id, body.replace("{amount}", "10"), user="UANA")
    assert "Falta preencher" in (await refused.text())
    finished = body.replace("{agent_name}", "Ana")
    accepted = await ai_desk.submit_edit(draft_id, finished, user="UANA")
    assert accepted.status == 200
    await ai_desk.settle()
    assert ai_desk.sent_texts() == [finished]


async def test_a_known_technical_problem_gets_the_steps_and_time_and_stays_in_tier_1(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(**TIERS)
    desk.gemini.reply("classify", technical())
    await write(desk, "A IA está muito lenta, demora demais para responder")

    _, body, model = await latest_draft(desk)
    assert model == "solucao:respostas-da-ia-lentas"
    assert "Identifiquei o problema" in body and "*Tempo estimado:* 10 minutos" in body
    assert await desk.rows("SELECT tier FROM tickets") == [(1,)]
    assert desk.slack.channel_messages("CTIER2") == []


async def test_an_unsure_match_asks_the_customer_to_confirm(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(**TIERS)
    desk.gemini.reply("classify", technical())
    await write(
        desk, "integração do facebook desconectou sozinha ontem à noite depois que mudei a senha da página"
    )

    _, body, model = await latest_draft(desk)
    assert model == "solucao:falha-conexao-integracao"
    assert "Pode testar e me contar se funcionou?" in body


async def test_an_unknown_technical_problem_goes_to_tier_2_with_a_diagnostic_package(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(**TIERS)
    desk.gemini.reply("classify", technical())
    await write(desk, "O botão de publicar fica cinza no editor de fluxos")

    assert await desk.rows("SELECT tier, actor FROM escalations") == [(2, "ai")]
    [(reason,)] = await desk.rows("SELECT reason FROM escalations")
    assert "Sem solução conhecida" in reason and "reproduzir o problema" in reason
    [package] = desk.slack.channel_messages("CTIER2")
    text = package["text"]
    assert "Classificação:" in text and "Técnico" in text  # the classification
    assert "*Cliente:*" in text  # the customer context
    assert "Investigação sugerida" in text and "<!subteam^S2>" in text
    assert "botão de publicar" in text  # the summary of the conversation


def test_the_template_of_a_category_is_the_lowest_id_and_unknown_values_stay_gaps() -> None:
    stored = [
        ResponseTemplate("billing_002", "B", "billing", "empathetic", "Oi {customer_name}"),
        ResponseTemplate("billing_001", "A", "billing", "empathetic", "Oi {customer_name}, {amount}"),
    ]
    chosen = template_for(stored, "billing")
    assert chosen is not None and chosen.id == "billing_001"
    assert template_for(stored, "technical") is None

    draft = template_draft(chosen, {"customer_name": "Maria", "amount": None}, 0.9)
    assert draft.text == "Oi Maria, {amount}" and draft.gaps == ("amount",) and draft.from_template
