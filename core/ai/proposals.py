"""What the AI offers besides a model's free text: a known technical solution or a stored template.

A technical message whose problem the solutions database knows is answered with that
article's steps and estimated time (:mod:`core.kb.solutions`): people wrote those steps
for exactly this problem. When the model's draft rests on no article and no playbook
script, and the AI will not send it by itself, a response template of the message's
category (kept in storage, edited by supervisors) is the better starting point: it is
proposed instead, filled from the customer's record and the ticket. The agent still
sends it; a placeholder nobody could fill stays a visible gap the agent completes in
**Editar** (:func:`core.ai.drafts.send` refuses gaps). A grounded draft is kept: a
template does not know the customer's question, an article does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.kb.model import ArticleHit
from core.kb.solutions import KnownSolution
from core.templates import filling as templates
from core.templates.model import ResponseTemplate

TEMPLATE_MODEL = "modelo"
SOLUTION_MODEL = "solucao"


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    """The answer written for the customer, with how much it can be trusted and where it came from."""

    text: str
    model: str
    confidence: float
    likely_resolved: bool
    suggest_human_followup: bool
    sources: tuple[ArticleHit, ...] = ()
    template_id: str | None = None
    gaps: tuple[str, ...] = ()
    grounded: bool = True
    """Rests on articles, a playbook script, a known solution or a template (False: the model's own words)."""

    @property
    def from_template(self) -> bool:
        """A stored template the agent sends: never sent by the AI itself."""
        return self.template_id is not None


def template_for(stored: Iterable[ResponseTemplate], category: str) -> ResponseTemplate | None:
    """The template of this category (the lowest id when several share it), if any."""
    matching = sorted((t for t in stored if t.category == category), key=lambda t: t.id)
    return matching[0] if matching else None


def template_draft(
    template: ResponseTemplate, values: Mapping[str, str | None], confidence: float
) -> DraftOutcome:
    """The template filled with what the desk knows; ``confidence``: how sure the category is."""
    filled = templates.fill(template.body, values)
    return DraftOutcome(
        text=filled.text,
        model=f"{TEMPLATE_MODEL}:{template.id}",
        confidence=confidence,
        likely_resolved=False,
        suggest_human_followup=True,
        template_id=template.id,
        gaps=filled.gaps,
    )


def solution_draft(known: KnownSolution) -> DraftOutcome:
    """The known solution's steps and time; a match below 0.8 already asks the customer to confirm."""
    return DraftOutcome(
        text=known.text,
        model=f"{SOLUTION_MODEL}:{known.article.slug}",
        confidence=round(known.confidence, 2),
        likely_resolved=not known.follow_up,
        suggest_human_followup=known.follow_up,
        sources=(known.article,),
    )
