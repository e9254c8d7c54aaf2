"""A customer who asks on WhatsApp to erase their data gets a legal ticket a person handles, never an AI answer."""

from __future__ import annotations

import pytest

from core.ai import texts as ai_texts
from core.ai.offline import erasure_request
from tests.ai.conftest import StartAIDesk
from tests.ai.test_answers import write

ERASURE_REQUESTS = [
    "quero que apaguem meus dados",
    "excluam minhas informações — LGPD",
    "Bom dia. Não quero mais que vocês guardem minhas informações, por favor",
    "Gostaria de solicitar a exclusão do meu cadastro e das minhas informações",
]


def misread() -> dict[str, object]:
    """A remote model talked out of it: a plain question, no reason to escalate."""
    return {
        "category": "general_inquiry",
        "urgency": "low",
        "complexity": "simple",
        "estimated_resolution_time": "minutes",
        "requires_human": False,
        "suggested_response_type": "explanation",
        "sentiment": 0.6,
        "language": "pt-BR",
        "confidence": 0.95,
    }


@pytest.mark.parametrize("request_text", ERASURE_REQUESTS)
async def test_offline_an_erasure_request_goes_to_a_person_as_lgpd(
    start_ai_desk: StartAIDesk, request_text: str
) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False, ai_oncall_group="SONCALL")
    await write(desk, request_text)

    assert await desk.rows("SELECT requires_human, reason, decision FROM ai_triage") == [
        (1, "legal_compliance_question", "human")
    ]
    assert await desk.rows("SELECT id FROM ai_drafts") == []  # never answered by the AI
    assert desk.sent_texts() == [ai_texts.CUSTOMER_ERASURE_HANDOFF]
    [alert] = desk.alerts()
    assert "<!subteam^SONCALL>" in alert and "LGPD" in alert and "/suporte lgpd apagar" in alert
    assert any(ai_texts.CUSTOMER_ERASURE_HANDOFF in t for t in desk.texts())  # agents see what was said


async def test_a_remote_model_that_misreads_the_request_is_overruled(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk()
    desk.gemini.reply("classify", misread())
    await write(desk, "quero que apaguem meus dados")

    assert await desk.rows("SELECT model, reason, decision FROM ai_triage") == [
        ("gemini-2.5-flash", "legal_compliance_question", "human")
    ]
    assert desk.gemini.calls_for("draft") == [] and desk.openai.calls_for("draft") == []
    assert desk.sent_texts() == [ai_texts.CUSTOMER_ERASURE_HANDOFF]


async def test_another_legal_question_is_told_a_person_handles_it(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(desk, "Vou abrir reclamação no Procon se isso não for resolvido")

    assert desk.sent_texts() == [ai_texts.CUSTOMER_LEGAL_HANDOFF]
    [alert] = desk.alerts()
    assert "LGPD" in alert and "/suporte lgpd apagar" not in alert


@pytest.mark.parametrize(
    "text",
    [
        "apaguei sem querer meus contatos",  # something the customer did: data loss, not a request
        "como apago uma conversa do histórico?",
        "quero remover meu número antigo e colocar o novo",
        "quero trocar meus dados de cadastro, o email mudou",
        "como excluir um produto do meu catálogo?",
    ],
)
def test_lookalikes_are_not_erasure_requests(text: str) -> None:
    assert not erasure_request(text)
