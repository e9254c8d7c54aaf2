"""Errors adapters raise so the core can decide between retrying and giving up."""

from __future__ import annotations

from core.common import ptbr
from core.tickets.model import FailureReason


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


class FileTooLarge(PermanentError):
    """A file over the desk's cap (``MAX_MEDIA_BYTES``): refused before, or while, it is read.

    ``size`` is the platform's declared size, or the bytes read when it stopped; ``limit`` the cap.
    """

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"o arquivo tem {ptbr.file_size(size)}, acima do limite de {ptbr.file_size(limit)}")
        self.size = size
        self.limit = limit


class OutcomeNotRecorded(DeliveryError):
    """The platform carried the effect out, but storing what it returned failed.

    Carrying the effect out again would repeat it (the customer gets the message twice), so
    the outbox closes the row with this as its reason instead of retrying it.
    """
