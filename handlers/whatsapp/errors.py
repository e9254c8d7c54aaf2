"""WhatsApp Cloud API error codes, sorted into what the outbox and the agents need to know."""

from __future__ import annotations

from core.tickets.model import FailureReason

# Throttling and platform trouble: try again later.
RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})

REASONS = {
    131047: FailureReason.OUTSIDE_WINDOW,
    470: FailureReason.OUTSIDE_WINDOW,
    131026: FailureReason.RECIPIENT_UNAVAILABLE,
    131049: FailureReason.RECIPIENT_UNAVAILABLE,
    130472: FailureReason.RECIPIENT_UNAVAILABLE,
    131051: FailureReason.MEDIA_UNSUPPORTED,
    131052: FailureReason.MEDIA_UNSUPPORTED,
    131053: FailureReason.MEDIA_UNSUPPORTED,
    130429: FailureReason.RATE_LIMITED,
    131056: FailureReason.RATE_LIMITED,
}


def reason_for(code: int | None) -> FailureReason:
    """The agent-facing reason for a WhatsApp error code."""
    return REASONS.get(code or 0, FailureReason.UNKNOWN)
