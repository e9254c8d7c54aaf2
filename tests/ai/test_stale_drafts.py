"""A draft the conversation left behind is never sent: Enviar and Editar say why, and its buttons go.

Found by a new user: an agent answered by hand, resolved the ticket, the customer rated it,
and **Enviar** on the AI's old draft still sent the article to the customer.
"""

from __future__ import annotations

from core.ai import texts as ai_texts
from core.feedback import texts as feedback_texts
from testing.slack_payloads import slack_view_submission
from testing.whatsapp_webhooks import wa_list_reply
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import MARIA, write
from tests.ai.test_drafts import INSTAGRAM, draft_id
from tests.ai.test_voice_and_hours import SATURDAY
from tests.test_conversation_loop import agent_says, click

HAND_ANSWER = "Oi, Maria! Já reconectei a integração do seu lado, pode testar?"


def assert_stale_card(desk: AIDesk) -> None:
    """The draft shows it went stale, with no buttons left to press."""
    [draft] = desk.draft_posts()
    blocks = str(draft["blocks"])
    assert ai_texts.AI_DRAFT_STALE_LINE in blocks
    assert not [b for b in draft["blocks"] if b["type"] == "actions"]


async def test_enviar_after_an_agent_answered_by_hand_sends_nothing(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    found = await draft_id(ai_desk)
    await agent_says(ai_desk, ai_desk.parents()[0]["ts"], "UANA", HAND_ANSWER)
    await ai_desk.settle()

    await ai_desk.press("ai.draft.send", found, user="UBETO")
    await ai_desk.settle()

    assert ai_desk.sent_texts() == [HAND_ANSWER]
    [told] = ai_desk.slack.ephemerals
    assert told["user"] == "UBETO"
    assert told["text"] == ai_texts.ai_draft_stale(ai_texts.AI_DRAFT_STALE_ANSWERED)
    assert told["text"].startswith("⌛ Rascunho desatualizado: um atendente já respondeu")
    assert_stale_card(ai_desk)
    assert await ai_desk.rows("SELECT state FROM ai_drafts") == [("stale",)]


async def test_editar_after_the_ticket_was_answered_resolved_and_rated_opens_nothing(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    found = await draft_id(ai_desk)
    parent = ai_desk.parents()[0]
    await agent_says(ai_desk, parent["ts"], "UANA", HAND_ANSWER)
    assert await click(ai_desk, "ticket.resolve", 1, "UANA", parent["ts"]) == 200
    await ai_desk.settle()
    title, description = feedback_texts.CSAT_OPTIONS[5]
    await ai_desk.whatsapp(wa_list_reply(MARIA, "Maria", "csat:1:5", title, description=description))
    await ai_desk.settle()
    sent_before = ai_desk.sent_texts()

    await ai_desk.press("ai.draft.edit", found, user="UANA")
    await ai_desk.press("ai.draft.send", found, user="UANA")  # a second look, from an old screen
    await ai_desk.settle()

    assert ai_desk.slack.modals() == []
    assert ai_desk.sent_texts() == sent_before
    assert not any("Identifiquei o problema" in text for text in sent_before)  # the draft never went
    assert [e["text"] for e in ai_desk.slack.ephemerals] == [
        ai_texts.ai_draft_stale(ai_texts.AI_DRAFT_STALE_RESOLVED),
        ai_texts.AI_DRAFT_STALE_BEFORE,
    ]
    assert_stale_card(ai_desk)


async def test_an_edit_submitted_after_the_customer_wrote_again_is_refused(ai_desk: AIDesk) -> None:
    await write(ai_desk, INSTAGRAM)
    found = await draft_id(ai_desk)
    await ai_desk.press("ai.draft.edit", found, user="UANA")  # still current: the modal opens
    assert len(ai_desk.slack.modals()) == 1
    await write(ai_desk, "Alguém aí? Agora o Facebook também desconectou")
    sent_before = ai_desk.sent_texts()

    values = {"draft": {"text": {"type": "plain_text_input", "value": "Reconecte o Instagram, por favor."}}}
    answer = await ai_desk.slack_form(
        slack_view_submission("ai.draft.edit_modal", values, user_id="UANA", private_metadata=str(found))
    )
    await ai_desk.settle()

    assert answer == {
        "response_action": "errors",
        "errors": {"draft": ai_texts.ai_draft_stale(ai_texts.AI_DRAFT_STALE_NEWER)},
    }
    assert ai_desk.sent_texts() == sent_before
    assert "Reconecte o Instagram, por favor." not in ai_desk.sent_texts()
    assert await ai_desk.rows("SELECT state FROM ai_drafts WHERE id = ?", found) == [("stale",)]


async def test_a_draft_still_current_is_sent_after_the_ais_own_after_hours_notice(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(at=SATURDAY)
    await write(desk, INSTAGRAM)
    found = await draft_id(desk)
    [notice] = desk.sent_texts()  # the AI told the customer when the desk opens: not an answer
    assert "Identifiquei o problema" not in notice

    await desk.press("ai.draft.send", found, user="UANA")
    await desk.settle()

    assert desk.sent_texts()[0] == notice and "Identifiquei o problema" in desk.sent_texts()[1]
    assert desk.slack.ephemerals == []
