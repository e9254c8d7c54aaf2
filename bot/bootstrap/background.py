"""The workers that run beside the HTTP server, built from settings, and their tasks in start order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.settings import Settings
from bot.workers.broadcast import BroadcastWorker
from bot.workers.faq import scan_frequent_questions
from bot.workers.inbox import InboxWorker
from bot.workers.journeys import JourneyWorker
from bot.workers.outbox import OutboxWorker
from bot.workers.retention import RetentionWorker
from bot.workers.schedule import ScheduleWorker
from bot.workers.sla import SlaTicker
from bot.workers.wake import Wake
from core.ai.effects import AI
from core.common.clock import Clock
from core.delivery.runner import EffectRunner
from core.kb.loop import KnowledgeLoop
from core.privacy.requests import Privacy
from core.tickets.service import SupportDesk
from storage.sqlite.kb.index import SqliteKnowledgeBase
from storage.sqlite.queues import Inbox, Outbox
from storage.sqlite.unit_of_work import SqliteStore

log = logging.getLogger(__name__)

Run = Coroutine[Any, Any, None]


def build_workers(
    s: Settings,
    inbox: Inbox,
    outbox: Outbox,
    store: SqliteStore,
    support: SupportDesk,
    runner: EffectRunner,
    wake_outbox: Wake,
) -> tuple[InboxWorker, OutboxWorker, SlaTicker]:
    """The inbox and outbox workers (the outbox one waits on ``wake_outbox``) and the SLA clock."""
    outbox_worker = OutboxWorker(
        outbox,
        runner,
        max_attempts=s.outbox_max_attempts,
        concurrency=s.outbox_concurrency + s.ai_workers,
        retry_base=s.outbox_retry_base_seconds,
        budgets={AI: s.ai_workers},
        wake=wake_outbox,
    )
    return InboxWorker(inbox, store, support), outbox_worker, SlaTicker(support, s.sla_tick_seconds)


def start_tasks(
    s: Settings,
    clock: Clock,
    workers: tuple[InboxWorker, OutboxWorker, SlaTicker],
    broadcasts: BroadcastWorker,
    privacy: Privacy,
    telegram: Run | None,
    kb: SqliteKnowledgeBase,
    kb_loop: KnowledgeLoop,
    schedule: ScheduleWorker | None,
    journeys: JourneyWorker | None,
) -> list[asyncio.Task[None]]:
    """Start every background loop (in this order; stopping cancels them in the same order)."""
    inbox, outbox, sla = workers
    runs: list[tuple[str, Run]] = [
        ("inbox", inbox.run()),
        ("outbox", outbox.run()),
        ("sla", sla.run()),
        ("broadcast", broadcasts.run()),
    ]
    if s.retention_days:
        runs.append(("retention", RetentionWorker(privacy, clock, s.retention_days).run()))
    if telegram is not None:
        runs.append(("telegram", telegram))
    runs.append(("kb-faq", scan_frequent_questions(kb_loop, s.kb_faq_scan_seconds)))
    if kb.hybrid:
        runs.append(("kb-embed", embed_articles(kb)))
    if schedule is not None:
        runs.append(("schedule", schedule.run()))
    if journeys is not None:
        runs.append(("journeys", journeys.run()))
    return [asyncio.create_task(run, name=name) for name, run in runs]


async def embed_articles(kb: SqliteKnowledgeBase) -> None:
    """Embed articles that lack a vector (first start with a key, or a key added later)."""
    try:
        count = await kb.embed_missing()
    except Exception as error:  # search works from words meanwhile; the next start tries again
        log.warning("could not embed knowledge-base articles: %s", error)
    else:
        log.info("embedded %d knowledge-base articles", count)
