"""``GET /metrics`` in Prometheus text format: queue depths and worker counters."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.inbox_worker import InboxWorker
from bot.outbox_worker import OutboxWorker
from storage.queues import Inbox, Outbox


class Metrics:
    """Reads the queues at scrape time; counters come from the workers."""

    def __init__(
        self, inbox: Inbox, outbox: Outbox, inbox_worker: InboxWorker, outbox_worker: OutboxWorker
    ) -> None:
        self._inbox = inbox
        self._outbox = outbox
        self._inbox_worker = inbox_worker
        self._outbox_worker = outbox_worker
        self.registry = CollectorRegistry()
        self._backlog = Gauge(
            "atende_inbox_backlog", "Webhook items waiting to be processed", registry=self.registry
        )
        self._inbox_done = Gauge(
            "atende_inbox_processed",
            "Webhook items processed since start",
            ["result"],
            registry=self.registry,
        )
        self._outbox_rows = Gauge(
            "atende_outbox_rows", "Outbox rows by state", ["state"], registry=self.registry
        )
        self._outbox_done = Gauge(
            "atende_outbox_deliveries",
            "Outbox delivery outcomes since start",
            ["result"],
            registry=self.registry,
        )

    async def handle(self, request: web.Request) -> web.Response:
        """Refresh the gauges and render them."""
        self._backlog.set(await self._inbox.backlog())
        self._inbox_done.labels("ok").set(self._inbox_worker.processed)
        self._inbox_done.labels("error").set(self._inbox_worker.failed)
        counts = await self._outbox.counts()
        for state in ("pending", "done", "failed", "dead"):
            self._outbox_rows.labels(state).set(counts.get(state, 0))
        worker = self._outbox_worker
        for result, value in (
            ("delivered", worker.delivered),
            ("retried", worker.retried),
            ("rejected", worker.rejected),
            ("dead", worker.dead),
        ):
            self._outbox_done.labels(result).set(value)
        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
