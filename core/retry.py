"""How long to wait before trying a failed delivery again."""

from __future__ import annotations

import random


def backoff(attempt: int, base: float, cap: float = 600.0) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base... never above ``cap``.

    Jitter (±20%) keeps many rows that failed together from retrying in lockstep.
    """
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay * random.uniform(0.8, 1.2)
