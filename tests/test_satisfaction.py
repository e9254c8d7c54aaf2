"""After a resolution the customer rates the service on WhatsApp: CSAT list, comment, NPS, low-score reopen."""

from __future__ import annotations

import time

from core.escalation import texts as escalation_texts
from core.feedback import texts as feedback_texts
from core.tickets import texts as tickets_texts
from testing.whatsapp_webhooks import wa_list_reply, wa_text_message
from tests.conftest import Desk, StartDesk
from tests.test_conversation_loop import click

MARIA = "5511987651234"


async def resolved(desk: Desk, *, agent: str = "UANA", ticket: int = 1) -> dict:
    """Maria writes, an agent resolves; returns the ticket's parent message."""
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Não consigo emitir a nota fiscal"))
    await desk.settle()
    parent = desk.parents()[-1]
    assert await click(desk, "ticket.resolve", ticket, agent, parent["ts"]) == 200
    await desk.settle()
    return parent


async def rate(desk: Desk, score: int, ticket: int = 1, **kw) -> None:
    title, description = feedback_texts.CSAT_OPTIONS[score]
    body = wa_list_reply(MARIA, "Maria", f"csat:{ticket}:{score}", title, description=description, **kw)
    assert (await desk.whatsapp(body)).status == 200
    await desk.settle()


def thread_texts(desk: Desk, parent: dict) -> list[str]:
    return [m["text"] for m in desk.thread_of(parent)]


async def test_resolution_asks_for_a_rating_with_a_five_row_list_after_the_closing_message(
    desk: Desk,
) -> None:
    await resolved(desk)
    closing, survey = desk.graph.sent_to(MARIA)
    assert closing["text"]["body"] == tickets_texts.CUSTOMER_CLOSING
    assert survey["type"] == "interactive" and survey["interactive"]["type"] == "list"
    assert survey["interactive"]["action"]["button"] == feedback_texts.CSAT_BUTTON
    rows = survey["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [f"csat:1:{n}" for n in (5, 4, 3, 2, 1)]
    assert rows[0]["title"] == "5 ⭐ Excelente"


async def test_a_rating_is_stored_shown_in_the_thread_thanked_and_followed_by_the_nps_question(
    desk: Desk,
) -> None:
    parent = await resolved(desk)
    await rate(desk, 4)

    assert await desk.rows("SELECT ticket_id, score, comment FROM csat") == [(1, 4, None)]
    assert feedback_texts.csat_received(4) in thread_texts(desk, parent)
    assert desk.graph.sent_texts(MARIA)[-2:] == [feedback_texts.CSAT_THANKS, feedback_texts.NPS_QUESTION]
    assert len(desk.parents()) == 1  # the pick did not open a new conversation

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "9"))
    await desk.settle()
    assert await desk.rows("SELECT customer_id, score FROM nps") == [(1, 9)]
    assert feedback_texts.nps_received(9) in thread_texts(desk, parent)
    assert desk.graph.sent_texts(MARIA)[-1] == feedback_texts.NPS_THANKS
    assert len(desk.parents()) == 1


async def test_a_comment_after_the_rating_is_attached_and_later_messages_open_a_new_ticket(
    desk: Desk,
) -> None:
    parent = await resolved(desk)
    await rate(desk, 3)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Demorou um pouco, mas resolveram"))
    await desk.settle()
    assert await desk.rows("SELECT score, comment FROM csat") == [(3, "Demorou um pouco, mas resolveram")]
    assert feedback_texts.csat_comment("Demorou um pouco, mas resolveram") in thread_texts(desk, parent)
    assert desk.graph.sent_texts(MARIA)[-1] == feedback_texts.COMMENT_THANKS

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Outra dúvida: como mudo meu plano?"))
    await desk.settle()
    assert len(desk.parents()) == 2


async def test_a_text_after_the_comment_window_is_a_new_conversation(desk: Desk) -> None:
    await resolved(desk)
    await rate(desk, 4, timestamp=int(time.time()) - 31 * 60)  # rated 31 minutes ago
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Preciso de ajuda com boletos"))
    await desk.settle()
    assert await desk.rows("SELECT comment FROM csat") == [(None,)]
    assert len(desk.parents()) == 2


async def test_a_low_rating_alerts_the_thread_and_reopens_the_ticket(desk: Desk) -> None:
    parent = await resolved(desk)
    await rate(desk, 2)

    assert await desk.rows("SELECT status, resolved_at FROM tickets") == [("reopened", None)]
    notes = thread_texts(desk, parent)
    assert escalation_texts.reopened_note(feedback_texts.low_rating_reason(2)) in notes
    assert "Reaberto" in str(desk.slack.message(parent["channel"], parent["ts"])["blocks"])
    assert (
        desk.graph.sent_texts(MARIA)[-1] == feedback_texts.CSAT_SORRY
    )  # and no NPS question for an unhappy customer
    assert await desk.rows("SELECT actor, action FROM events WHERE action = 'reopened'") == [
        ("customer", "reopened")
    ]

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "A nota continua saindo com erro"))
    await desk.settle()
    assert len(desk.parents()) == 1
    assert thread_texts(desk, parent)[-1] == "A nota continua saindo com erro"
    assert await desk.rows("SELECT comment FROM csat") == [("A nota continua saindo com erro",)]


async def test_a_good_rating_runs_the_hooks_with_the_ticket_and_score(desk: Desk) -> None:
    seen: list[tuple[int, int]] = []

    async def learn(ticket_id: int, score: int) -> None:
        seen.append((ticket_id, score))

    desk.bot.good_ratings.add(learn)
    await resolved(desk)
    await rate(desk, 5)
    assert seen == [(1, 5)]


async def test_a_repeated_or_late_pick_changes_nothing_and_opens_no_ticket(desk: Desk) -> None:
    await resolved(desk)
    await rate(desk, 5, wamid="wamid.PICK1")
    await rate(desk, 5, wamid="wamid.PICK1")  # Meta re-delivers
    await rate(desk, 1)  # a second tap on the old list
    assert await desk.rows("SELECT score FROM csat") == [(5,)]
    assert await desk.rows("SELECT status FROM tickets") == [("resolved",)]
    assert len(desk.parents()) == 1


async def test_nps_is_asked_at_most_once_per_interval(desk: Desk) -> None:
    await resolved(desk)
    await rate(desk, 4)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "10"))
    await desk.settle()
    await resolved(desk, ticket=2)
    await rate(desk, 5, ticket=2)
    assert desk.graph.sent_texts(MARIA).count(feedback_texts.NPS_QUESTION) == 1
    assert await desk.rows("SELECT ticket_id, score FROM csat ORDER BY ticket_id") == [(1, 4), (2, 5)]


async def test_a_number_outside_the_scale_is_a_normal_message(desk: Desk) -> None:
    await resolved(desk)
    await rate(desk, 4)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "42"))
    await desk.settle()
    assert await desk.rows("SELECT COUNT(*) FROM nps") == [(0,)]
    assert await desk.rows("SELECT comment FROM csat") == [("42",)]


async def test_surveys_can_be_switched_off(start_desk: StartDesk) -> None:
    desk = await start_desk(csat_enabled=False)
    await resolved(desk)
    assert [m["type"] for m in desk.graph.sent_to(MARIA)] == ["text"]
