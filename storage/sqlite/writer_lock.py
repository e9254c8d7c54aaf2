"""The writer connection's lock, with a fast lane for storing webhooks.

A platform waits for its 200 while the webhook is stored, and Meta and Slack re-deliver
(or drop) what is not acknowledged in time. Every other unit of work (intake, the AI's
outcome, outbox bookkeeping) has no one waiting on the line. So when the connection is
released it goes to the oldest *urgent* waiter first, then to the others in arrival order:
an acknowledgement waits for at most the unit in progress, never for the queue behind it.
"""

from __future__ import annotations

import asyncio
from collections import deque


class WriterLock:
    """An asyncio lock whose urgent waiters are served before the others (FIFO within each)."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._normal: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        """Whether some unit of work holds the connection."""
        return self._held

    async def acquire(self, *, urgent: bool = False) -> None:
        """Wait for the connection; ``urgent`` goes ahead of every non-urgent waiter."""
        if not self._held and not self._urgent and not self._normal:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._normal
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed over just as we were cancelled: pass it on
            elif waiter in queue:  # release() drops cancelled waiters it meets on its own
                queue.remove(waiter)
            raise

    def release(self) -> None:
        """Hand the connection to the next waiter (urgent first), or free it."""
        for queue in (self._urgent, self._normal):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # still held: ownership passes to the waiter
                    return
        self._held = False
