"""Effects of reports: the supervisors' report posted to a channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class PostReport(Effect):
    """Compute a report over ``[start, end)`` (ISO times) and post it, with charts, to a channel.

    Not about one ticket: ``ticket_id`` is 0 and reports to one channel go out in order.
    """

    target: ClassVar[str] = DESK
    channel: str
    period: str
    start: str
    end: str
    csv: bool = False
    requested_by: str | None = None

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"
