"""The lexicon's sentiment of a message: one of the triage model's features and the offline AI's mood."""

from __future__ import annotations

import re

from core.ai import lexicon as lx
from core.ai.normalize import normalize

_CAPS_WORD = re.compile(r"\b[A-ZÀ-Ý]{4,}\b")


def sentiment(text: str, normalized: str | None = None) -> float:
    """0 furious .. 0.5 neutral .. 1 delighted, from the lexicon, intensifiers, shouting and "!!!"."""
    norm = normalized if normalized is not None else normalize(text)
    score = sum(weight for pattern, weight in lx.SENTIMENT if pattern.search(norm))
    if score < 0:
        if lx.INTENSIFIER.search(norm):
            score *= 1.2
        if "!!" in text or _CAPS_WORD.search(text):
            score -= 0.1
    return round(min(max(0.5 + score, 0.0), 1.0), 2)
