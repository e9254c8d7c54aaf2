"""Under each customer message the AI makes one post: its triage line leading the answer, draft or alert."""

from __future__ import annotations

from tests.ai.conftest import AIDesk
from tests.ai.test_answers import write
from tests.ai.test_drafts import INSTAGRAM, draft_id

LOGIN = "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada"
DISPUTE = "Vocês cobraram duas vezes no meu cartão, quero meu dinheiro de volta"


async def test_an_answer_the_ai_sent_is_shown_in_one_post_under_its_triage_line(ai_desk: AIDesk) -> None:
    await write(ai_desk, LOGIN)

    [message, ai_post] = ai_desk.texts()
    assert message == LOGIN
    line, answer = ai_post.split("\n", 1)
    assert line.startswith("🤖 Primeiros passos") and "respondido pela IA" in line
    assert answer.startswith("✉️ *Resposta automática enviada*") and "Confirme o seu e-mail" in answer


async def test_a_draft_is_drawn_under_its_triage_line_before_and_after_an_agent_sends_it(
    ai_desk: AIDesk,
) -> None:
    await write(ai_desk, INSTAGRAM)

    [message, ai_post] = ai_desk.texts()
    assert message == INSTAGRAM and ai_post.startswith("🤖 ")
    [draft] = ai_desk.draft_posts()
    line = draft["blocks"][0]["elements"][0]["text"]
    assert line.startswith("🤖 ") and "rascunho para revisão" in line

    await ai_desk.press("ai.draft.send", await draft_id(ai_desk), user="UANA")
    await ai_desk.settle()
    [redrawn] = ai_desk.draft_posts()
    assert redrawn["blocks"][0]["elements"][0]["text"] == line
    assert "Enviado por <@UANA>" in str(redrawn["blocks"])


async def test_a_hand_off_is_one_alert_under_the_triage_line(ai_desk: AIDesk) -> None:
    await write(ai_desk, DISPUTE)

    message, alert, *notices = ai_desk.texts()
    assert message == DISPUTE
    line, rest = alert.split("\n", 1)
    assert line.startswith("🤖 ") and "encaminhado a uma pessoa" in line
    assert rest.startswith("🚨 Atendimento humano necessário") and "contestação de cobrança" in rest
    assert not [t for t in notices if "🤖" in t or "🚨" in t]  # the hand-off notice to the customer, if any
