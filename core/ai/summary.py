"""The conversation summary of an escalation package: written by a model, or extracted word for word offline.

The tier that takes a ticket needs the case at a glance: what the customer asked, what
went wrong, what the desk already tried, where it stands now. A model summarises through
the fallback chain (Gemini -> OpenAI -> offline rules). The offline summary is
extractive: it quotes the conversation's own sentences, picked for the problem they
state (problem words, error codes, numbers, questions), always keeping the customer's
opening and latest words and the desk's last reply, so it can leave things out but
never says something nobody said. Any failure falls back to it: a summary never holds an
escalation back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Protocol

from core.ai import lexicon as lx
from core.ai import prompts
from core.ai.chain import ChainExhausted, ModelChain
from core.ai.normalize import normalize
from core.ai.schema import CallLog, ConversationSummary
from core.escalation.texts import DESK_SPEAKER

log = logging.getLogger(__name__)

EXTRACTIVE_MODEL = "offline-rules"
MAX_SENTENCES = 5
MAX_SENTENCE = 220
CUSTOMER_PREFIX = "Cliente: "
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_DIGITS = re.compile(r"\d")
_SMALL_TALK = re.compile(
    r"^((oi|ola|bom dia|boa tarde|boa noite|tudo bem|obrigad\w*|valeu|ok|certo|blz|beleza)\b[ !.,]*)+$"
)


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary text, the model that wrote it, and the model calls it took (to log)."""

    text: str
    model: str
    log: CallLog = field(default_factory=CallLog)


@dataclass(frozen=True, slots=True)
class _Sentence:
    order: int
    speaker: str
    text: str
    customer: bool


def extractive(lines: list[str]) -> str:
    """The conversation's most informative sentences, verbatim, in order.

    ``lines`` are :func:`core.escalation.tiers.summary`'s ``"Quem: texto"``, the desk's side
    named :data:`core.escalation.texts.DESK_SPEAKER`.
    """
    sentences = _sentences(lines)
    if not sentences:
        return ""
    customer = [s for s in sentences if s.customer]
    keep: set[int] = set()
    if customer:
        keep |= {customer[0].order, customer[-1].order}
    desk = [s for s in sentences if not s.customer]
    if desk:
        keep.add(desk[-1].order)
    for sentence in sorted(customer, key=lambda s: (-_weight(s.text), s.order)):
        if len(keep) >= MAX_SENTENCES:
            break
        if _weight(sentence.text) > 0:
            keep.add(sentence.order)
    return "\n".join(f"{s.speaker}: {_cut(s.text)}" for s in sentences if s.order in keep)


def _sentences(lines: list[str]) -> list[_Sentence]:
    found: list[_Sentence] = []
    for line in lines:
        speaker, _, text = line.partition(": ")
        if not text:
            continue
        customer = speaker != DESK_SPEAKER
        for piece in _SENTENCE_END.split(text):
            piece = piece.strip()
            if piece and not _SMALL_TALK.match(normalize(piece).strip()):
                found.append(_Sentence(len(found), speaker, piece, customer))
    return found


def _weight(text: str) -> int:
    """How much a sentence says about the problem: problem words, errors, numbers, a question."""
    norm = normalize(text)
    weight = 2 * bool(lx.PROBLEM.search(norm) or lx.ERROR_REPORT.search(norm))
    weight += bool(lx.OUTAGE.search(norm) or lx.IMPACT.search(norm))
    weight += bool(_DIGITS.search(text)) + ("?" in text)
    return weight


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1].rstrip() + "…"


class Summarizer(Protocol):
    """Writes the summary of an escalation package."""

    async def summarize(self, lines: list[str]) -> Summary:
        """The summary of ``"Quem: texto"`` lines; never fails."""
        ...


class ConversationSummarizer:
    """Summarises a conversation for the escalation package; without a chain, offline only."""

    def __init__(self, chain: ModelChain | None = None) -> None:
        self._chain = chain

    async def summarize(self, lines: list[str]) -> Summary:
        """A model's summary through the chain, or the extractive one when none answers."""
        calls = CallLog()
        if self._chain is not None and lines:
            try:
                answer = await self._chain.run(prompts.summarize(lines), calls)
            except ChainExhausted:
                pass
            except Exception:  # a summary is an aid: the escalation goes out without a model's
                log.exception("conversation summary failed")
            else:
                assert isinstance(answer.value, ConversationSummary)
                return Summary(answer.value.summary.strip(), answer.model_name, calls)
        return Summary(extractive(lines), EXTRACTIVE_MODEL, calls)
