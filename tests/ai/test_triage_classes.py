"""Classes of messages the offline triage used to miss: anger said politely, requests in English or
Spanish, a number banned, a former employee still in the account. Each goes to a person with the
rule named in the Slack line; the customer's own client being angry does not."""

from __future__ import annotations

import pytest

from core.ai.offline import triage
from tests.ai.conftest import StartAIDesk
from tests.ai.test_answers import write
from tests.ai.test_offline_model import triage_lines


async def test_anger_said_in_formal_words_goes_to_a_person_and_the_line_names_the_rule(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(
        desk,
        "Bom dia. Registro aqui minha profunda insatisfação: há duas semanas aguardo a correção "
        "do boleto e ninguém retorna.",
    )
    [line] = triage_lines(desk.texts())
    assert "por quê: regra: cliente muito insatisfeito" in line
    assert (await desk.rows("SELECT reason, requires_human FROM ai_triage")) == [
        ("angry_customer_sentiment", 1)
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Estou indignada, paguei o plano anual e até hoje ninguém configurou nada",
            "angry_customer_sentiment",
        ),
        (
            "please delete all my personal data from your systems, I am closing the company",
            "legal_compliance_question",
        ),
        ("quiero que borren todos mis datos de su sistema", "legal_compliance_question"),
        ("my account was blocked this morning and I cannot sell anything", "business_stopped"),
        (
            "o número da loja foi banido hoje cedo, os clientes não conseguem falar com a gente",
            "business_stopped",
        ),
        ("um ex-funcionário continua acessando o painel com o login antigo", "security_concern"),
    ],
)
def test_each_class_goes_to_a_person_by_its_rule(text: str, reason: str) -> None:
    result = triage(text)
    assert result.classification.requires_human
    assert result.classification.escalation_reason == reason
    assert result.why.startswith("regra: ")


def test_the_customers_own_client_being_outraged_is_no_anger_of_the_customer() -> None:
    result = triage("minha cliente ficou indignada com o atraso do frete, tem um modelo de resposta pra ela?")
    assert result.classification.escalation_reason != "angry_customer_sentiment"
    assert not result.why.startswith("regra: ")
