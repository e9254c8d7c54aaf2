"""Processes stored webhook items in arrival order: each one applied exactly once, in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time

from core.ports import Transaction
from core.tickets.service import AlsoInTransaction, Inbound, SupportDesk
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
        self._wake = asyncio.Event()
        self.processed = 0
        self.failed = 0

    def wake(self) -> None:
        """New items were stored."""
        self._wake.set()

    async def run(self) -> None:
        """Loop forever (cancel to stop)."""
        while True:
            self._wake.clear()
            items = await self._inbox.pending(self._batch)
            if not items:
                await self._wake.wait()
                continue
            for start in range(0, len(items), self._chunk):
                await self._process(items[start : start + self._chunk])

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
