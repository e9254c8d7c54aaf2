"""Escalation to tier 2 and tier 3: the modal, the parent, the package in the tier's channel,
the tier's clocks, and the same path for the AI core."""

from __future__ import annotations

import json
import time

from testing.clock import FixedClock
from testing.signing import sign_slack
from testing.slack_payloads import slack_block_action, slack_view_submission
from tests.conftest import CHANNEL, SLACK_SECRET, Desk, StartDesk
from tests.test_conversation_loop import agent_says, click
from tests.test_sla_clock import MONDAY_10, QUIET, customer_writes, due_times, tick

TIERS = {
    "slack_tier2_group": "S2",
    "slack_tier2_channel": "CTIER2",
    "slack_tier3_group": "S3",
    "slack_tier3_channel": "CTIER3",
}


async def escalated_desk(start_desk: StartDesk) -> tuple[Desk, FixedClock, str]:
    clock = FixedClock(MONDAY_10)
    desk = await start_desk(clock=clock, **QUIET, **TIERS)
    await customer_writes(desk, clock, "O WhatsApp desconectou e as mensagens sumiram")
    [parent] = desk.parents()
    await agent_says(desk, parent["ts"], "UANA", "Oi Maria, pode me dizer desde quando?")
    await customer_writes(desk, clock, "Desde ontem à noite, já reconectei duas vezes")
    return desk, clock, parent["ts"]


