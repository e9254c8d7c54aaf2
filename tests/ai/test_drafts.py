"""Agents decide on AI drafts with Enviar, Editar and Descartar; the AI sends alone only what the policy allows."""

from __future__ import annotations

import pytest

from core.ai.offline import classify
from core.ai.policy import AutoReply, ReplyPolicy
from core.ai.rules import decide
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import write

INSTAGRAM = "A integração com o Instagram desconectou sozinha"


async def draft_id(desk: AIDesk) -> int:
    [(found,)] = await desk.rows("SELECT id FROM ai_drafts ORDER BY id DESC LIMIT 1")
    return int(found)


async def test_enviar_sends_the_draft_as_the_agents_answer(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    await ai_desk.press("ai.draft.send", await draft_id(ai_desk), user="UANA")
    await ai_desk.settle()

    [sent] = ai_desk.sent_texts()
    assert "Identifiquei o problema" in sent  # the solutions database's steps
    [draft] = ai_desk.draft_posts()
    assert "Enviado por <@UANA>" in str(draft["blocks"]) and "ai.draft.send" not in str(draft["blocks"])
    assert (await ai_desk.rows("SELECT author FROM messages WHERE direction = 'out'")) == [("UANA",)]
    assert "reactions" in ai_desk.slack.message(
        draft["channel"], draft["ts"]
    )  # delivery marks land on the draft


async def test_editar_opens_the_draft_in_a_modal_and_sends_the_edit(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    found = await draft_id(ai_desk)
    await ai_desk.press("ai.draft.edit", found)
    [opened] = ai_desk.slack.views.values()
    element = opened["view"]["blocks"][0]["element"]
    assert "Identifiquei o problema" in element["initial_value"]

    response = await ai_desk.submit_edit(found, "Oi Maria! Reconecte em Integrações > Instagram, por favor.")
    assert response.status == 200
    await ai_desk.settle()
    assert ai_desk.sent_texts() == ["Oi Maria! Reconecte em Integrações > Instagram, por favor."]
    [draft] = ai_desk.draft_posts()
    assert "(editado)" in str(draft["blocks"]) and "Reconecte em Integrações" in str(draft["blocks"])


async def test_descartar_sends_nothing_and_a_second_click_is_refused(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    found = await draft_id(ai_desk)
    await ai_desk.press("ai.draft.discard", found, user="UANA")
    await ai_desk.settle()
    await ai_desk.press("ai.draft.send", found, user="UBETO")
    await ai_desk.settle()

    assert ai_desk.sent_texts() == []
    [draft] = ai_desk.draft_posts()
    assert "Descartado por <@UANA>" in str(draft["blocks"])
    [refusal] = ai_desk.slack.ephemerals
    assert refusal["user"] == "UBETO" and "já foi descartado por <@UANA>" in refusal["text"]


async def test_ai_autoreply_off_only_drafts(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(ai_autoreply="off")
    await write(desk, "Não consigo entrar na plataforma, a senha dá errada")
    await write(desk, "Vocês cobraram duas vezes no meu cartão!")

    assert desk.sent_texts() == []  # not even hand-off notices
    assert len(desk.draft_posts()) == 1


async def test_a_ticket_an_agent_has_taken_gets_drafts_not_automatic_answers(ai_desk: AIDesk) -> None:
    await write(ai_desk, "Oi")
    [parent] = ai_desk.parents()
    sent_before = len(ai_desk.sent_texts())
    from testing.slack_payloads import slack_block_action
    from tests.conftest import CHANNEL

    body = slack_block_action("ticket.claim", "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])
    await ai_desk.slack_event(body, content_type="application/x-www-form-urlencoded")
    await write(ai_desk, "Não consigo entrar na plataforma, a senha dá errada")

    assert len(ai_desk.sent_texts()) == sent_before
    assert len(ai_desk.draft_posts()) == 1


POLICY_CASES = [
    ("Qual o horário de atendimento de vocês?", "general_inquiry", True),
    ("Não consigo entrar na plataforma, esqueci a senha", "onboarding", True),
    ("Como faço para pagar com boleto?", "billing", True),
    ("Vocês cobraram duas vezes a minha fatura", "billing", False),
    ("A integração com o Instagram desconectou", "technical", False),
    ("Dá erro 500 quando exporto o relatório", "bug_report", False),
    ("Seria ótimo se vocês tivessem modo escuro", "feature_request", False),
]


@pytest.mark.parametrize(("text", "category", "sent"), POLICY_CASES)
def test_safe_mode_sends_only_allowed_categories_without_escalation(
    text: str, category: str, sent: bool
) -> None:
    classification = classify(text)
    assert classification.category == category
    decision = decide(classification, plan="starter", same_problem_interactions=0)
    safe = ReplyPolicy(AutoReply.SAFE, threshold=0.8)
    assert safe.may_send(classification, decision, confidence=0.9, assigned=False) is sent
    assert safe.may_send(classification, decision, confidence=0.79, assigned=False) is False
    assert (
        ReplyPolicy(AutoReply.OFF).may_send(classification, decision, confidence=1.0, assigned=False) is False
    )
    on = ReplyPolicy(AutoReply.ON).may_send(classification, decision, confidence=0.9, assigned=False)
    assert on is (not decision.requires_human)
