"""Counts the week's questions now and then, and proposes articles for the frequent ones."""

from __future__ import annotations

import logging

from bot.workers.wake import run_every
from core.kb.loop import KnowledgeLoop

log = logging.getLogger(__name__)


async def scan_frequent_questions(loop: KnowledgeLoop, every_seconds: float) -> None:
    """Count the week's questions every ``every_seconds`` and propose FAQs (runs until cancelled).

    A failed count is logged; counting again next time is the remedy.
    """

    async def scan() -> None:
        proposed = await loop.scan_questions()
        if proposed:
            log.info("proposed %d frequent-question articles for review", len(proposed))

    await run_every(every_seconds, scan, log, "counting frequent questions failed", first_after=True)
