"""Effects of a crisis: its thread on the desk and the updates in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class PostCrisis(Effect):
    """Open a crisis's thread (its message with the facts and the stakeholders called), or redraw it.

    One lane per crisis, so the thread exists before any update is posted in it. ``ticket_id`` is 0.
    """

    target: ClassVar[str] = DESK
    crisis: str

    @property
    def lane(self) -> str:
        return f"{self.target}:crisis:{self.crisis}"


@dataclass(frozen=True, slots=True)
class PostCrisisUpdate(Effect):
    """Post a line in a crisis's thread (a status update, the closing). ``ticket_id`` is 0."""

    target: ClassVar[str] = DESK
    crisis: str
    text: str

    @property
    def lane(self) -> str:
        return f"{self.target}:crisis:{self.crisis}"
