"""Effects of satisfaction and quality reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, HOOKS, Effect


@dataclass(frozen=True, slots=True)
class GoodRating(Effect):
    """A customer rated a resolved ticket above 4: features that learn from good answers run now."""

    target: ClassVar[str] = HOOKS
    score: int


@dataclass(frozen=True, slots=True)
class QueueReview(Effect):
    """Show a sampled interaction in the QA channel: its card with the scoring button, or its scores."""

    target: ClassVar[str] = DESK
    channel: str
    review_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"
