"""A customer whose business has stopped goes to a person at once, and the ticket is critical (4-hour SLO)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.common import labels
from tests.ai.conftest import StartAIDesk
from tests.ai.test_answers import write


@pytest.mark.parametrize(
    "text",
    [
        "Minha loja foi suspensa hoje e não consigo vender nada, vivo disso",
        "vcs tao com retencao de valores de todas as minhas vendas, como pago fornecedor??",
        "bloquearam minha conta sem explicação, 200 clientes sem resposta",
    ],
)
async def test_a_stopped_business_is_handed_to_a_person_with_the_critical_clock(
    start_ai_desk: StartAIDesk, text: str
) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False, ai_oncall_group="SONCALL")
    await write(desk, text)

    [alert] = desk.alerts()
    assert "<!subteam^SONCALL>" in alert
    assert labels.ESCALATION_REASON["business_stopped"] in alert
    assert (await desk.rows("SELECT reason, urgency, requires_human FROM ai_triage")) == [
        ("business_stopped", "critical", 1)
    ]
    [handoff] = desk.sent_texts()
    assert "uma pessoa da nossa equipe" in handoff
    assert desk.draft_posts() == []
    # the playbook's critical target: resolved within 4 business hours of the opening, not 24
    [(target,)] = await desk.rows(
        "SELECT target_seconds FROM sla_timers WHERE ticket_id = 1 AND kind = 'resolution'"
    )
    assert target == timedelta(hours=4).total_seconds()


async def test_switching_off_an_employees_access_is_a_how_to_not_a_stopped_business(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(desk, "meu funcionario saiu, como desativo o acesso dele?")

    assert desk.alerts() == []
    [(reason, urgency)] = await desk.rows("SELECT reason, urgency FROM ai_triage")
    assert reason is None and urgency != "critical"
