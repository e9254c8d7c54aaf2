"""Effects of an escalation: the notice to the tier that takes the ticket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect


@dataclass(frozen=True, slots=True)
class EscalationNotice(Effect):
    """Show an escalation: a line in the ticket's thread, or the escalation package in the tier's channel."""

    target: ClassVar[str] = DESK
    escalation_id: int
    in_channel: bool = False
