"""``GET /metrics`` in Prometheus text format (prometheus-client).

Figures that must survive a restart (messages, outbox, AI calls, SLA breaches) are read from
the database at scrape time; counters of what this process did (worker outcomes, SLA
warnings) come from the workers. Every name is documented in the README.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.inbox_worker import InboxWorker
from bot.outbox_worker import OutboxWorker
from bot.sla_ticker import SlaTicker
from storage.metrics_queries import MetricsQueries
from storage.queues import Inbox, Outbox

DIRECTIONS = {"in": "inbound", "out": "outbound"}


class Metrics:
    """Refreshes every gauge when scraped."""

    def __init__(
        self,
        inbox: Inbox,
        outbox: Outbox,
        queries: MetricsQueries,
        inbox_worker: InboxWorker,
        outbox_worker: OutboxWorker,
        sla_ticker: SlaTicker,
        statements: Mapping[str, int],
    ) -> None:
        self._inbox = inbox
        self._outbox = outbox
        self._queries = queries
        self._inbox_worker = inbox_worker
        self._outbox_worker = outbox_worker
        self._sla = sla_ticker
        self._statements = statements
        self.registry = CollectorRegistry()

        def gauge(name: str, doc: str, labels: tuple[str, ...] = ()) -> Gauge:
            return Gauge(name, doc, list(labels), registry=self.registry)

        self._backlog = gauge("atende_inbox_backlog", "Webhook items waiting to be processed")
        self._inbox_done = gauge("atende_inbox_processed", "Webhook items processed since start", ("result",))
        self._outbox_rows = gauge("atende_outbox_rows", "Outbox rows by state", ("state",))
        self._outbox_age = gauge(
            "atende_outbox_oldest_pending_seconds", "Age of the oldest outbox row not yet delivered"
        )
        self._outbox_done = gauge(
            "atende_outbox_deliveries", "Outbox delivery outcomes since start", ("result",)
        )
        self._messages = gauge(
            "atende_messages", "Messages stored, by customer channel and direction", ("channel", "direction")
        )
        self._ai_calls = gauge(
            "atende_ai_calls", "Model calls, by provider, model and outcome", ("provider", "model", "outcome")
        )
        self._ai_latency = gauge(
            "atende_ai_latency_seconds_sum", "Total latency of model calls", ("provider", "model")
        )
        self._ai_cost = gauge(
            "atende_ai_cost_usd_sum", "Total cost of model calls in USD", ("provider", "model")
        )
        self._ai_tokens = gauge(
            "atende_ai_tokens_sum", "Tokens of model calls", ("provider", "model", "kind")
        )
        self._sla_breaches = gauge("atende_sla_breaches", "SLA breaches recorded, by clock", ("kind",))
        self._sla_events = gauge(
            "atende_sla_events", "SLA warnings, breaches and auto-closes since start", ("event",)
        )
        self._sqlite = gauge(
            "atende_sqlite_statements", "SQL statements run since start, by connection", ("connection",)
        )

    async def handle(self, request: web.Request) -> web.Response:
        """Refresh the gauges and render them."""
        self._backlog.set(await self._inbox.backlog())
        self._inbox_done.labels("ok").set(self._inbox_worker.processed)
        self._inbox_done.labels("error").set(self._inbox_worker.failed)
        counts = await self._outbox.counts()
        for state in ("pending", "done", "failed", "dead"):
            self._outbox_rows.labels(state).set(counts.get(state, 0))
        self._outbox_age.set(await self._queries.oldest_pending_age())
        worker = self._outbox_worker
        for result, value in (
            ("delivered", worker.delivered),
            ("retried", worker.retried),
            ("rejected", worker.rejected),
            ("dead", worker.dead),
        ):
            self._outbox_done.labels(result).set(value)
        for channel, direction, count in await self._queries.messages():
            self._messages.labels(channel, DIRECTIONS.get(direction, direction)).set(count)
        latency: dict[tuple[str, str], float] = {}
        cost: dict[tuple[str, str], float] = {}
        tokens: dict[tuple[str, str, str], int] = {}
        for usage in await self._queries.model_usage():
            key = (usage.provider, usage.model)
            self._ai_calls.labels(usage.provider, usage.model, usage.outcome).set(usage.calls)
            latency[key] = latency.get(key, 0.0) + usage.latency_seconds
            cost[key] = cost.get(key, 0.0) + usage.cost_usd
            for kind, value in (("prompt", usage.prompt_tokens), ("completion", usage.completion_tokens)):
                tokens[(*key, kind)] = tokens.get((*key, kind), 0) + value
        for key, seconds in latency.items():
            self._ai_latency.labels(*key).set(seconds)
        for key, usd in cost.items():
            self._ai_cost.labels(*key).set(usd)
        for token_key, count in tokens.items():
            self._ai_tokens.labels(*token_key).set(count)
        for kind, count in await self._queries.sla_breaches():
            self._sla_breaches.labels(kind).set(count)
        for event, times in (
            ("warning", self._sla.warnings),
            ("breach", self._sla.breaches),
            ("auto_close", self._sla.auto_closed),
        ):
            self._sla_events.labels(event).set(times)
        for connection, count in self._statements.items():  # read last: the scrape's own reads count
            self._sqlite.labels(connection).set(count)
        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
