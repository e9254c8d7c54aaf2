"""Copying a platform's file into a stream without holding it, and never past the desk's cap.

Every channel adapter downloads customers' files through :func:`copy_capped`, after
:func:`check_declared` where the platform states the size up front (WhatsApp's ``file_size``,
Telegram's, Slack's ``size``): an over-size file is refused before a byte is fetched, and a
platform that sends more than it declared is cut off at the cap.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import BinaryIO

from core.common.errors import FileTooLarge

__all__ = ["check_declared", "copy_capped"]


def check_declared(size: int | None, limit: int) -> None:
    """Refuse a file whose declared size is over ``limit`` (an unknown size is checked while reading)."""
    if size is not None and size > limit:
        raise FileTooLarge(size, limit)


async def copy_capped(chunks: AsyncIterable[bytes], into: BinaryIO, limit: int) -> int:
    """Write ``chunks`` into ``into``; returns the size, or raises :class:`FileTooLarge` past ``limit``."""
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(size, limit)
        into.write(chunk)
    return size
