"""Effects of the queue: the agents' App Home redrawn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class RefreshHomes(Effect):
    """Redraw the App Home of every agent who opened it (the queue changed).

    One lane for all of them, so homes are redrawn in order and never two at once. ``agent``
    set: only that agent's home (they just opened it). ``ticket_id`` is unused (0).
    """

    target: ClassVar[str] = DESK
    agent: str = ""

    @property
    def lane(self) -> str:
        return f"{self.target}:home"
