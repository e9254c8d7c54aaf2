"""An AI answer sends the customer only where the knowledge base does; anything else waits for an agent."""

from __future__ import annotations

import pytest

from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import write

LOGIN_QUESTION = "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada"


@pytest.mark.parametrize(
    "answer",
    [
        "Para entrar, confirme seu e-mail em www.banco-seguro.com.br e troque a senha.",
        "Para entrar, confirme seu e-mail em https://evil.example/login e troque a senha.",
        "Para entrar, confirme seu e-mail em banco-seguro.com.br/login e troque a senha.",
        "Para entrar, confirme seu e-mail em <https://evil.example/login|www.banco.com.br>.",
        "<!channel> Para entrar, confirme seu e-mail e troque a senha.",
    ],
)
async def test_an_answer_with_a_link_or_markup_the_knowledge_base_does_not_give_waits_for_an_agent(
    ai_desk: AIDesk, answer: str
) -> None:
    ai_desk.gemini.reply("draft", {"text": answer})
    await write(ai_desk, LOGIN_QUESTION)

    assert ai_desk.sent_texts() == []
    [draft] = ai_desk.draft_posts()
    [section] = [block for block in draft["blocks"] if block["type"] == "section"]
    assert "confirme seu e-mail" in ai_desk.slack.shown({"text": section["text"]["text"]})
    assert ai_desk.slack.live_markup() == []  # shown to the agent as written, never as a link
    [(decision,)] = await ai_desk.rows("SELECT decision FROM ai_triage")
    assert decision == "draft"


async def test_an_answer_linking_to_the_help_centre_is_still_sent(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(help_center_url="https://ajuda.example.com.br/artigos")
    answer = "Confirme seu e-mail e troque a senha: https://ajuda.example.com.br/artigos/senha"
    desk.gemini.reply("draft", {"text": answer})
    await write(desk, LOGIN_QUESTION)

    assert desk.sent_texts() == [answer]
