"""How long to wait before trying a failed delivery again."""

from __future__ import annotations

import random

from core.common.effects import DESK, Effect


def backoff(attempt: int, base: float, cap: float = 300.0) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base... never above ``cap``.

    Jitter (±20%) keeps many rows that failed together from retrying in lockstep.
    """
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay * random.uniform(0.8, 1.2)


def gives_up(effect: Effect, attempts: int, max_attempts: int, *, transient: bool) -> bool:
    """Whether a failed delivery stops being retried (and is reported as given up).

    Slack being unreachable or throttling is waited out, however long: a desk effect that
    died would leave a customer's message, or a whole ticket thread, missing from Slack,
    and a warning about it could not be posted there anyway. Everything else (a send to
    the customer, a failure that is not a platform hiccup) gets ``max_attempts`` tries;
    a send that gives up is marked on the agent's message in Slack.
    """
    if transient and effect.target == DESK:
        return False
    return attempts >= max_attempts