async def submit_modal(desk: Desk, user: str, tier: str, reason: str, metadata: str = "1") -> dict:
    body = slack_view_submission(
        "ticket.escalate.modal",
        {
            "tier": {"tier": {"type": "static_select", "selected_option": {"value": tier}}},
            "reason": {"reason": {"type": "plain_text_input", "value": reason}},
        },
        user_id=user,
        private_metadata=metadata,
    )
    headers = sign_slack(
        body, SLACK_SECRET, int(time.time()), content_type="application/x-www-form-urlencoded"
    )
    async with desk.http.post(f"{desk.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200
        raw = await response.read()
        return json.loads(raw) if raw else {}


async def test_escalar_opens_a_modal_with_tier_and_reason(start_desk: StartDesk) -> None:
    desk, _, parent_ts = await escalated_desk(start_desk)
    body = slack_block_action("ticket.escalate", "1", user_id="UANA", channel=CHANNEL, message_ts=parent_ts)
    response = await desk.slack_event(body, content_type="application/x-www-form-urlencoded")
    assert response.status == 200
    await desk.slack.wait_for(lambda fake: fake.modals())
    [modal] = desk.slack.modals()
    assert modal["private_metadata"] == "1" and modal["title"]["text"] == "Escalar ticket"
    labels = [o["text"]["text"] for o in modal["blocks"][0]["element"]["options"]]
    assert labels == ["Nível 2 (especialistas)", "Nível 3 (engenharia)"]


async def test_escalating_to_tier_2_posts_the_package_in_the_tier_channel_with_a_link(
    start_desk: StartDesk,
) -> None:
    desk, _, parent_ts = await escalated_desk(start_desk)
    answer = await submit_modal(desk, "UANA", "2", "Integração com WhatsApp falha depois de reconectar")
    assert answer == {}  # the modal closes
    await desk.settle()

    assert "Nível 2 (especialistas)" in str(desk.slack.message(CHANNEL, parent_ts)["blocks"])
    [package] = desk.slack.channel_messages("CTIER2")
    text = package["text"]
    assert "Ticket #1 · Maria" in text and "escalado para o Nível 2" in text and "<@UANA>" in text
    assert "Integração com WhatsApp falha" in text
    assert "Maria: O WhatsApp desconectou" in text and "Atendimento: Oi Maria" in text  # the conversation
    assert "cliente desde hoje" in text and "primeiro ticket" in text
    assert "Investigação sugerida" in text
    assert f"https://fake.slack.com/archives/{CHANNEL}/p{parent_ts.replace('.', '')}" in text
    assert "<!subteam^S2>" in text
    assert any("🔺 Escalado para o Nível 2" in m["text"] for m in desk.thread_of(desk.parents()[0]))
    assert len(desk.parents()) == 1  # the conversation stays in its one thread
    assert await desk.rows("SELECT tier, reason, actor FROM escalations") == [
        (2, "Integração com WhatsApp falha depois de reconectar", "UANA")
    ]


async def test_tier_2_response_clock_is_met_by_the_specialist_not_by_who_escalated(
    start_desk: StartDesk,
) -> None:
    desk, clock, parent_ts = await escalated_desk(start_desk)
    await submit_modal(desk, "UANA", "2", "Precisa de especialista")
    await desk.settle()
    state, due = (await due_times(desk))["tier2_response"]
    assert state == "running" and due == MONDAY_10.replace(hour=11)

    await agent_says(desk, parent_ts, "UANA", "// aguardando o N2")
    assert (await due_times(desk))["tier2_response"][0] == "running"
    await agent_says(desk, parent_ts, "UESPEC", "// olhei os logs, é a sessão expirada")
    assert (await due_times(desk))["tier2_response"][0] == "met"


async def test_tier_3_breach_mentions_the_engineering_group_in_its_channel(start_desk: StartDesk) -> None:
    desk, clock, _ = await escalated_desk(start_desk)
    await submit_modal(desk, "UANA", "3", "Bug confirmado: mensagens somem ao reconectar")
    await desk.settle()
    [package] = desk.slack.channel_messages("CTIER3")
    assert "Nível 3 (engenharia)" in package["text"] and "<!subteam^S3>" in package["text"]
    timers = await due_times(desk)
    assert timers["tier3_ack"][1] == MONDAY_10.replace(hour=14)
    assert timers["tier3_assessment"][1] == MONDAY_10.replace(day=17, hour=14)

    clock.advance(hours=4, minutes=1)
    await tick(desk)
    breaches = [m["text"] for m in desk.slack.channel_messages("CTIER3") if "🚨" in m["text"]]
    assert len(breaches) == 1 and "reconhecimento do nível 3" in breaches[0]
    assert "<!subteam^S3>" in breaches[0]  # a tier's own clock calls the tier's group
    assert ("tier3_ack", 3) in await desk.rows("SELECT kind, tier FROM sla_breaches")


async def test_the_ai_core_escalates_through_the_same_path(start_desk: StartDesk) -> None:
    desk, _, parent_ts = await escalated_desk(start_desk)
    result = await desk.bot.support.escalate(1, 2, "Cliente do plano scale", "ai")
    assert result.ok
    await desk.settle()
    [package] = desk.slack.channel_messages("CTIER2")
    assert "escalado para o Nível 2 (especialistas) pela IA" in package["text"]
    refused = await desk.bot.support.escalate(1, 2, "de novo", "ai")
    assert not refused.ok  # already at tier 2


async def test_a_modal_without_reason_or_for_a_lower_tier_is_refused_in_the_modal(
    start_desk: StartDesk,
) -> None:
    desk, _, _ = await escalated_desk(start_desk)
    empty = await submit_modal(desk, "UANA", "2", "   ")
    assert empty["response_action"] == "errors" and "motivo" in empty["errors"]["reason"]
    await submit_modal(desk, "UANA", "3", "Bug")
    lower = await submit_modal(desk, "UANA", "2", "voltar")
    assert lower["response_action"] == "errors" and "já está" in lower["errors"]["tier"]
    garbage = await submit_modal(desk, "UANA", "2", "x", metadata="not-a-ticket")
    assert garbage["response_action"] == "errors"
    await desk.settle()
    assert await desk.rows("SELECT tier FROM escalations") == [(3,)]


async def test_a_resolved_ticket_cannot_be_escalated(start_desk: StartDesk) -> None:
    desk, _, parent_ts = await escalated_desk(start_desk)
    await click(desk, "ticket.resolve", 1, "UANA", parent_ts)
    answer = await submit_modal(desk, "UANA", "2", "tarde demais")
    assert answer["errors"]["tier"] == "Este ticket já foi resolvido."
    assert not desk.slack.channel_messages("CTIER2")


async def test_the_package_carries_the_ai_classification_and_its_investigation(start_desk: StartDesk) -> None:
    desk, _, _ = await escalated_desk(start_desk)
    [(message_id,)] = await desk.rows("SELECT id FROM messages WHERE ticket_id = 1 ORDER BY id LIMIT 1")
    await desk.rows(  # the AI core's triage row (CROSS contract 1)
        "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment, language,"
        " confidence, requires_human, reason, tier, model, at) VALUES (?, 1, 'bug_report', 'high', 'complex',"
        " 0.2, 'pt', 0.9, 1, 'mensagens somem', 3, 'gemini-2.5-flash', ?)",
        message_id,
        MONDAY_10.isoformat(),
    )
    await submit_modal(desk, "UANA", "3", "Bug confirmado")
    await desk.settle()
    [package] = desk.slack.channel_messages("CTIER3")
    assert "*Classificação:* Relato de erro · urgência alta" in package["text"]
    assert "reproduzir o erro, anexar passos e logs" in package["text"]
