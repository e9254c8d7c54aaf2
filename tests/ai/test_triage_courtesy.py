"""Greetings and thanks need no person, and the model reads a how-to as the rules do.

The model learns thanks from sarcasm too ("obrigado por nada"), so on its own it may call a
person for "ok, resolveu!"; a lexicon family the rules exclude ("como desativo o acesso do
funcionário" is no stopped business) must not push the model either.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.ai.offline import packaged_model, triage
from core.ai.triage_model import featurize

EAGER = replace(packaged_model(), human_threshold=0.0)
"""The shipped model made to call a person for every message it decides: only the guards hold it back."""


@pytest.mark.parametrize("text", ["bom dia", "oi, tudo bem?", "Obrigada, resolveu!", "valeu, deu certo 👍"])
def test_a_greeting_or_a_thanks_is_never_the_models_escalation(text: str) -> None:
    result = triage(text, EAGER)
    assert not result.classification.requires_human
    assert not triage(text).classification.requires_human


def test_a_thanks_that_denies_stays_the_models_call_and_the_rules_still_apply() -> None:
    assert triage("resolveu nada, continua igual", EAGER).classification.requires_human
    ruled = triage("valeu, mas cobraram duas vezes no meu cartão", EAGER)
    assert ruled.classification.escalation_reason == "billing_dispute"
    assert ruled.why.startswith("regra: ")


def test_the_model_sees_a_stopped_business_only_where_the_rules_would() -> None:
    assert "negocio parado" in featurize("minha conta foi desativada hoje").names
    assert "negocio parado" not in featurize("meu funcionario saiu, como desativo o acesso dele?").names
    assert not triage("meu funcionario saiu, como desativo o acesso dele?").classification.requires_human
