"""Spacing sends to stay under a platform's throughput cap, and backing off together when told to.

WhatsApp caps each business number (80 messages/s by default); the cap is for the number, so
one pacer per channel is shared by every broadcast running at once. Spacing each send at
``1/rate`` (rather than bursting a batch and sleeping) keeps the achieved rate at the cap
without ever exceeding it, and a ``Retry-After`` or a 130429 pauses every send behind it.
"""

from __future__ import annotations

import asyncio
import time


class Pacer:
    """Hands out send slots at most ``rate`` per second (0: no cap)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def slot(self) -> None:
        """Wait for the next free slot."""
        now = time.monotonic()
        at = max(now, self._next)
        self._next = at + self._interval
        if at > now:
            await asyncio.sleep(at - now)

    def pause(self, seconds: float) -> None:
        """No slot before ``seconds`` from now (the platform asked us to slow down)."""
        self._next = max(self._next, time.monotonic() + seconds)
