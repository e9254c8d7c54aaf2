"""Effects of the SLA clock: the warning and breach alerts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class SlaAlert(Effect):
    """An SLA clock reached its warning or its due time: say so in the thread (or the tier's channel)."""

    target: ClassVar[str] = DESK
    timer: str
    breach: bool
    in_channel: bool = False
