"""pt-BR text normalisation for the offline rules: accents, case, elongations and everyday spellings.

Customers write "vc nao consegue", "NÃO CONSIGOOO", "meu zap", "e-mail": the rules match
one normal form ("voce nao consegue", "nao consigo", "meu whatsapp", "email") instead of
listing every spelling.
"""

from __future__ import annotations

import functools
import re

from core.common.ptbr_text import CHAT_SPELLINGS, fold

_ENGLISH_HINTS = frozenset(
    {
        "the",
        "is",
        "are",
        "you",
        "your",
        "i",
        "my",
        "me",
        "can",
        "cant",
        "do",
        "does",
        "dont",
        "please",
        "hi",
        "hello",
        "how",
        "what",
        "why",
        "where",
        "when",
        "with",
        "from",
        "have",
        "has",
        "not",
        "it",
        "this",
        "that",
        "there",
        "thanks",
        "thank",
        "help",
    }
)
_PORTUGUESE_HINTS = frozenset(
    {
        "o",
        "a",
        "os",
        "as",
        "um",
        "uma",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "que",
        "nao",
        "voce",
        "voces",
        "meu",
        "minha",
        "para",
        "com",
        "por",
        "como",
        "esta",
        "estou",
        "obrigado",
        "oi",
        "ola",
        "bom",
        "boa",
        "tem",
        "ter",
        "e",
        "mas",
        "sim",
        "isso",
    }
)
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9$ ]+")
_SPACES = re.compile(r"\s+")


def tokens(text: str) -> list[str]:
    """Folded words with punctuation dropped, hyphens joined (``e-mail`` -> ``email``), elongations cut."""
    folded = fold(text).replace("r$", " reais ").replace("-", "")
    folded = _ELONGATION.sub(r"\1", folded)
    return _NON_WORD.sub(" ", folded).split()


def language(text: str) -> str:
    """``"en"`` when the message reads as English, else ``"pt-BR"`` (the desk's language)."""
    return _language(tokens(text))


def _language(words: list[str]) -> str:
    english = sum(word in _ENGLISH_HINTS for word in words)
    portuguese = sum(word in _PORTUGUESE_HINTS for word in words)
    return "en" if english >= 2 and english > portuguese else "pt-BR"


@functools.lru_cache(maxsize=64)
def normalize(text: str) -> str:
    """The form the offline rules match: folded, spellings expanded, single-spaced, padded with spaces.

    The padding lets a pattern such as ``" pix "`` match whole words at either end. Cached: one
    AI job normalizes the same message about ten times (triage, sentiment, search, draft, review);
    64 covers the jobs in flight, and a benchmark cycling through more texts gains nothing from it.
    """
    words = tokens(text)
    if _language(words) != "en":
        words = [CHAT_SPELLINGS.get(word, word) for word in words]
    return " " + _SPACES.sub(" ", " ".join(words)).strip() + " "
