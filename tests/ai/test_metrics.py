"""``/metrics`` as Prometheus reads it: counters are counters (``rate()``), model latency a histogram."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from testing.whatsapp_webhooks import wa_text_message
from tests.ai.conftest import AIDesk

COUNTERS = {
    "atende_inbox_processed",
    "atende_outbox_deliveries",
    "atende_messages",
    "atende_ai_calls",
    "atende_ai_cost_usd",
    "atende_ai_tokens",
    "atende_sla_breaches",
    "atende_sla_events",
    "atende_ai_fallbacks",
    "atende_sqlite_statements",
}
GAUGES = {"atende_inbox_backlog", "atende_outbox_rows", "atende_outbox_oldest_pending_seconds"}


async def test_metrics_carry_their_prometheus_types(ai_desk: AIDesk) -> None:
    await ai_desk.whatsapp(wa_text_message("5511987654321", "Maria", "Como emito a nota fiscal?"))
    await ai_desk.settle()
    async with ai_desk.http.get(f"{ai_desk.url}/metrics") as response:
        text = await response.text()
    families = {family.name: family for family in text_string_to_metric_families(text)}

    assert {name: families[name].type for name in COUNTERS} == dict.fromkeys(COUNTERS, "counter")
    assert {name: families[name].type for name in GAUGES} == dict.fromkeys(GAUGES, "gauge")
    assert families["atende_ai_latency_seconds"].type == "histogram"
    assert set(families) == COUNTERS | GAUGES | {"atende_ai_latency_seconds"}

    # counters are exposed as *_total, as rate() expects
    inbound = [s for s in families["atende_messages"].samples if s.labels["direction"] == "inbound"]
    assert [(s.name, s.value) for s in inbound] == [("atende_messages_total", 1.0)]
    calls = sum(s.value for s in families["atende_ai_calls"].samples if s.labels["provider"] == "gemini")
    assert calls >= 1

    # the histogram has cumulative buckets ending in +Inf, and a _count that matches the calls
    samples = [s for s in families["atende_ai_latency_seconds"].samples if s.labels["provider"] == "gemini"]
    buckets = [s for s in samples if s.name.endswith("_bucket")]
    assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == calls
    assert [b.value for b in buckets] == sorted(b.value for b in buckets)
    [count] = [s.value for s in samples if s.name == "atende_ai_latency_seconds_count"]
    [total] = [s.value for s in samples if s.name == "atende_ai_latency_seconds_sum"]
    assert count == calls and total >= 0
