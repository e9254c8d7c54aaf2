"""Errors adapters raise so the core can decide between retrying and giving up."""

from __future__ import annotations

from core.models import FailureReason


class DeliveryError(Exception):
    """An effect could not be carried out."""


class TransientError(DeliveryError):
    """Worth retrying: throttling, a server error, a timeout. ``retry_after`` is the platform's hint."""

    def __init__(self, detail: str, *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """Retrying will not help (outside the 24-hour window, a blocked user, a rejected file)."""

    def __init__(self, detail: str, *, reason: FailureReason = FailureReason.UNKNOWN) -> None:
        super().__init__(detail)
        self.reason = reason
