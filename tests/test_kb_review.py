"""The learning loop in Slack: proposals reach the review channel and only a person publishes them."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from core.kb.model import CandidateOrigin
from testing.clock import FixedClock
from testing.signing import sign_slack
from testing.slack_payloads import slack_block_action, slack_message_event, slack_view_submission
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, SLACK_SECRET, Desk, StartDesk
from tests.test_satisfaction import rate

REVIEW = "CREVIEW"
FORM = "application/x-www-form-urlencoded"
MARIA = "5511987651234"


async def post(desk: Desk, raw: bytes) -> dict[str, Any]:
    headers = sign_slack(raw, SLACK_SECRET, int(time.time()), content_type=FORM)
    async with desk.http.post(f"{desk.url}/slack/events", data=raw, headers=headers) as response:
        assert response.status == 200, await response.text()
        body = await response.read()
        return json.loads(body) if body.strip() else {}


async def click(
    desk: Desk, action: str, value: int | str, ts: str, user: str = "UANA", channel: str = REVIEW
) -> None:
    await post(desk, slack_block_action(action, str(value), user_id=user, channel=channel, message_ts=ts))


def values(
    title: str, body: str, category: str = "billing_and_plans", tags: str = "", time_: str = ""
) -> dict:
    return {
        "title": {"title": {"type": "plain_text_input", "value": title}},
        "category": {"category": {"type": "static_select", "selected_option": {"value": category}}},
        "tags": {"tags": {"type": "plain_text_input", "value": tags or None}},
        "estimated_time": {"estimated_time": {"type": "plain_text_input", "value": time_ or None}},
        "body": {"body": {"type": "plain_text_input", "value": body}},
    }


def buttons(message: dict) -> list[str]:
    return [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def review_posts(desk: Desk) -> list[dict]:
    return desk.slack.channel_messages(REVIEW)


async def review_desk(start_desk: StartDesk, **settings: Any) -> Desk:
    return await start_desk(slack_kb_review_channel=REVIEW, **settings)


async def propose_by_modal(desk: Desk, title: str, body: str, user: str = "UANA", **fields: str) -> dict:
    """``/suporte kb novo``, then the form is sent; returns the review post once it is there."""
    answer = await desk.command("kb novo", user=user)
    assert "formulário" in answer["text"]
    [modal] = desk.slack.modals()
    assert modal["callback_id"] == "kb.new"
    reply = await post(desk, slack_view_submission("kb.new", values(title, body, **fields), user_id=user))
    assert reply == {}  # the modal closes
    await desk.settle()
    return review_posts(desk)[-1]


async def test_search_from_slack(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk, help_center_url="https://ajuda.example.com.br")
    answer = await desk.command("kb busca como pago com pix?")
    assert answer["text"].startswith("🔎 Artigos para “como pago com pix?”")
    assert "*Formas de pagamento: Pix, boleto e cartão de crédito* (`formas-de-pagamento`)" in answer["text"]
    assert "<https://ajuda.example.com.br/formas-de-pagamento|abrir>" in answer["text"]
    assert (await desk.command("kb busca xyzzy"))["text"] == "🔎 Nenhum artigo encontrado para essa busca."
    assert "/suporte kb busca TEXTO" in (await desk.command("kb"))["text"]
    assert "`/suporte kb`" in (await desk.command("ajuda"))["text"]


async def test_a_written_article_is_published_only_when_someone_presses_publicar(
    start_desk: StartDesk,
) -> None:
    desk = await review_desk(start_desk)
    proposal = await propose_by_modal(
        desk,
        "Como trocar o e-mail da conta",
        "Vá em Configurações > Perfil e altere o e-mail.",
        tags="email, perfil",
    )
    text = str(proposal["blocks"])
    assert "Como trocar o e-mail da conta" in text and "Escrito pela equipe" in text and "<@UANA>" in text
    assert buttons(proposal) == ["Publicar", "Editar", "Descartar"]
    assert await desk.bot.kb.search("trocar email da conta perfil", 1) != [] and (
        (await desk.bot.kb.search("trocar email da conta perfil", 1))[0].slug
        != "como-trocar-o-e-mail-da-conta"
    )  # not published yet

    await click(desk, "kb.publish", 1, proposal["ts"], user="UBRUNO")
    await desk.settle()
    [hit] = await desk.bot.kb.search("trocar o email da conta", 1)
    assert hit.slug == "como-trocar-o-e-mail-da-conta"
    redrawn = desk.slack.message(REVIEW, proposal["ts"])
    assert redrawn is not None and buttons(redrawn) == []
    assert "✅ Publicado por <@UBRUNO> como `como-trocar-o-e-mail-da-conta`" in str(redrawn["blocks"])
    assert await desk.rows("SELECT actor, action FROM events WHERE action LIKE 'kb.%' ORDER BY id") == [
        ("UANA", "kb.proposed"),
        ("UBRUNO", "kb.published"),
    ]

    await click(desk, "kb.discard", 1, proposal["ts"], user="UCARLA")  # too late: already decided
    notice = await desk.slack.wait_for(lambda f: f.calls_to("chat.postEphemeral"))
    assert (
        notice[-1].params["text"] == "Esta proposta já foi decidida."
        and notice[-1].params["user"] == "UCARLA"
    )
    assert await desk.bot.kb.get("como-trocar-o-e-mail-da-conta") is not None


async def test_editar_changes_the_text_before_publishing(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    proposal = await propose_by_modal(desk, "Alterar forma de pagamento", "Texto provisório.")
    await click(desk, "kb.edit", 1, proposal["ts"], user="UBRUNO")
    await desk.slack.wait_for(lambda f: len(f.modals()) == 2)
    modal = desk.slack.modals()[-1]
    assert modal["callback_id"] == "kb.edit_view" and modal["private_metadata"] == "1"
    assert "Texto provisório." in str(modal["blocks"])

    new = values(
        "Alterar a forma de pagamento",
        "Em Plano e cobrança, clique em Forma de pagamento.",
        time_="5 minutos",
    )
    assert (
        await post(desk, slack_view_submission("kb.edit_view", new, user_id="UBRUNO", private_metadata="1"))
        == {}
    )
    await desk.settle()
    redrawn = desk.slack.message(REVIEW, proposal["ts"])
    assert redrawn is not None and "clique em Forma de pagamento" in str(redrawn["blocks"])
    assert "⏱️ 5 minutos" in str(redrawn["blocks"]) and buttons(redrawn) == ["Publicar", "Editar", "Descartar"]

    await click(desk, "kb.publish", 1, proposal["ts"])
    await desk.settle()
    article = await desk.bot.kb.get("alterar-a-forma-de-pagamento")
    assert article is not None and article.estimated_time == "5 minutos"
    assert article.body == "Em Plano e cobrança, clique em Forma de pagamento."


async def test_descartar_publishes_nothing(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    before = await desk.bot.kb.count()
    proposal = await propose_by_modal(desk, "Artigo ruim", "Não deveria ir ao ar.")
    await click(desk, "kb.discard", 1, proposal["ts"])
    await desk.settle()
    redrawn = desk.slack.message(REVIEW, proposal["ts"])
    assert (
        redrawn is not None
        and "🗑️ Descartado por <@UANA>" in str(redrawn["blocks"])
        and buttons(redrawn) == []
    )
    await click(desk, "kb.publish", 1, proposal["ts"])
    await desk.settle()
    assert await desk.bot.kb.count() == before


async def test_an_incomplete_form_is_refused_with_the_reason(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    await desk.command("kb novo")
    reply = await post(desk, slack_view_submission("kb.new", values("", "texto"), user_id="UANA"))
    assert reply == {
        "response_action": "errors",
        "errors": {"title": "Confira o artigo: o título está vazio."},
    }
    reply = await post(desk, slack_view_submission("kb.new", values("Título", "  "), user_id="UANA"))
    assert reply["errors"]["title"] == "Confira o artigo: o texto do artigo está vazio."
    await desk.settle()
    assert review_posts(desk) == []


async def resolved_ticket(desk: Desk, question: str, answer: str) -> dict:
    await desk.whatsapp(wa_text_message(MARIA, "Maria Souza", question))
    await desk.settle()
    [parent] = desk.parents()
    ts = desk.slack.post_as_user(CHANNEL, "UANA", answer, thread_ts=parent["ts"])["ts"]
    await desk.slack_event(slack_message_event(CHANNEL, "UANA", answer, ts=ts, thread_ts=parent["ts"]))
    await click(desk, "ticket.resolve", 1, parent["ts"], channel=CHANNEL)
    await desk.settle()
    return desk.slack.message(CHANNEL, parent["ts"]) or parent


async def test_salvar_como_artigo_sends_the_resolved_thread_for_review(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    parent = await resolved_ticket(
        desk,
        "Como eu mudo o dia do vencimento do boleto?",
        "Em Plano e cobrança, clique em Alterar vencimento.",
    )
    assert "Salvar como artigo" in buttons(parent)
    await click(desk, "ticket.kb_save", 1, parent["ts"], channel=CHANNEL)
    await desk.settle()
    [proposal] = review_posts(desk)
    text = str(proposal["blocks"])
    assert "Como eu mudo o dia do vencimento do boleto?" in text
    assert "Em Plano e cobrança, clique em Alterar vencimento." in text
    assert "Salvo de um atendimento" in text and "ticket #1" in text
    notice = desk.slack.calls_to("chat.postEphemeral")[-1]
    assert notice.params["text"] == f"💾 Rascunho enviado para revisão em <#{REVIEW}>."

    await click(desk, "ticket.kb_save", 1, parent["ts"], channel=CHANNEL)  # a second press adds nothing
    await desk.settle()
    assert len(review_posts(desk)) == 1
    assert "já foi enviado" in desk.slack.calls_to("chat.postEphemeral")[-1].params["text"]


async def test_a_csat_above_4_proposes_the_ticket_and_lower_ones_do_not(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    await resolved_ticket(desk, "Vocês emitem nota fiscal no CNPJ?", "Sim! Cadastre o CNPJ em Dados fiscais.")
    await rate(desk, 4)
    assert review_posts(desk) == []

    await desk.bot.kb_loop.on_csat(1, 5)  # as the survey's good-rating hook calls it
    await desk.settle()
    [proposal] = review_posts(desk)
    text = str(proposal["blocks"])
    assert "nota máxima" in text and "Sim! Cadastre o CNPJ em Dados fiscais." in text
    assert "Seu atendimento foi concluído" not in text  # the desk's closing line is not an answer
    assert await desk.rows("SELECT origin, category FROM kb_candidates") == [("csat", "billing_and_plans")]
    await desk.bot.kb_loop.on_csat(1, 5)  # one proposal per ticket
    await desk.settle()
    assert len(review_posts(desk)) == 1


async def test_a_five_star_rating_from_the_customer_reaches_the_review_channel(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    await resolved_ticket(
        desk, "Como troco o cartão da assinatura?", "Em Forma de pagamento, clique em Trocar cartão."
    )
    await rate(desk, 5)
    await desk.settle()
    [proposal] = review_posts(desk)
    assert "Em Forma de pagamento, clique em Trocar cartão." in str(proposal["blocks"])


async def test_only_agents_review(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk, slack_agents="UANA")
    proposal = await propose_by_modal(desk, "Título", "Texto do artigo.")
    await click(desk, "kb.publish", 1, proposal["ts"], user="UINTRUSO")
    await desk.settle()
    assert await desk.bot.kb.get("titulo") is None
    assert ("UINTRUSO", "access.refused") in await desk.rows("SELECT actor, action FROM events")


async def test_a_question_asked_more_than_5_times_in_7_days_becomes_an_faq_draft(
    start_desk: StartDesk,
) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    desk = await review_desk(start_desk, clock=clock, kb_faq_scan_seconds=3600)
    wordings = [
        "Como emito a segunda via do boleto?",
        "como emitir segunda via boleto",
        "Segunda via do boleto, como emito?",
        "COMO EMITO A SEGUNDA VIA DO BOLETO",
        "como emito segunda via de boleto",
    ]

    async def asks(phone: str, text: str) -> None:
        stamp = int(clock.now().timestamp())  # WhatsApp's timestamp: when the customer asked
        await desk.whatsapp(wa_text_message(phone, "Cliente", text, timestamp=stamp))

    for n, text in enumerate(wordings):
        await asks(f"55119876500{n:02d}", text)
        clock.advance(hours=20)
    await desk.settle()
    assert await desk.bot.kb_loop.scan_questions() == []  # 5 times: not yet

    await asks("5511987650099", "Quero saber de outra coisa: meu plano")
    await asks("5511987650098", "como emito segunda via do boleto")
    await desk.settle()
    [faq] = await desk.bot.kb_loop.scan_questions()
    assert faq.origin is CandidateOrigin.FAQ
    await desk.settle()
    [proposal] = review_posts(desk)
    text = str(proposal["blocks"])
    assert "Perguntado 6 vezes nos últimos 7 dias" in text and "Pergunta frequente" in text
    assert "formas-de-pagamento" in text  # the closest article today, for the reviewer to build on
    assert await desk.bot.kb_loop.scan_questions() == []  # proposed once per week

    clock.advance(days=8)  # the week passed: old questions no longer count
    assert await desk.bot.kb_loop.scan_questions() == []
