"""Errors adapters raise so the core can decide between retrying and giving up."""

from __future__ import annotations

from core.models import FailureReason


class DeliveryError(Exception):
    """An effect could not be carried out."""


class TransientError(DeliveryError):
    """Worth retrying: throttling, a server error, a timeout. ``retry_after`` is the platform's hint.

    ``maybe_sent``: the request may have reached the platform (a timeout after it was written),
    so a retry could send it twice; broadcasts wait for the message's status instead.
    ``reason`` says what to tell an agent if retrying never succeeds.
    """

    def __init__(
        self,
        detail: str,
        *,
        retry_after: float | None = None,
        maybe_sent: bool = False,
        reason: FailureReason | None = None,
    ) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent
        self.reason = reason


class PermanentError(DeliveryError):
    """Retrying will not help (outside the 24-hour window, a blocked user, a rejected file)."""

    def __init__(self, detail: str, *, reason: FailureReason = FailureReason.UNKNOWN) -> None:
        super().__init__(detail)
        self.reason = reason
