"""The one fake clock: it stands still until a test (or a benchmark) moves it.

It fills ``core``'s ``Clock`` port (``now()``) the way ``bot.clock.SystemClock`` does for production.
"""

from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    """An injected clock that moves only when told to: ``advance(minutes=5)``, ``set(at)``, or by
    assigning ``at`` (``moment`` is the same time under the name some tests use)."""

    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)``; returns the new time."""
        self.at += timedelta(**delta)
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    @property
    def moment(self) -> datetime:
        return self.at

    @moment.setter
    def moment(self, at: datetime) -> None:
        self.at = at
