"""Hybrid search: Gemini embeddings (real google-genai SDK against a fake endpoint) fused with BM25."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap.knowledge import import_folder
from handlers.models.gemini_embeddings import GeminiEmbedder
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase
from testing.gemini_api import FakeGeminiAPI as FakeGemini
from tests.conftest import StartDesk

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
KEY = "gemini-test-key"
MODEL = "gemini-embedding-001"
# "parar" and "encerrar" mean the same here; nothing else is related.
TOPICS = [["parar", "encerrar"], ["pix"], ["nota"]]


def write(folder: Path, slug: str, title: str, body: str) -> None:
    (folder / f"{slug}.md").write_text(
        f"---\nslug: {slug}\ntitle: {title}\ncategory: billing_and_plans\n---\n{body}\n"
    )


@pytest.fixture
async def gemini() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(api_key=KEY) as fake:
        fake.topics = TOPICS
        yield fake


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "artigos"
    root.mkdir()
    write(root, "encerrar-conta", "Encerrar a conta", "Clique em Encerrar, em Configurações.")
    write(root, "pix", "Pagamentos com Pix", "O Pix confirma na hora.")
    write(root, "nota-fiscal", "Nota fiscal", "Baixe a nota em Faturas.")
    return root


def hybrid_kb(db: Database, gemini: FakeGemini) -> SqliteKnowledgeBase:
    return SqliteKnowledgeBase(db, embedder=GeminiEmbedder(KEY, MODEL, base_url=gemini.url))


async def slugs(kb: SqliteKnowledgeBase, query: str) -> list[str]:
    return [hit.slug for hit in await kb.search(query, 3)]


async def test_meaning_finds_what_words_cannot(db: Database, gemini: FakeGemini, folder: Path) -> None:
    kb = hybrid_kb(db, gemini)
    report = await import_folder(kb, folder, NOW)
    assert report.embedded == 3
    assert {r["taskType"] for r in gemini.embedded} == {"RETRIEVAL_DOCUMENT"}

    words_only = SqliteKnowledgeBase(db)
    assert await slugs(words_only, "quero parar de usar") == []
    assert (await slugs(kb, "quero parar de usar"))[0] == "encerrar-conta"
    assert gemini.embedded[-1]["taskType"] == "RETRIEVAL_QUERY"


async def test_both_rankings_are_fused(db: Database, gemini: FakeGemini, folder: Path) -> None:
    kb = hybrid_kb(db, gemini)
    await import_folder(kb, folder, NOW)
    assert await slugs(SqliteKnowledgeBase(db), "parar com pix") == ["pix"]
    both = await kb.search("parar com pix", 2)
    assert {hit.slug for hit in both} == {"pix", "encerrar-conta"}
    assert both[0].slug == "pix"  # found by words and by meaning: ranked first by reciprocal rank fusion


async def test_unchanged_articles_are_not_embedded_again(
    db: Database, gemini: FakeGemini, folder: Path
) -> None:
    kb = hybrid_kb(db, gemini)
    await import_folder(kb, folder, NOW)
    sent = len(gemini.embedded)
    again = await import_folder(kb, folder, NOW)
    assert again.embedded == 0 and len(gemini.embedded) == sent

    write(folder, "pix", "Pagamentos com Pix", "O Pix confirma em segundos.")
    changed = await import_folder(kb, folder, NOW)
    assert changed.embedded == 1
    assert "O Pix confirma em segundos." in gemini.embedded[-1]["content"]["parts"][0]["text"]


async def test_gemini_down_search_answers_from_words(db: Database, gemini: FakeGemini, folder: Path) -> None:
    kb = hybrid_kb(db, gemini)
    await import_folder(kb, folder, NOW)
    gemini.fail("embed", status=503, times=None)
    assert await slugs(kb, "pagar com pix") == ["pix"]
    gemini.clear_faults()
    gemini.fail("embed", status=200, body={"embeddings": []})  # malformed: no vector
    assert await slugs(kb, "pagar com pix") == ["pix"]


async def test_import_while_gemini_is_down_keeps_articles_and_embeds_later(
    db: Database, gemini: FakeGemini, folder: Path
) -> None:
    kb = hybrid_kb(db, gemini)
    gemini.fail("embed", status=500, times=None)
    report = await import_folder(kb, folder, NOW)
    assert len(report.outcomes["added"]) == 3
    assert report.embedding_error and "500" in report.embedding_error
    assert "embeddings not updated" in report.summary()
    assert await slugs(kb, "nota fiscal") == ["nota-fiscal"]

    gemini.clear_faults()
    later = await import_folder(kb, folder, NOW)
    assert later.embedded == 3 and later.embedding_error is None


async def test_bot_embeds_its_starter_articles_in_the_background(
    start_desk: StartDesk, gemini: FakeGemini
) -> None:
    desk = await start_desk(gemini_api_key=KEY, gemini_api_url=gemini.url)
    count = await desk.bot.kb.count()
    assert count > 10

    async def all_embedded() -> bool:
        return (await desk.rows("SELECT COUNT(*) FROM kb_embeddings"))[0][0] == count

    await gemini.wait_for(lambda _: all_embedded())


async def test_a_vector_ranking_of_ties_leaves_the_word_ranking_alone(
    db: Database, gemini: FakeGemini, folder: Path
) -> None:
    gemini.topics = []  # every text gets the same vector: the embedding says nothing
    kb = hybrid_kb(db, gemini)
    await import_folder(kb, folder, NOW)
    assert (
        await slugs(kb, "nota fiscal")
        == await slugs(SqliteKnowledgeBase(db), "nota fiscal")
        == ["nota-fiscal"]
    )
