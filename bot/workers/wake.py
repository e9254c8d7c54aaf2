"""Waiting for a worker's wake-up event, with a deadline, in a way that stopping always ends."""

import asyncio
from contextlib import suppress


async def wait_woken(wake: asyncio.Event, timeout: float) -> None:
    """Return when ``wake`` is set or ``timeout`` seconds have passed, whichever comes first.

    ``asyncio.wait_for`` on Python 3.11 swallows a cancellation that arrives in the same loop
    turn as the event (gh-86296): a worker stopped just as new work woke it would go on looping,
    and stopping the bot waited out its 10 s limit. ``asyncio.timeout`` tells its own deadline
    from a cancellation, so a stop always goes through.
    """
    with suppress(TimeoutError):
        async with asyncio.timeout(max(timeout, 0.001)):
            await wake.wait()
