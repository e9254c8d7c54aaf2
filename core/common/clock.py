"""Injected time: every use case asks a Clock, so timers are testable without sleeping."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Injected time, so timers and timestamps are testable without sleeping."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...
