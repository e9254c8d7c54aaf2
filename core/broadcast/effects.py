"""Effects of broadcasts: the progress message on the desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class ShowBroadcast(Effect):
    """Post or redraw a broadcast's progress message (bar, counts, buttons; the tally at the end).

    One lane per broadcast, so redraws go in order. ``ticket_id`` is unused (0).
    """

    target: ClassVar[str] = DESK
    broadcast_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:broadcast:{self.broadcast_id}"
