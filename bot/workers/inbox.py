"""Processes stored webhook items in arrival order: each one applied exactly once, in one transaction."""

from __future__ import annotations

import logging
import time

from bot.workers.wake import Wake, run_woken
from core.tickets.service import AlsoInTransaction, Inbound, SupportDesk
from core.unit_of_work import Transaction
from handlers.telegram import parse as telegram_parse
from handlers.whatsapp import parse as whatsapp_parse
from storage.sqlite.queues import Inbox, StoredInboxItem
from storage.sqlite.unit_of_work import SqliteStore

log = logging.getLogger(__name__)


class InboxWorker:
    """Drains the inbox; woken when a webhook stores items, and at start for a crash's leftovers."""

    def __init__(
        self, inbox: Inbox, store: SqliteStore, support: SupportDesk, batch: int = 200, chunk: int = 20
    ) -> None:
        self._inbox = inbox
        self._store = store
        self._support = support
        self._batch = batch
        self._chunk = chunk
        self._wake = Wake()
        self.processed = 0
        self.failed = 0

    def wake(self) -> None:
        """New items were stored."""
        self._wake()

    async def run(self) -> None:
        """Loop forever (cancel to stop)."""
        await run_woken(self._drain, self._wake)

    async def _drain(self) -> float | None:
        """Apply the next batch; then look again at once, or (nothing pending) wait until woken."""
        items = await self._inbox.pending(self._batch)
        if not items:
            return None
        for start in range(0, len(items), self._chunk):
            await self._process(items[start : start + self._chunk])
        return 0

    async def _process(self, chunk: list[StoredInboxItem]) -> None:
        """Apply a chunk in one transaction; if anything in it fails, retry its items one by one."""
        try:
            await self._support.ingest([_prepare(item) for item in chunk])
            self.processed += len(chunk)
        except Exception as error:  # one poisoned item must not stop the queue behind it
            if len(chunk) > 1:
                for item in chunk:
                    await self._process([item])
                return
            log.exception("inbox item %s (%s) failed", chunk[0].id, chunk[0].kind)
            self.failed += 1
            async with self._store.transaction() as tx:
                await tx.finish_inbox_item(chunk[0].id, time.time(), f"{type(error).__name__}: {error}")


def _prepare(item: StoredInboxItem) -> tuple[Inbound | None, AlsoInTransaction]:
    """The core event an inbox item carries (None: nothing to apply), and how to close the item."""

    async def finish(tx: Transaction) -> None:
        await tx.finish_inbox_item(item.id, time.time())  # type: ignore[attr-defined]

    if item.source == telegram_parse.SOURCE:
        return telegram_parse.to_message(item.payload), finish
    if item.kind == whatsapp_parse.KIND_MESSAGE:
        return whatsapp_parse.to_message(item.payload), finish
    if item.kind == whatsapp_parse.KIND_STATUS:
        return whatsapp_parse.to_delivery(item.payload), finish
    return None, finish
