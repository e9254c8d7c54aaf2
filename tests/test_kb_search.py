"""Searching the starter knowledge base the way customers write: accents, typos, stems, chat spellings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap.knowledge import BUNDLED_KB, import_folder
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
async def kb(tmp_path: Path) -> AsyncIterator[SqliteKnowledgeBase]:
    db = Database(str(tmp_path / "kb.db"))
    await db.open()
    base = SqliteKnowledgeBase(db, help_center_url="https://help.example.com.br/artigos/")
    report = await import_folder(base, BUNDLED_KB, NOW)
    assert not report.errors, report.summary()
    yield base
    await db.close()


async def first(kb: SqliteKnowledgeBase, query: str) -> str | None:
    hits = await kb.search(query, 3)
    return hits[0].slug if hits else None


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        # accents and case do not matter
        ("CONEXÃO do WhatsApp Business pelo QR Code", "conectar-whatsapp-business"),
        ("conexao do whatsapp business pelo qr code", "conectar-whatsapp-business"),
        ("Cobrança no cartão de crédito recusada", "formas-de-pagamento"),
        ("cobranca no cartao de credito recusada", "formas-de-pagamento"),
        # typos
        ("cancelameto da asinatura", "cancelar-assinatura"),
        ("o boelto venceu", "formas-de-pagamento"),
        ("esqueci a sennha", "esqueci-minha-senha"),
        ("qr code do whatsap nao aparece", "conectar-whatsapp-business"),
        # other forms of the same word (stems)
        ("exportação dos relatórios não funciona", "problemas-exportar-dados"),
        ("a integração desconectou", "falha-conexao-integracao"),
        # chat spellings
        ("vcs emitem nf pro meu cnpj?", "nota-fiscal"),
        ("como ligo o zap na plataforma", "conectar-whatsapp-business"),
        # words the article does not use (synonyms)
        ("quero encerrar minha conta", "cancelar-assinatura"),
        ("a ia está muito devagar", "respostas-da-ia-lentas"),
    ],
)
async def test_the_right_article_comes_first(kb: SqliteKnowledgeBase, query: str, slug: str) -> None:
    assert await first(kb, query) == slug


async def test_hits_carry_what_a_draft_needs(kb: SqliteKnowledgeBase) -> None:
    [hit, *_] = await kb.search("pagar com pix", 3)
    assert hit.slug == "formas-de-pagamento"
    assert hit.title == "Formas de pagamento: Pix, boleto e cartão de crédito"
    assert hit.category == "billing_and_plans"
    assert "QR Code" in hit.body
    assert hit.url == "https://help.example.com.br/artigos/formas-de-pagamento"
    assert hit.score > 0


async def test_results_are_best_first_and_limited(kb: SqliteKnowledgeBase) -> None:
    hits = await kb.search("plano pagamento cartão nota fiscal", 2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score
    assert len(await kb.search("plano pagamento cartão nota fiscal", 10)) > 2


@pytest.mark.parametrize("query", ["", "   ", "?!", "de a o que", "xyzzy quux"])
async def test_nothing_found_is_an_empty_list(kb: SqliteKnowledgeBase, query: str) -> None:
    assert await kb.search(query) == []


async def test_query_syntax_is_data_not_fts_operators(kb: SqliteKnowledgeBase) -> None:
    # FTS5 operators and quotes in a customer's text must not break or steer the query
    assert await first(kb, 'pix" OR boleto NEAR(cartão) * {title}:') == "formas-de-pagamento"


async def test_no_help_centre_no_link(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "plain.db"))
    await db.open()
    try:
        base = SqliteKnowledgeBase(db)
        await import_folder(base, BUNDLED_KB, NOW)
        [hit] = await base.search("nota fiscal", 1)
        assert hit.url is None
    finally:
        await db.close()
