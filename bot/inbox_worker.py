"""Processes stored webhook items in arrival order: each one applied exactly once, in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time

from core.ports import Transaction
from core.service import SupportDesk
from handlers import whatsapp_parse
from storage.queues import Inbox, StoredInboxItem
from storage.transaction import SqliteStore

log = logging.getLogger(__name__)


class InboxWorker:
    """Drains the inbox; woken when a webhook stores items, and at start for a crash's leftovers."""

    def __init__(self, inbox: Inbox, store: SqliteStore, support: SupportDesk, batch: int = 200) -> None:
        self._inbox = inbox
        self._store = store
        self._support = support
        self._batch = batch
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
            for item in items:
                await self._process(item)

    async def _process(self, item: StoredInboxItem) -> None:
        async def finish(tx: Transaction) -> None:
            await tx.finish_inbox_item(item.id, time.time())  # type: ignore[attr-defined]

        try:
            if item.kind == whatsapp_parse.KIND_MESSAGE:
                await self._support.receive(whatsapp_parse.to_message(item.payload), also=finish)
            elif item.kind == whatsapp_parse.KIND_STATUS and (
                update := whatsapp_parse.to_delivery(item.payload)
            ):
                await self._support.delivery(update, also=finish)
            else:
                await self._close(item.id, None)
            self.processed += 1
        except Exception as error:  # one poisoned item must not stop the queue behind it
            log.exception("inbox item %s (%s) failed", item.id, item.kind)
            self.failed += 1
            await self._close(item.id, f"{type(error).__name__}: {error}")

    async def _close(self, item_id: int, error: str | None) -> None:
        async with self._store.transaction() as tx:
            await tx.finish_inbox_item(item_id, time.time(), error)
