"""One pt-BR analysis for the whole desk: the knowledge search, the offline triage and the grouping
of ideas fold, spell and drop function words the same way."""

from __future__ import annotations

import pytest

from core.ai.normalize import normalize as triage_form
from core.common import ptbr_text
from storage.sqlite.kb import text as kb_text


@pytest.mark.parametrize("written", ["wts", "wapp", "watsapp", "zap", "whats"])
def test_search_and_triage_read_a_chat_spelling_alike(written: str) -> None:
    """The two used to have tables of their own: "wts" was WhatsApp only to the triage, "wapp" only to search."""
    assert kb_text.words(f"meu {written} caiu") == ["meu", "whatsapp", "caiu"]
    assert triage_form(f"meu {written} caiu") == " meu whatsapp caiu "


def test_grouping_ideas_drops_every_function_word_the_search_drops() -> None:
    assert sorted(w for w in ptbr_text.STOPWORDS if ptbr_text.normalize(w)) == []
    assert kb_text.content_words("quais são as formas de pagamento") == ["quais", "formas", "pagamento"]
    # request words are dropped from ideas, kept by search ("plataforma" is what a customer searches)
    assert ptbr_text.normalize("Gostaria de exportar relatórios na plataforma") == ptbr_text.normalize(
        "exportar relatorio"
    )
    assert "plataforma" in kb_text.content_words("a plataforma caiu")


def test_one_fold_for_all() -> None:
    assert kb_text.fold is ptbr_text.fold
    assert ptbr_text.fold("ＮÃＯ É") == "nao e"  # full-width letters too, as customers' keyboards send them
