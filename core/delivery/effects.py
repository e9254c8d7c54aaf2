"""Effects of delivery that are not about one ticket: a desk line posted to a channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, DeskText, Effect


@dataclass(frozen=True, slots=True)
class PostToChannel(DeskText, Effect):
    """Post a line from the desk to a channel that is not a ticket thread (an alert to supervisors).

    ``ticket_id`` is 0 unless the line is about a ticket; lines to one channel go out in order.
    """

    target: ClassVar[str] = DESK
    channel: str
    text: str
    markup: bool = False

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"
