"""Knowledge-base search latency over a large base: ``python -m bench.kb_search``.

Builds a fresh SQLite base of ``--articles`` synthetic pt-BR articles (each one about a
starter article's topic, mostly its sentences plus a few from other topics, so word
frequencies look like a real help centre's), then times
``SqliteKnowledgeBase.search`` (BM25, offline) for the paraphrased questions of
``eval/kb_questions.jsonl`` plus typo'd variants of them, and prints p50/p95/p99 in ms;
then the same queries through hybrid search, every article given a random embedding.
Target: p95 < 10 ms over 10,000 articles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot.bootstrap.knowledge import BUNDLED_KB
from core.kb.articles import parse_article
from core.kb.model import Article
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 10.0
DIMENSIONS = 768  # what the knowledge base asks Gemini for


def _topics() -> list[tuple[Article, list[str]]]:
    """Each starter article with its sentences."""
    topics = []
    for path in sorted(BUNDLED_KB.glob("*.md")):
        article = parse_article(path.read_text(encoding="utf-8"), str(path))
        sentences = [s.strip() for s in re.split(r"(?<=[.!?:])\s+|\n+", article.body) if len(s.strip()) > 20]
        topics.append((article, sentences))
    return topics


def _synthetic(n: int, rng: random.Random) -> list[Article]:
    """Articles like a real help centre's: each about one topic, with some sentences from elsewhere."""
    topics = _topics()
    everything = [s for _, sentences in topics for s in sentences]
    words = sorted({w for s in everything for w in re.findall(r"\w{5,}", s.lower())})
    articles = []
    for i in range(n):
        topic, sentences = rng.choice(topics)
        title = f"{topic.title} {' '.join(rng.sample(words, 2))}"
        body = " ".join(rng.sample(sentences, min(6, len(sentences))) + rng.sample(everything, 3))
        tags = (*topic.tags[:2], *rng.sample(words, 2))
        articles.append(Article(f"artigo-{i}", title, topic.category, body, f"bench:{i}", None, tags))
    return articles


class _RandomEmbedder:
    """A stand-in for Gemini with no network: the hybrid leg times our work, not the service's."""

    model = "bench-random"

    def __init__(self) -> None:
        self._rng = np.random.default_rng(7)

    async def embed(self, texts: Sequence[str], *, query: bool) -> list[list[float]]:
        return self._rng.standard_normal((len(texts), DIMENSIONS)).astype("<f4").tolist()


async def _hybrid_leg(db: Database, queries: list[str], rounds: int) -> list[float]:
    """Time hybrid search (BM25 and vector rankings fused) over the same articles, embedded."""
    kb = SqliteKnowledgeBase(db, embedder=_RandomEmbedder())
    await kb.embed_missing()
    await kb.search("aquecimento do cache", 3)  # first search loads the vectors
    times = []
    for _ in range(rounds):
        for query in queries:
            t0 = time.perf_counter()
            await kb.search(query, 3)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return round(ordered[int(len(ordered) * 0.95) - 1], 2)


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 7]
    if long:
        i = rng.choice(long)
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)


async def main(articles: int, rounds: int, as_json: bool) -> int:
    rng = random.Random(7)
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "kb_questions.jsonl").open()]
    queries = questions + [_typo(q, rng) for q in questions]
    with tempfile.TemporaryDirectory() as folder:
        db = Database(str(Path(folder) / "bench.db"))
        await db.open()
        kb = SqliteKnowledgeBase(db)
        started = time.perf_counter()
        now = datetime.now(UTC)
        for article in _synthetic(articles, rng):
            await kb.upsert(article, now)
        build = time.perf_counter() - started
        await kb.search("aquecimento do cache", 3)  # first search loads the vocabulary
        times = []
        for _ in range(rounds):
            for query in queries:
                t0 = time.perf_counter()
                await kb.search(query, 3)
                times.append((time.perf_counter() - t0) * 1000)
        hybrid_times = await _hybrid_leg(db, queries, rounds)
        await db.close()
    times.sort()
    result = {
        "articles": articles,
        "searches": len(times),
        "build_s": round(build, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
        "max_ms": round(times[-1], 2),
        "target_p95_ms": TARGET_P95_MS,
        "hybrid_p95_ms": _p95(hybrid_times),
    }
    if as_json:
        print(json.dumps(result))
    else:
        print(f"{articles} articles (built in {result['build_s']} s), {len(times)} searches")
        print(
            f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms  max {result['max_ms']} ms"
        )
        print(f"target p95 < {TARGET_P95_MS} ms: {'PASS' if result['p95_ms'] < TARGET_P95_MS else 'MISS'}")
        print(f"hybrid (BM25 + {DIMENSIONS}-dim vectors, fused): p95 {result['hybrid_p95_ms']} ms")
    return 0 if result["p95_ms"] < TARGET_P95_MS else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.articles, args.rounds, args.json)))
