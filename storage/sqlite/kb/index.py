"""The KnowledgeBase port on SQLite: articles, an FTS5 index of pt-BR stems, optional embeddings.

Search is BM25 over FTS5 (title and tags weigh more than the body). Query words that
the index has never seen are corrected to the closest indexed word (typos), and domain
synonyms widen the query (``kb_text``). With an :class:`~core.kb.ports.Embedder`, articles'
vectors are stored beside them and search becomes hybrid: the BM25 ranking and the
vector ranking are fused with reciprocal rank fusion. If the embedding service fails,
search answers from BM25 alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from core.kb.model import Article, ArticleHit, ImportOutcome
from core.kb.ports import Embedder
from storage.sqlite.database import Database
from storage.sqlite.kb import text as kb_text

log = logging.getLogger(__name__)

# bm25() column weights: title, tags, body, plain (plain only feeds the typo vocabulary).
_WEIGHTS = "10.0, 6.0, 1.0, 0.0"
# Reciprocal rank fusion constant (Cormack et al. 2009) and how deep each ranking is read.
RRF_K = 60
FUSION_DEPTH = 50
EMBED_BATCH = 100
# Cosine similarities closer than this are a tie; a ranking made only of ties is not used.
TIED = 1e-6
# Every write that changes what search sees bumps this, so cached vocabularies and vectors reload.
_BUMP = "UPDATE kb_generation SET value = value + 1 WHERE id = 1"
# Below this many articles every indexed word is searched, however common (see _Vocabulary).
FEW_ARTICLES = 100


@dataclass(slots=True)
class _Vocabulary:
    """Indexed stems and words, to recognise a query word and correct a misspelt one."""

    generation: int = -1
    stems: frozenset[str] = frozenset()
    words: list[str] = field(default_factory=list)
    uninformative: frozenset[str] = frozenset()
    """Stems in more than half the articles: BM25 gives them no weight, so they only cost time."""
    corrections: dict[str, str | None] = field(default_factory=dict)

    def correct(self, word: str) -> str | None:
        """The indexed word within 1 edit (2 for long words) of ``word``, if any.

        Short words are left alone: one edit away from a short word is usually another real
        word ("custa" -> "curta"), which would only add noise to the query.
        """
        if word not in self.corrections:
            limit = 2 if len(word) >= 9 else 1 if len(word) >= 6 else 0
            found = None
            if limit:
                best = process.extractOne(
                    word, self.words, scorer=DamerauLevenshtein.distance, score_cutoff=limit
                )
                found = best[0] if best else None
            self.corrections[word] = found
        return self.corrections[word]


@dataclass(slots=True)
class _Vectors:
    generation: int = -1
    ids: list[int] = field(default_factory=list)
    matrix: Any = None


class SqliteKnowledgeBase:
    """Implements :class:`core.kb.ports.KnowledgeBase`, plus what importing and reviewing need."""

    def __init__(
        self, db: Database, *, embedder: Embedder | None = None, help_center_url: str | None = None
    ) -> None:
        self._db = db
        self._embedder = embedder
        self._help_center = help_center_url.rstrip("/") if help_center_url else None
        self._vocab = _Vocabulary()
        self._vectors = _Vectors()

    @property
    def hybrid(self) -> bool:
        """Whether searches also rank by embeddings."""
        return self._embedder is not None

    # ------------------------------------------------------------------ search

    async def search(self, query: str, limit: int = 3) -> list[ArticleHit]:
        """The best articles for ``query``, best first; empty when no word of it is indexed."""
        if limit < 1:
            return []
        generation = await self._generation()
        terms = await self._terms(query, generation)
        depth = max(limit, FUSION_DEPTH) if self._embedder else limit
        articles: dict[int, tuple[str, str, str, str]] = {}
        lexical = await self._bm25(terms, depth, articles) if terms else []
        semantic = await self._nearest(query, generation, depth) if self._embedder else []
        ranked = _fuse([lexical, semantic]) if semantic else lexical
        return await self._hits(ranked[:limit], articles)

    async def _generation(self) -> int:
        rows = list(await self._db.reader.execute_fetchall("SELECT value FROM kb_generation WHERE id = 1"))
        return int(rows[0][0]) if rows else 0

    async def _terms(self, query: str, generation: int) -> list[str]:
        """The query's stems that the index knows (typos corrected), widened with synonyms.

        Stems in more than half the articles are left out: BM25 gives them no weight, and
        scoring the thousands of rows they match is most of a search's time on a big base.
        """
        vocab = await self._vocabulary(generation)
        own: set[str] = set()
        for word in kb_text.content_words(query):
            stem = kb_text.stem(word)
            if stem not in vocab.stems:
                fixed = vocab.correct(word)
                if fixed is None:
                    continue
                stem = kb_text.stem(fixed)
            own.add(stem)
        widened = {s for stem in own for s in kb_text.expand(stem) if s in vocab.stems}
        return sorted(widened - vocab.uninformative)

    async def _vocabulary(self, generation: int) -> _Vocabulary:
        if self._vocab.generation != generation:
            rows = await self._db.reader.execute_fetchall("SELECT term, col, doc FROM kb_vocab")
            documents: dict[str, int] = {}
            for term, col, doc in rows:
                if col != "plain":
                    documents[term] = max(documents.get(term, 0), int(doc))
            words = sorted({r[0] for r in rows if r[1] == "plain" and len(r[0]) >= 3})
            total = await self.count()
            common = frozenset(t for t, n in documents.items() if total >= FEW_ARTICLES and n * 2 > total)
            self._vocab = _Vocabulary(generation, frozenset(documents), words, common)
        return self._vocab

    async def _bm25(
        self, terms: Sequence[str], depth: int, articles: dict[int, tuple[str, str, str, str]]
    ) -> list[tuple[int, float]]:
        """The BM25 ranking; the ranked articles' fields are read in the same query into ``articles``."""
        match = "{title tags body} : (" + " OR ".join(f'"{t}"' for t in terms) + ")"
        rows = await self._db.reader.execute_fetchall(
            "SELECT a.id, r.score, a.slug, a.title, a.category, a.body FROM"
            f" (SELECT rowid AS id, -bm25(kb_fts, {_WEIGHTS}) AS score FROM kb_fts WHERE kb_fts MATCH ?"
            f" ORDER BY bm25(kb_fts, {_WEIGHTS}) LIMIT ?) r JOIN kb_articles a ON a.id = r.id"
            " ORDER BY r.score DESC",
            (match, depth),
        )
        articles.update({int(r[0]): (r[2], r[3], r[4], r[5]) for r in rows})
        return [(int(r[0]), float(r[1])) for r in rows]

    async def _nearest(self, query: str, generation: int, depth: int) -> list[tuple[int, float]]:
        """Articles by cosine similarity to the query's embedding; empty if it cannot be had."""
        assert self._embedder is not None
        vectors = await self._vector_matrix(generation)
        if not vectors.ids:
            return []
        try:
            [vector] = await self._embedder.embed([query], query=True)
        except Exception as error:  # any failure of the service: answer from BM25 alone
            log.warning("query embedding failed, searching by words only: %s", error)
            return []
        q = np.asarray(vector, dtype=np.float32)
        if q.shape[0] != vectors.matrix.shape[1] or not np.any(q):
            log.warning("query embedding has %d dimensions, articles %d", q.shape[0], vectors.matrix.shape[1])
            return []
        scores = vectors.matrix @ (q / np.linalg.norm(q))
        if float(np.ptp(scores)) < TIED:  # every article equally close: that order would be noise
            return []
        if depth < len(scores):  # the best ``depth`` in any order (linear), then sorted
            best = np.argpartition(-scores, depth)[:depth]
            top = best[np.argsort(-scores[best])]
        else:
            top = np.argsort(-scores)
        return [(vectors.ids[i], float(scores[i])) for i in top]

    async def _vector_matrix(self, generation: int) -> _Vectors:
        if self._vectors.generation != generation:
            assert self._embedder is not None
            rows = await self._db.reader.execute_fetchall(
                "SELECT e.article_id, e.vector FROM kb_embeddings e JOIN kb_articles a ON a.id = e.article_id"
                " WHERE e.model = ? AND e.content_hash = a.content_hash",
                (self._embedder.model,),
            )
            ids = [int(r[0]) for r in rows]
            matrix = None
            if rows:
                matrix = np.vstack([np.frombuffer(r[1], dtype="<f4") for r in rows])
                norms = np.linalg.norm(matrix, axis=1, keepdims=True)
                matrix = matrix / np.where(norms == 0, 1, norms)
            self._vectors = _Vectors(generation, ids, matrix)
        return self._vectors

    async def _hits(
        self, ranked: list[tuple[int, float]], articles: dict[int, tuple[str, str, str, str]]
    ) -> list[ArticleHit]:
        """Hits for the ranked ids; fields not read with the BM25 ranking (vector-only hits) are read now."""
        missing = [article_id for article_id, _ in ranked if article_id not in articles]
        if missing:
            marks = ", ".join("?" * len(missing))
            rows = await self._db.reader.execute_fetchall(
                f"SELECT id, slug, title, category, body FROM kb_articles WHERE id IN ({marks})", missing
            )
            articles.update({int(r[0]): (r[1], r[2], r[3], r[4]) for r in rows})
        hits = []
        for article_id, score in ranked:
            if article_id not in articles:  # deleted between the two reads
                continue
            slug, title, category, body = articles[article_id]
            url = f"{self._help_center}/{slug}" if self._help_center else None
            hits.append(ArticleHit(slug, title, category, body, round(score, 4), url))
        return hits

    # ------------------------------------------------------------------ articles

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writer connection inside one transaction: committed on exit, rolled back on error."""
        async with self._db.locked() as conn:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    async def upsert(self, article: Article, at: datetime) -> ImportOutcome:
        """Add or replace the article with this slug; an identical one is left untouched."""
        digest = article.content_hash
        async with self._writing() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT id, content_hash, source FROM kb_articles WHERE slug = ?", (article.slug,)
                )
            )
            if rows and rows[0][1] == digest:
                if rows[0][2] != article.source:  # moved file, same content: remember where it is now
                    await conn.execute(
                        "UPDATE kb_articles SET source = ? WHERE id = ?", (article.source, rows[0][0])
                    )
                return ImportOutcome.UNCHANGED
            values = (
                article.title,
                article.category,
                article.subcategory,
                json.dumps(list(article.tags), ensure_ascii=False),
                article.body,
                article.estimated_time,
                article.source,
                digest,
                at.isoformat(),
            )
            if rows:
                article_id = int(rows[0][0])
                await conn.execute(
                    "UPDATE kb_articles SET title = ?, category = ?, subcategory = ?, tags = ?, body = ?,"
                    " estimated_time = ?, source = ?, content_hash = ?, updated_at = ? WHERE id = ?",
                    (*values, article_id),
                )
                await conn.execute("DELETE FROM kb_fts WHERE rowid = ?", (article_id,))
            else:
                cursor = await conn.execute(
                    "INSERT INTO kb_articles (title, category, subcategory, tags, body, estimated_time,"
                    " source, content_hash, updated_at, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, article.slug),
                )
                article_id = int(cursor.lastrowid or 0)
            await conn.execute(
                "INSERT INTO kb_fts (rowid, title, tags, body, plain) VALUES (?, ?, ?, ?, ?)",
                (article_id, *_indexed(article)),
            )
            await conn.execute(_BUMP)
        return ImportOutcome.UPDATED if rows else ImportOutcome.ADDED

    async def imported_from(self, source_prefix: str) -> list[tuple[str, str]]:
        """(slug, source) of the articles whose source starts with ``source_prefix``."""
        rows = await self._db.reader.execute_fetchall(
            "SELECT slug, source FROM kb_articles WHERE substr(source, 1, ?) = ?",
            (len(source_prefix), source_prefix),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def delete(self, slugs: Sequence[str]) -> list[str]:
        """Delete these articles (and their index rows); returns the slugs that existed, sorted."""
        gone: list[str] = []
        if not slugs:
            return gone
        async with self._writing() as conn:
            for slug in slugs:
                rows = list(await conn.execute_fetchall("SELECT id FROM kb_articles WHERE slug = ?", (slug,)))
                if rows:
                    await conn.execute("DELETE FROM kb_fts WHERE rowid = ?", (rows[0][0],))
                    await conn.execute("DELETE FROM kb_articles WHERE id = ?", (rows[0][0],))
                    gone.append(slug)
            await conn.execute(_BUMP)
        return sorted(gone)

    async def count(self) -> int:
        """How many articles there are."""
        rows = list(await self._db.reader.execute_fetchall("SELECT COUNT(*) FROM kb_articles"))
        return int(rows[0][0])

    async def get(self, slug: str) -> Article | None:
        """An article by slug."""
        rows = list(
            await self._db.reader.execute_fetchall(
                "SELECT slug, title, category, body, source, subcategory, tags, estimated_time"
                " FROM kb_articles WHERE slug = ?",
                (slug,),
            )
        )
        if not rows:
            return None
        r = rows[0]
        return Article(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7])

    async def embed_missing(self) -> int:
        """Embed every article without a current vector; returns how many were embedded.

        Raises what the embedder raises; vectors stored before the failure are kept.
        """
        if self._embedder is None:
            return 0
        model = self._embedder.model
        rows = list(
            await self._db.reader.execute_fetchall(
                "SELECT a.id, a.title, a.tags, a.body, a.content_hash FROM kb_articles a"
                " LEFT JOIN kb_embeddings e ON e.article_id = a.id AND e.model = ?"
                " AND e.content_hash = a.content_hash WHERE e.article_id IS NULL ORDER BY a.id",
                (model,),
            )
        )
        done = 0
        for start in range(0, len(rows), EMBED_BATCH):
            batch = rows[start : start + EMBED_BATCH]
            texts = [f"{r[1]}\n{' '.join(json.loads(r[2]))}\n{r[3]}" for r in batch]
            vectors = await self._embedder.embed(texts, query=False)
            await self._db.write_coalesced(
                "INSERT OR REPLACE INTO kb_embeddings (article_id, model, content_hash, vector)"
                " VALUES (?, ?, ?, ?)",
                [
                    (r[0], model, r[4], np.asarray(v, dtype="<f4").tobytes())
                    for r, v in zip(batch, vectors, strict=True)
                ],
            )
            await self._db.write_coalesced(_BUMP, [()])
            done += len(batch)
        return done


def _indexed(article: Article) -> tuple[str, str, str, str]:
    """The FTS columns of an article: stems of title, tags and body, and all its folded words."""
    tags = " ".join(article.tags)
    plain = " ".join(kb_text.words(f"{article.title} {tags} {article.body}"))
    return (
        " ".join(kb_text.stems(article.title)),
        " ".join(kb_text.stems(tags)),
        " ".join(kb_text.stems(article.body)),
        plain,
    )


def _fuse(rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each ranking adds 1 / (k + rank) to an article's score."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (article_id, _) in enumerate(ranking, start=1):
            scores[article_id] = scores.get(article_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
