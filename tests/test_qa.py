"""Quality assurance: the playbook's sampling, the weighted scoring modal in Slack, improvement triggers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.common.business_hours import BusinessHours
from core.common.labels import QA_REASON
from core.feedback import texts as feedback_texts
from core.feedback.model import InteractionFacts, QaReview
from core.feedback.qa import SampleReason, report_triggers, review_triggers, sample, weighted_score
from core.reports.metrics import compute
from core.reports.model import ReportInput, TicketRow
from core.tickets import texts as tickets_texts
from handlers.slack import markup
from testing.slack_payloads import slack_block_action, slack_view_submission
from testing.whatsapp_webhooks import wa_list_reply, wa_text_message
from tests.conftest import Desk, StartDesk
from tests.test_conversation_loop import agent_says, click

BOSS = "UBOSS"
QA = "CQA"
REPORTS = "CREPORTS"
N = 100_000


def test_sampling_rates_on_a_large_population() -> None:
    def rate(**kw: bool) -> float:
        picked = sum(
            sample(InteractionFacts(i, kw.get("ai", False), kw.get("human", False), False, False)) is not None
            for i in range(N)
        )
        return picked / N

    assert rate(ai=True) == pytest.approx(0.10, abs=0.005)
    assert rate(human=True) == pytest.approx(0.25, abs=0.005)
    assert rate(ai=True, human=True) == pytest.approx(
        0.25, abs=0.005
    )  # a person answered: a human interaction
    assert rate() == 0  # nobody answered: nothing to review
    everyone = range(0, N, 97)
    assert all(
        sample(InteractionFacts(i, True, False, True, False)) is SampleReason.ESCALATED for i in everyone
    )
    assert all(
        sample(InteractionFacts(i, False, True, False, True)) is SampleReason.COMPLAINT for i in everyone
    )
    # the draw is fixed per ticket: asking again never changes the answer
    assert [sample(InteractionFacts(i, True, False, False, False)) for i in range(200)] == [
        sample(InteractionFacts(i, True, False, False, False)) for i in range(200)
    ]


def test_the_score_weighs_the_playbook_criteria() -> None:
    assert weighted_score({"accuracy": 5, "helpfulness": 4, "tone": 3, "efficiency": 2}) == pytest.approx(3.9)
    assert weighted_score({"accuracy": 5, "helpfulness": 5, "tone": 5, "efficiency": 5}) == 5.0
    with pytest.raises(ValueError):
        weighted_score({"accuracy": 6, "helpfulness": 5, "tone": 5, "efficiency": 5})
    with pytest.raises(ValueError):
        weighted_score({"accuracy": 5})


def _review(n: int, agent: str, category: str, score: float) -> QaReview:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    return QaReview(n, n, "human", agent, category, at, score=score, scores={}, reviewed_at=at)


def test_agent_and_category_triggers_need_three_reviews_below_the_floor() -> None:
    reviews = [_review(1, "UANA", "billing", 3.0), _review(2, "UANA", "billing", 3.4)]
    assert review_triggers(reviews) == []
    reviews.append(_review(3, "UANA", "technical", 3.5))
    reviews += [_review(4, "UBIA", "billing", 4.5), _review(5, "UBIA", "billing", 4.5)]
    fired = {(t.kind, t.subject): t for t in review_triggers(reviews)}
    assert set(fired) == {("agent", "UANA"), ("category", "billing")}
    assert fired["agent", "UANA"].value == pytest.approx(3.3)
    assert fired["category", "billing"].value == pytest.approx((3.0 + 3.4 + 4.5 + 4.5) / 4)


def test_ai_accuracy_and_csat_triggers_read_the_report() -> None:
    at = datetime(2026, 11, 23, 12, tzinfo=UTC)
    ticket = TicketRow(1, 1, "whatsapp", at, at, first_ai_at=at, ai_replies=1, human_replies=1)
    data = ReportInput(at, at.replace(day=24), at.replace(day=24), [ticket], drafts={"sent": 1, "edited": 2})
    report = compute(data, BusinessHours())
    assert [t.kind for t in report_triggers(report)] == ["ai_accuracy"]  # 1 of 4 accurate; no CSAT yet


async def escalated_and_resolved(desk: Desk, phone: str, ticket: int) -> None:
    await desk.whatsapp(wa_text_message(phone, "Cliente", "Fui cobrado duas vezes"))
    await desk.settle()
    parent = desk.parents()[-1]
    await agent_says(desk, parent["ts"], "UANA", "Vou verificar com o financeiro.")
    assert (await desk.bot.support.escalate(ticket, 2, "cobrança em dobro", "UANA")).ok
    await click(desk, "ticket.resolve", ticket, "UANA", parent["ts"])
    await desk.settle()


async def submit_scores(
    desk: Desk, review_id: int, user: str, scores: dict[str, int], notes: str = ""
) -> None:
    values = {
        name: {name: {"type": "static_select", "selected_option": {"value": str(score)}}}
        for name, score in scores.items()
    }
    values["notes"] = {"notes": {"type": "plain_text_input", "value": notes}}
    body = slack_view_submission("qa.score", values, user_id=user, private_metadata=str(review_id))
    response = await desk.slack_event(body, content_type="application/x-www-form-urlencoded")
    assert response.status == 200
    await desk.settle()


def qa_cards(desk: Desk) -> list[dict]:
    return [m for m in desk.slack.channel_messages(QA) if "Revisão de qualidade" in m["text"]]


@pytest.fixture
async def qa_desk(start_desk: StartDesk) -> Desk:
    return await start_desk(
        slack_supervisors=BOSS, slack_reports_channel=REPORTS, slack_qa_channel=QA, weekly_report=False
    )


async def test_an_escalated_case_is_queued_and_only_a_supervisor_may_score_it(qa_desk: Desk) -> None:
    desk = qa_desk
    await escalated_and_resolved(desk, "5511987650011", 1)
    [card] = qa_cards(desk)
    assert "Ticket #1" in card["text"] and QA_REASON["escalated"] in card["text"]
    [button] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == "qa.review"

    click_body = slack_block_action(
        "qa.review", button["value"], user_id="UAGENT", channel=QA, message_ts=card["ts"]
    )
    assert (
        await desk.slack_event(click_body, content_type="application/x-www-form-urlencoded")
    ).status == 200
    await desk.slack.wait_for(lambda fake: fake.ephemerals)
    assert desk.slack.ephemerals[-1]["text"] == tickets_texts.SUPERVISORS_ONLY and desk.slack.modals() == []
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UAGENT",)]

    click_body = slack_block_action(
        "qa.review", button["value"], user_id=BOSS, channel=QA, message_ts=card["ts"]
    )
    await desk.slack_event(click_body, content_type="application/x-www-form-urlencoded")
    await desk.slack.wait_for(lambda fake: fake.modals())
    [modal] = desk.slack.modals()
    labels = [b["label"]["text"] for b in modal["blocks"]]
    assert labels[:4] == [
        "Precisão (40%)",
        "Utilidade (25%)",
        "Tom e profissionalismo (20%)",
        "Eficiência (15%)",
    ]

    await submit_scores(
        desk,
        int(button["value"]),
        BOSS,
        {"accuracy": 5, "helpfulness": 4, "tone": 3, "efficiency": 2},
        "Faltou confirmar o estorno.",
    )
    assert await desk.rows("SELECT reviewer, score, notes FROM qa_reviews") == [
        (BOSS, 3.9, "Faltou confirmar o estorno.")
    ]
    [card] = qa_cards(desk)
    assert "Avaliado por <@UBOSS>: *3,90*" in str(card["blocks"])
    assert not [b for b in card["blocks"] if b["type"] == "actions"]


async def test_a_submission_from_a_non_supervisor_is_refused(qa_desk: Desk) -> None:
    desk = qa_desk
    await escalated_and_resolved(desk, "5511987650011", 1)
    await submit_scores(desk, 1, "UAGENT", {"accuracy": 1, "helpfulness": 1, "tone": 1, "efficiency": 1})
    assert await desk.rows("SELECT score FROM qa_reviews") == [(None,)]
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UAGENT",)]


async def test_an_agent_below_3_5_alerts_the_supervisors_once(qa_desk: Desk) -> None:
    desk = qa_desk
    for n in range(1, 5):
        await escalated_and_resolved(desk, f"55119876500{n:02d}", n)
    for review_id in range(1, 5):
        await submit_scores(
            desk, review_id, BOSS, {"accuracy": 3, "helpfulness": 3, "tone": 3, "efficiency": 3}
        )
    alerts = [m["text"] for m in desk.slack.channel_messages(REPORTS) if "Gatilho de melhoria" in m["text"]]
    assert feedback_texts.qa_trigger("agent", "UANA", 3.0, 3.5, 3, markup.user) in alerts
    assert sum("<@UANA>" in a for a in alerts) == 1  # not again on the fourth review, this week


async def rate_on_whatsapp(desk: Desk, phone: str, ticket: int, score: int) -> None:
    """The customer picks a score in the rating list WhatsApp shows after the resolution."""
    title, description = feedback_texts.CSAT_OPTIONS[score]
    body = wa_list_reply(phone, "Cliente", f"csat:{ticket}:{score}", title, description=description)
    assert (await desk.whatsapp(body)).status == 200
    await desk.settle()


async def test_a_low_rating_after_the_resolution_is_queued_for_review_once(qa_desk: Desk) -> None:
    desk = qa_desk
    phone = "5511987650099"
    await desk.whatsapp(wa_text_message(phone, "Cliente", "A nota fiscal sai com o CNPJ errado"))
    await desk.settle()
    parent = desk.parents()[-1]
    await agent_says(desk, parent["ts"], "UANA", "Corrigi o cadastro, pode emitir de novo.")
    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await desk.settle()
    assert qa_cards(desk) == []  # a person answered: a quarter are drawn, and this ticket was not

    await rate_on_whatsapp(desk, phone, 1, 1)

    [card] = qa_cards(desk)
    assert "Ticket #1" in card["text"] and QA_REASON["complaint"] in card["text"]
    assert await desk.rows("SELECT ticket_id, reason, handled_by FROM qa_reviews") == [
        (1, "complaint", "UANA")
    ]
    # reopened by the rating, answered and resolved again: still one review
    await agent_says(desk, parent["ts"], "UANA", "Agora o CNPJ está certo, desculpe.")
    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await desk.settle()
    assert len(qa_cards(desk)) == 1
    assert await desk.rows("SELECT COUNT(*) FROM qa_reviews") == [(1,)]


async def test_a_low_rating_on_a_ticket_already_in_review_queues_nothing_more(qa_desk: Desk) -> None:
    desk = qa_desk
    await escalated_and_resolved(desk, "5511987650011", 1)
    await rate_on_whatsapp(desk, "5511987650011", 1, 2)

    assert len(qa_cards(desk)) == 1
    assert await desk.rows("SELECT ticket_id, reason FROM qa_reviews") == [(1, "escalated")]
