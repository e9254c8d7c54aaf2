"""The zero-latency fake Slack Web API and fake Graph API, in their own process, for the intake benchmark.

Run as ``python -m bench.fake_platforms`` (the benchmark does it). Prints one line
``READY {"slack": url, "graph": url}`` on stdout once both listen, then serves until SIGTERM/SIGINT.

The Slack fake is ``testing.FakeSlackAPI`` plus two things:

* every ``chat.postMessage`` that shows a benchmark message as its customer (``username`` set,
  text carrying the marker ``[bench:<id>]``) records the arrival time of that id as
  ``time.monotonic()``, which on Linux is CLOCK_MONOTONIC, one clock for every process on the
  host, so it compares directly with the load generator's send times. A second such post of
  the same id is a duplicate; other posts carrying the marker (an escalation notice's summary
  quoting the conversation) are counted apart as ``quoting``;
* the AI's post under each message (its answer, draft or alert, led by the triage line
  ``🤖 ...``) is matched to that message (the AI works a ticket's messages in order; a line
  saying "N mensagens lidas juntas" answers the next N) and its arrival recorded the same way;
* every Web API call is counted by method;
* with ``BENCH_MODEL_DELAY=<seconds>`` a fake Gemini answers every ``generateContent`` that late
  (a slow remote model);
* ``GET /_bench/stats`` (counts), ``GET /_bench/arrivals`` and ``GET /_bench/ai_arrivals``
  (``{id: t}``) expose them.

Its recorded-call list is trimmed as it goes so a long run does not grow the fake's memory
or slow it down; the message store (which thread replies look up) is kept.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import web

from testing import FakeGraphAPI, FakeSlackAPI
from testing.fake_server import Call, FakeServer, Handler
from testing.gemini_api import FakeGeminiAPI

MARKER = re.compile(r"\[bench:(\d+)\]")
KEEP_CALLS = 1000
GEMINI_KEY = "gemini-bench-key"
PHONE_ID = "PHONE_ID"
"""The business number the fake Graph serves (atende's WHATSAPP_PHONE_ID in the benchmarks)."""
TRIAGE_LINE = "🤖 "
"""How the AI's triage line under each customer message begins (``core.ai.texts.ai_triage_line``)."""
BURST = re.compile(r"(\d+) mensagens lidas juntas")
"""How the triage line says it read several messages sent in a row (``core.ai.texts.ai_triage_line``)."""


class BenchSlackAPI(FakeSlackAPI):
    """FakeSlackAPI that timestamps benchmark messages and reports them over HTTP."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrivals: dict[str, float] = {}
        self.posts = 0
        self.thread_posts = 0
        self.parent_posts = 0
        self.duplicates = 0
        self.quoting = 0
        self.thread_keys: dict[str, list[str]] = {}
        self.triaged: Counter[str] = Counter()
        self.ai_arrivals: dict[str, float] = {}
        """Benchmark id -> when the AI's triage line for that customer message arrived."""
        self.methods: Counter[str] = Counter()
        """Web API calls by method (chat.postMessage, chat.update...), to count them per message."""
        self.duplicate_samples: list[dict[str, Any]] = []
        self.first_post_at: float | None = None
        self.last_post_at: float | None = None

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        if request.path.startswith("/_bench/"):
            return "_bench", self._bench
        name, handler = super()._resolve(request)
        self.methods[name] += 1
        return name, handler

    async def _post_message(self, request: web.Request, call: Call) -> web.StreamResponse:
        now = time.monotonic()  # the body has been read: this is the moment the post arrived
        self.posts += 1
        if self.first_post_at is None:
            self.first_post_at = now
        self.last_post_at = now
        params = call.params
        if params.get("thread_ts"):
            self.thread_posts += 1
        else:
            self.parent_posts += 1
        text = params.get("text")
        if isinstance(text, str) and (m := MARKER.search(text)):
            key = m.group(1)
            if not params.get("username"):
                self.quoting += 1  # not the message shown as its customer: a summary quoting it
            elif key in self.arrivals:
                self.duplicates += 1
                if len(self.duplicate_samples) < 5:
                    self.duplicate_samples.append({"thread_ts": params.get("thread_ts"), "text": text[:120]})
            else:
                self.arrivals[key] = now
                if params.get("thread_ts"):
                    self.thread_keys.setdefault(params["thread_ts"], []).append(key)
        elif isinstance(text, str) and text.startswith(TRIAGE_LINE) and (thread := params.get("thread_ts")):
            # the AI works a ticket's messages in order, so the n-th triage line answers the n-th
            # message, or the next N when it says it read a burst of N together
            burst = BURST.search(text.partition("\n")[0])
            read = int(burst.group(1)) if burst else 1
            first = self.triaged[thread]
            for key in self.thread_keys.get(thread, [])[first : first + read]:
                self.ai_arrivals.setdefault(key, now)
            self.triaged[thread] += read
        if len(self.calls) > 2 * KEEP_CALLS:
            del self.calls[:-KEEP_CALLS]
        return await super()._post_message(request, call)

    async def _bench(self, request: web.Request, call: Call) -> web.StreamResponse:
        self.calls.pop()  # not an API call
        what = request.path.removeprefix("/_bench/")
        if what == "arrivals":
            return web.json_response(self.arrivals)
        if what == "ai_arrivals":
            return web.json_response(self.ai_arrivals)
        if what == "stats":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            return web.json_response(
                {
                    "posts": self.posts,
                    "thread_posts": self.thread_posts,
                    "parent_posts": self.parent_posts,
                    "marked": len(self.arrivals),
                    "ai_marked": len(self.ai_arrivals),
                    "duplicates": self.duplicates,
                    "duplicate_samples": self.duplicate_samples,
                    "quoting": self.quoting,
                    "methods": dict(self.methods),
                    "first_post_at": self.first_post_at,
                    "last_post_at": self.last_post_at,
                    "cpu_seconds": usage.ru_utime + usage.ru_stime,
                    "max_rss_kb": usage.ru_maxrss,
                }
            )
        return web.Response(status=404, text="unknown bench endpoint")


async def _serve(token_slack: str, token_graph: str, model_delay: float | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    slack = BenchSlackAPI(token=token_slack)
    graph = FakeGraphAPI(token=token_graph, phone_id=PHONE_ID)
    fakes: list[FakeServer] = [slack, graph]
    await slack.start()
    await graph.start()
    urls = {"slack": slack.url, "graph": graph.url}
    if model_delay is not None:  # a remote model that takes this long on every call
        gemini = FakeGeminiAPI(api_key=GEMINI_KEY)
        await gemini.start()
        gemini.delay("generateContent", model_delay)
        fakes.append(gemini)
        urls["gemini"] = gemini.url
    print("READY " + json.dumps({**urls, "pid": os.getpid()}), flush=True)
    try:
        await stop.wait()
    finally:
        for fake in fakes:
            await fake.stop()


def main() -> int:
    token_slack = os.environ.get("BENCH_SLACK_TOKEN", "xoxb-bench")
    token_graph = os.environ.get("BENCH_GRAPH_TOKEN", "wa-bench-token")
    delay = os.environ.get("BENCH_MODEL_DELAY")
    asyncio.run(_serve(token_slack, token_graph, float(delay) if delay else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
