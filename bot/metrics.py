"""``GET /metrics`` in Prometheus text format (prometheus-client), each metric with its true type.

Figures that must survive a restart (messages, outbox, AI calls, SLA breaches) are read from
the database at scrape time; counters of what this process did (worker outcomes, SLA
warnings) come from the workers. Counts that only grow are counters (``*_total``), so
``rate()`` works; model latency is a histogram (buckets, ``_sum`` and ``_count``), so
quantiles and means work; levels (backlog, rows by state, oldest wait) are gauges. Every
name is documented in the README.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from bot.workers.inbox import InboxWorker
from bot.workers.outbox import OutboxWorker
from bot.workers.sla import SlaTicker
from storage.sqlite.queues import Inbox, Outbox
from storage.sqlite.read.metrics import MetricsQueries

DIRECTIONS = {"in": "inbound", "out": "outbound"}
LATENCY_BUCKETS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Upper bounds (seconds) of the model-latency histogram; the AI's time limit is 10 s by default."""


class _Scrape(Collector):
    """One scrape's metric families, read from the database just before."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families


class Metrics:
    """Reads every figure when scraped and renders it with its Prometheus type."""

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

    async def handle(self, request: web.Request) -> web.Response:
        """Read the figures and render them."""
        registry = CollectorRegistry()
        families = await self._queues() + await self._ai() + await self._sla_families()
        statements = CounterMetricFamily(
            "atende_sqlite_statements", "SQL statements run since start, by connection", labels=["connection"]
        )
        for connection, count in self._statements.items():  # read last: the scrape's own reads count
            statements.add_metric([connection], count)
        registry.register(_Scrape([*families, statements]))
        return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _queues(self) -> list[Metric]:
        backlog = GaugeMetricFamily("atende_inbox_backlog", "Webhook items waiting to be processed")
        backlog.add_metric([], await self._inbox.backlog())
        inbox_done = CounterMetricFamily(
            "atende_inbox_processed", "Webhook items processed since start", labels=["result"]
        )
        inbox_done.add_metric(["ok"], self._inbox_worker.processed)
        inbox_done.add_metric(["error"], self._inbox_worker.failed)
        rows = GaugeMetricFamily("atende_outbox_rows", "Outbox rows by state", labels=["state"])
        counts = await self._outbox.counts()
        for state in ("pending", "done", "failed", "dead"):
            rows.add_metric([state], counts.get(state, 0))
        age = GaugeMetricFamily(
            "atende_outbox_oldest_pending_seconds", "Age of the oldest outbox row not yet delivered"
        )
        age.add_metric([], await self._queries.oldest_pending_age())
        deliveries = CounterMetricFamily(
            "atende_outbox_deliveries", "Outbox delivery outcomes since start", labels=["result"]
        )
        worker = self._outbox_worker
        for result, value in (
            ("delivered", worker.delivered),
            ("retried", worker.retried),
            ("rejected", worker.rejected),
            ("dead", worker.dead),
        ):
            deliveries.add_metric([result], value)
        messages = CounterMetricFamily(
            "atende_messages",
            "Messages stored, by customer channel and direction",
            labels=["channel", "direction"],
        )
        for channel, direction, count in await self._queries.messages():
            messages.add_metric([channel, DIRECTIONS.get(direction, direction)], count)
        return [backlog, inbox_done, rows, age, deliveries, messages]

    async def _ai(self) -> list[Metric]:
        model = ["provider", "model"]
        calls = CounterMetricFamily(
            "atende_ai_calls", "Model calls, by provider, model and outcome", labels=[*model, "outcome"]
        )
        fallbacks = CounterMetricFamily(
            "atende_ai_fallbacks",
            "Model calls that failed and handed the step on, by provider, model and reason",
            labels=[*model, "reason"],
        )
        cost = CounterMetricFamily("atende_ai_cost_usd", "Cost of model calls in USD", labels=model)
        tokens = CounterMetricFamily("atende_ai_tokens", "Tokens of model calls", labels=[*model, "kind"])
        spent: dict[tuple[str, str], float] = {}
        used: dict[tuple[str, str, str], int] = {}
        for usage in await self._queries.model_usage():
            key = (usage.provider, usage.model)
            calls.add_metric([*key, usage.outcome], usage.calls)
            if usage.outcome != "ok":
                fallbacks.add_metric([*key, usage.outcome], usage.calls)
            spent[key] = spent.get(key, 0.0) + usage.cost_usd
            for kind, value in (("prompt", usage.prompt_tokens), ("completion", usage.completion_tokens)):
                used[(*key, kind)] = used.get((*key, kind), 0) + value
        for key, usd in spent.items():
            cost.add_metric(list(key), usd)
        for token_key, count in used.items():
            tokens.add_metric(list(token_key), count)
        latency = HistogramMetricFamily("atende_ai_latency_seconds", "Latency of model calls", labels=model)
        for spread in await self._queries.model_latency(LATENCY_BUCKETS):
            buckets = [(_bound(b), n) for b, n in zip(LATENCY_BUCKETS, spread.at_most, strict=True)]
            latency.add_metric(
                [spread.provider, spread.model], [*buckets, ("+Inf", spread.calls)], spread.seconds
            )
        return [calls, fallbacks, latency, cost, tokens]

    async def _sla_families(self) -> list[Metric]:
        breaches = CounterMetricFamily(
            "atende_sla_breaches", "SLA breaches recorded, by clock", labels=["kind"]
        )
        for kind, count in await self._queries.sla_breaches():
            breaches.add_metric([kind], count)
        events = CounterMetricFamily(
            "atende_sla_events", "SLA warnings, breaches and auto-closes since start", labels=["event"]
        )
        for event, times in (
            ("warning", self._sla.warnings),
            ("breach", self._sla.breaches),
            ("auto_close", self._sla.auto_closed),
        ):
            events.add_metric([event], times)
        return [breaches, events]


def _bound(seconds: float) -> str:
    """A bucket's ``le`` label as Prometheus writes it (``0.25``, ``1.0``)."""
    return repr(float(seconds))
