"""Record numbers (tickets, drafts, reviews...) read back from Slack: button values, view metadata, words.

We write them, but they come back from outside, so anything may arrive. Only plain ASCII digits
make a number: ``str.isdigit()`` also accepts ``²`` (which ``int()`` refuses) and other
scripts' digits, and a number past SQLite's 64-bit integers cannot be looked up. Every listener
reads its ids here, so a forged value is ignored with one clear log line instead of a 500.
"""

from __future__ import annotations

import logging

__all__ = ["button_id", "record_id"]

log = logging.getLogger(__name__)

LARGEST = 2**63 - 1  # SQLite's INTEGER


def record_id(value: object, where: str | None = None) -> int | None:
    """The record number in ``value`` (text of ASCII digits, or a JSON integer), or None.

    ``where`` names the button or view the value came from: a value that is not a record number
    is then logged (a forged or corrupted payload; a typed command just answers with its usage).
    """
    number: int | None = None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    if number is not None and 0 <= number <= LARGEST:
        return number
    if where is not None:
        log.warning("ignored %s: %.40r is not a record number", where, value)
    return None


def button_id(action: dict) -> int | None:
    """The record number a button carries as its value (logged when it is not one)."""
    return record_id(action.get("value"), f"button {action.get('action_id')}")
