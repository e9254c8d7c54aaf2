"""The knowledge base's wiring: building it from settings, and importing folders of Markdown articles
(``atende kb import``, and the bundled starter articles on the first start).

Every ``*.md`` file under the folder is read on its own: a broken file is reported with
its reason and skipped, every valid file is kept. Re-importing an unchanged file changes
nothing; an article whose file was removed from the folder is removed from the base
(articles published from Slack are never touched by an import). A link to a file outside
the folder is not followed, and a file over ``MAX_ARTICLE_BYTES`` is not read past the cap:
each is refused by name like any broken file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.settings import KnowledgeSettings
from core.kb.articles import MAX_ARTICLE_BYTES, ArticleError, parse_article
from core.kb.model import ImportOutcome
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase

log = logging.getLogger(__name__)

FILE_SOURCE = "file:"
# The starter articles shipped in the repository's kb/ folder.
BUNDLED_KB = Path(__file__).resolve().parents[2] / "kb"


def make_knowledge_base(settings: KnowledgeSettings, db: Database) -> SqliteKnowledgeBase:
    """Hybrid search when a Gemini key is set, BM25 alone otherwise."""
    embedder = None
    if settings.gemini_api_key:
        from handlers.models.gemini_embeddings import GeminiEmbedder

        embedder = GeminiEmbedder(
            settings.gemini_api_key,
            settings.gemini_embedding_model,
            base_url=settings.gemini_api_url or None,
        )
    return SqliteKnowledgeBase(db, embedder=embedder, help_center_url=settings.help_center_url or None)


async def open_base(settings: KnowledgeSettings, db: Database, at: datetime) -> SqliteKnowledgeBase:
    """The knowledge base, with the starter articles imported on its first start."""
    kb = make_knowledge_base(settings, db)
    await import_starter_if_empty(kb, settings, at)
    return kb


async def import_starter_if_empty(
    kb: SqliteKnowledgeBase, settings: KnowledgeSettings, at: datetime
) -> ImportReport | None:
    """On a base with no article, import the starter folder (KB_STARTER_DIR or the bundled kb/)."""
    if await kb.count():
        return None
    folder = Path(settings.kb_starter_dir) if settings.kb_starter_dir else BUNDLED_KB
    if not folder.is_dir():
        log.warning("knowledge base is empty and %s is not a folder; nothing imported", folder)
        return None
    report = await import_folder(kb, folder, at, embed=False)  # the bot embeds in the background
    log.info("knowledge base was empty; imported %s: %s", folder, report.summary().replace("\n", "; "))
    return report


@dataclass(slots=True)
class ImportReport:
    """What an import did, file by file."""

    outcomes: dict[str, list[str]] = field(default_factory=dict)
    """Outcome ("added", "updated", "unchanged") -> slugs."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) for every refused file."""
    removed: list[str] = field(default_factory=list)
    embedded: int = 0
    embedding_error: str | None = None

    def count(self, outcome: ImportOutcome) -> int:
        """How many articles had this outcome."""
        return len(self.outcomes.get(outcome.value, []))

    def summary(self) -> str:
        """One line per refused file, then the totals (pt-BR is for customers; this is for operators)."""
        lines = [f"error: {name}: {reason}" for name, reason in self.errors]
        lines.append(
            f"{self.count(ImportOutcome.ADDED)} added, {self.count(ImportOutcome.UPDATED)} updated,"
            f" {self.count(ImportOutcome.UNCHANGED)} unchanged, {len(self.removed)} removed,"
            f" {len(self.errors)} refused"
        )
        if self.embedded:
            lines.append(f"{self.embedded} articles embedded")
        if self.embedding_error:
            lines.append(f"embeddings not updated ({self.embedding_error}); search uses words only meanwhile")
        return "\n".join(lines)


async def import_folder(
    kb: SqliteKnowledgeBase, folder: Path, at: datetime, *, embed: bool = True
) -> ImportReport:
    """Import every Markdown file under ``folder``; see the module docstring for the rules.

    With ``embed`` (and a Gemini key) new and changed articles are embedded before returning.
    """
    report = ImportReport()
    root = folder.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    seen: dict[str, Path] = {}
    for path in sorted(root.rglob("*.md")):
        name = str(path.relative_to(root))
        try:
            article = parse_article(_read_article(path, root), f"{FILE_SOURCE}{path}")
        except UnicodeDecodeError:
            report.errors.append((name, "not UTF-8 text"))
            continue
        except ArticleError as error:
            report.errors.append((name, str(error)))
            continue
        if article.slug in seen:
            first = seen[article.slug].relative_to(root)
            report.errors.append((name, f"slug {article.slug!r} is already used by {first}"))
            continue
        seen[article.slug] = path
        outcome = await kb.upsert(article, at)
        report.outcomes.setdefault(outcome.value, []).append(article.slug)
    # a refused file keeps its earlier good version: only articles whose file is gone (or now
    # carries another slug) are removed
    refused = {f"{FILE_SOURCE}{root / name}" for name, _ in report.errors}
    stale = [
        slug
        for slug, source in await kb.imported_from(f"{FILE_SOURCE}{root}/")
        if slug not in seen and source not in refused
    ]
    report.removed = await kb.delete(stale)
    if embed and kb.hybrid:
        try:
            report.embedded = await kb.embed_missing()
        except Exception as error:  # text search works without vectors; say so and carry on
            log.warning("embedding articles failed: %s", error)
            report.embedding_error = str(error) or type(error).__name__
    return report


def _read_article(path: Path, root: Path) -> str:
    """The text of one article file inside ``root``; :class:`ArticleError` for a file not to be read."""
    target = path.resolve()
    if not target.is_relative_to(root):
        raise ArticleError(f"is a link to {target}, outside the folder; not followed")
    if not target.is_file():
        raise ArticleError("is not a regular file")
    with target.open("rb") as file:
        data = file.read(MAX_ARTICLE_BYTES + 1)  # never more than the cap in memory
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"is larger than {MAX_ARTICLE_BYTES // 1024} KiB; split it into articles")
    return data.decode("utf-8")
