"""Technical solutions (the playbook's ``TechnicalSupportProcessor``): known problem -> steps, else tier 2.

A technical question is looked up in the knowledge base. When a troubleshooting article
covers it, the answer gives that article's solution steps and estimated time, and asks
the customer to confirm when the match is not sure (confidence < 0.8). When nothing
covers it, the ticket is escalated to tier 2 with a diagnostic package: the escalation
carries the classification and customer context (``SupportDesk.escalate`` posts them in
the tier's channel) and this module adds the suggested investigation.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.common.ptbr_text import normalize
from core.kb import texts
from core.kb.model import ArticleHit
from core.kb.ports import ArticleStore
from core.tickets.model import ActionResult

FOLLOW_UP_BELOW = 0.8
"""The playbook's ``follow_up_needed = solution.confidence < 0.8``."""
MIN_CONFIDENCE = 0.34
"""Below this share of the question's words covered by the article, it is not the same problem."""
TECHNICAL_CATEGORY = "troubleshooting"
SPECIALISTS_TIER = 2
CANDIDATES = 3

# The playbook's common_technical_solutions diagnosis steps, by the words that point to them.
INVESTIGATIONS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (
        frozenset(normalize("lento lentidão demora devagar travando carregando").split()),
        texts.INVESTIGATE_SLOW_AI,
    ),
    (
        frozenset(normalize("integração conexão conectar token instagram facebook loja").split()),
        texts.INVESTIGATE_INTEGRATION,
    ),
    (
        frozenset(normalize("exportar exportação planilha csv relatório baixar").split()),
        texts.INVESTIGATE_EXPORT,
    ),
)

Escalate = Callable[[int, int, str, str], Awaitable[ActionResult]]
"""``SupportDesk.escalate(ticket_id, tier, reason, actor)``."""


@dataclass(frozen=True, slots=True)
class KnownSolution:
    """A knowledge-base article solves the problem: what to tell the customer, and how sure we are."""

    article: ArticleHit
    confidence: float
    estimated_time: str | None
    text: str

    @property
    def follow_up(self) -> bool:
        """Not sure enough: the answer asks the customer to confirm it worked."""
        return self.confidence < FOLLOW_UP_BELOW


@dataclass(frozen=True, slots=True)
class Escalated:
    """No known solution: the ticket went to the specialists with what to investigate."""

    investigation: tuple[str, ...]
    escalation: ActionResult
    text: str


class TechnicalSolutions:
    """Answers a technical question from the knowledge base, or hands it to tier 2."""

    def __init__(self, articles: ArticleStore, escalate: Escalate) -> None:
        self._articles = articles
        self._escalate = escalate

    async def find(self, question: str) -> KnownSolution | None:
        """The troubleshooting article that best covers ``question``, if one does."""
        for hit in await self._articles.search(question, CANDIDATES):
            if hit.category != TECHNICAL_CATEGORY:
                continue
            confidence = coverage(question, f"{hit.title} {hit.body}")
            if confidence < MIN_CONFIDENCE:
                continue
            article = await self._articles.get(hit.slug)
            estimated = article.estimated_time if article else None
            follow_up = confidence < FOLLOW_UP_BELOW
            text = texts.technical_solution(
                hit.title, solution_steps(hit.body), estimated, follow_up, hit.url
            )
            return KnownSolution(hit, confidence, estimated, text)
        return None

    async def handle(self, ticket_id: int, question: str, actor: str = "ai") -> KnownSolution | Escalated:
        """The answer to a technical question: a known solution, or an escalation to tier 2."""
        known = await self.find(question)
        if known is not None:
            return known
        steps = investigation(question)
        result = await self._escalate(ticket_id, SPECIALISTS_TIER, texts.no_known_solution(steps), actor)
        return Escalated(steps, result, texts.TECHNICAL_ESCALATED)


def coverage(question: str, text: str) -> float:
    """The share of the question's meaningful words (stems) that ``text`` contains, 0..1."""
    asked = set(normalize(question).split())
    if not asked:
        return 0.0
    return len(asked & set(normalize(text).split())) / len(asked)


def investigation(question: str) -> tuple[str, ...]:
    """What the specialists should check first, from the playbook's diagnosis steps."""
    stems = set(normalize(question).split())
    for words, steps in INVESTIGATIONS:
        if stems & words:
            return steps
    return texts.INVESTIGATE_GENERIC


_SOLUTION = re.compile(r"^\*\*Solu[çc][ãa]o\*\*\s*$", re.IGNORECASE | re.MULTILINE)
_NEXT_SECTION = re.compile(r"^\*\*[^*]+\*\*", re.MULTILINE)


def solution_steps(body: str) -> str:
    """An article's **Solução** section (up to the next bold heading), or the whole text."""
    found = _SOLUTION.search(body)
    if found is None:
        return body.strip()
    rest = body[found.end() :]
    following = _NEXT_SECTION.search(rest)
    return (rest[: following.start()] if following else rest).strip()
