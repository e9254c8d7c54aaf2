"""Effects of the knowledge base: a proposed article drawn in the review channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class ShowCandidate(Effect):
    """Post (or redraw) a proposed knowledge-base article in the review channel, with its buttons.

    One lane for every proposal, so each is drawn in order. ``ticket_id`` is the ticket it
    came from, or 0.
    """

    target: ClassVar[str] = DESK
    candidate_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:kb-review"
