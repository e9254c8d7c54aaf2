"""Importing Markdown articles: add, update, delete, unchanged re-imports, and bad files reported one by one."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap.knowledge import BUNDLED_KB, import_folder, import_starter_if_empty
from bot.cli import command as cli
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase
from tests.conftest import StartDesk

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def article(slug: str, title: str, body: str, category: str = "billing_and_plans", extra: str = "") -> str:
    return f"---\nslug: {slug}\ntitle: {title}\ncategory: {category}\ntags: [teste]\n{extra}---\n{body}\n"


@pytest.fixture
async def kb(tmp_path: Path) -> AsyncIterator[SqliteKnowledgeBase]:
    db = Database(str(tmp_path / "kb.db"))
    await db.open()
    yield SqliteKnowledgeBase(db)
    await db.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "artigos"
    (root / "cobranca").mkdir(parents=True)
    (root / "pix.md").write_text(article("pagar-com-pix", "Pagar com Pix", "Use o QR Code do Pix."))
    (root / "cobranca" / "boleto.md").write_text(
        article("segunda-via-boleto", "Segunda via do boleto", "Gere a segunda via em Faturas.")
    )
    return root


async def slugs(kb: SqliteKnowledgeBase, query: str) -> list[str]:
    return [hit.slug for hit in await kb.search(query, 5)]


async def test_import_then_reimport_changes_nothing(kb: SqliteKnowledgeBase, folder: Path) -> None:
    first = await import_folder(kb, folder, NOW)
    assert sorted(first.outcomes["added"]) == ["pagar-com-pix", "segunda-via-boleto"]
    generation = await kb._generation()

    again = await import_folder(kb, folder, NOW)
    assert sorted(again.outcomes["unchanged"]) == ["pagar-com-pix", "segunda-via-boleto"]
    assert "added" not in again.outcomes and "updated" not in again.outcomes and not again.removed
    assert await kb._generation() == generation  # not a single row was rewritten
    assert await slugs(kb, "boleto") == ["segunda-via-boleto"]


async def test_an_edited_file_updates_its_article(kb: SqliteKnowledgeBase, folder: Path) -> None:
    await import_folder(kb, folder, NOW)
    (folder / "pix.md").write_text(article("pagar-com-pix", "Pagar com Pix", "Copie o código copia e cola."))
    report = await import_folder(kb, folder, NOW)
    assert report.outcomes == {"updated": ["pagar-com-pix"], "unchanged": ["segunda-via-boleto"]}
    assert await slugs(kb, "copia e cola") == ["pagar-com-pix"]
    assert await slugs(kb, "qr code") == []  # the old text is gone from the index
    stored = await kb.get("pagar-com-pix")
    assert stored is not None and stored.body == "Copie o código copia e cola."


async def test_a_removed_file_removes_its_article(kb: SqliteKnowledgeBase, folder: Path) -> None:
    await import_folder(kb, folder, NOW)
    (folder / "cobranca" / "boleto.md").unlink()
    report = await import_folder(kb, folder, NOW)
    assert report.removed == ["segunda-via-boleto"]
    assert await kb.get("segunda-via-boleto") is None
    assert await slugs(kb, "segunda via boleto") == []
    assert await kb.count() == 1


async def test_a_renamed_slug_replaces_the_old_article(kb: SqliteKnowledgeBase, folder: Path) -> None:
    await import_folder(kb, folder, NOW)
    (folder / "pix.md").write_text(article("pix", "Pagar com Pix", "Use o QR Code do Pix."))
    report = await import_folder(kb, folder, NOW)
    assert report.outcomes["added"] == ["pix"] and report.removed == ["pagar-com-pix"]


BAD_FILES = {
    "sem-front-matter.md": ("Só texto, sem cabeçalho.", "no front matter"),
    "yaml-quebrado.md": ("---\nslug: [abc\ntitle: x\n---\ntexto", "not valid YAML"),
    "sem-titulo.md": ("---\nslug: sem-titulo\ncategory: troubleshooting\n---\ntexto", "lacks title"),
    "categoria.md": (article("categoria", "Categoria", "texto", category="vendas"), "category 'vendas'"),
    "subcategoria.md": (
        article("subcategoria", "Sub", "texto", extra="subcategory: invoicing\n", category="troubleshooting"),
        "subcategory 'invoicing'",
    ),
    "slug-ruim.md": (article("Slug Ruim", "Slug", "texto"), "slug 'Slug Ruim'"),
    "vazio.md": (article("vazio", "Vazio", ""), "no text"),
    "repetido.md": (article("pagar-com-pix", "Outro Pix", "texto"), "already used by pix.md"),
}


async def test_bad_files_are_reported_and_valid_ones_kept(kb: SqliteKnowledgeBase, folder: Path) -> None:
    for name, (text, _) in BAD_FILES.items():
        (folder / name).write_text(text)
    (folder / "latin1.md").write_bytes(article("latin", "Cobrança", "ação").encode("latin-1"))

    report = await import_folder(kb, folder, NOW)

    errors = dict(report.errors)
    for name, (_, reason) in BAD_FILES.items():
        assert reason in errors[name], (name, errors[name])
    assert errors["latin1.md"] == "not UTF-8 text"
    assert sorted(report.outcomes["added"]) == ["pagar-com-pix", "segunda-via-boleto"]
    assert await kb.count() == 2
    assert f"error: categoria.md: {errors['categoria.md']}" in report.summary()


async def test_a_file_broken_later_keeps_its_last_good_version(kb: SqliteKnowledgeBase, folder: Path) -> None:
    await import_folder(kb, folder, NOW)
    (folder / "pix.md").write_text("---\nslug: pagar-com-pix\ntitle: Pix\ncategory: nada\n---\nx")
    report = await import_folder(kb, folder, NOW)
    assert [name for name, _ in report.errors] == ["pix.md"]
    assert not report.removed
    assert await slugs(kb, "qr code pix") == ["pagar-com-pix"]


def test_cli_import_search_and_eval(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the machine
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)

    assert cli.main(["kb", "import", str(folder)]) == 0
    assert "2 added, 0 updated, 0 unchanged, 0 removed, 0 refused" in capsys.readouterr().out
    assert cli.main(["kb", "import", str(folder)]) == 0
    assert "0 added, 0 updated, 2 unchanged" in capsys.readouterr().out

    assert cli.main(["kb", "search", "segunda via do boléto", "--json", "--limit", "1"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["slug"] == "segunda-via-boleto" and hit["title"] == "Segunda via do boleto"
    assert isinstance(hit["score"], float)

    questions = tmp_path / "perguntas.jsonl"
    questions.write_text(
        json.dumps({"question": "como pago por pix", "slug": "pagar-com-pix"})
        + "\n"
        + json.dumps({"question": "boleto vencido", "slug": "segunda-via-boleto"})
        + "\n"
    )
    assert cli.main(["eval", "kb", str(questions), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 2 and result["recall_at_1"] == 1.0 and result["recall_at_3"] == 1.0


def test_cli_reports_bad_files_with_a_failing_status(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    (folder / "ruim.md").write_text("sem cabeçalho")
    assert cli.main(["kb", "import", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "error: ruim.md: no front matter" in out and "2 added" in out

    assert cli.main(["kb", "import", str(tmp_path / "nao-existe")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert cli.main(["kb", "search", "pix"]) == 0
    assert "pagar-com-pix" in capsys.readouterr().out


async def test_first_start_imports_the_bundled_starter_articles(start_desk: StartDesk) -> None:
    desk = await start_desk()
    assert await desk.bot.kb.count() == len(list(BUNDLED_KB.glob("*.md")))
    assert (await desk.bot.kb.search("como conectar o WhatsApp Business", 1))[0].slug == (
        "conectar-whatsapp-business"
    )


async def test_starter_folder_is_imported_only_into_an_empty_base(
    start_desk: StartDesk, folder: Path, tmp_path: Path
) -> None:
    desk = await start_desk(kb_starter_dir=str(folder))
    assert await desk.bot.kb.count() == 2
    other = tmp_path / "outra"
    other.mkdir()
    (other / "x.md").write_text(article("outro", "Outro", "texto"))
    settings = desk.bot.settings.model_copy(update={"kb_starter_dir": str(other)})
    assert await import_starter_if_empty(desk.bot.kb, settings, NOW) is None
    assert await desk.bot.kb.count() == 2


def test_cli_eval_on_a_fresh_database_measures_the_starter_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "fresh.db"))
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("KB_STARTER_DIR", raising=False)
    questions = Path(__file__).resolve().parents[1] / "eval" / "kb_questions.jsonl"

    assert cli.main(["eval", "kb", str(questions), "--json"]) == 0
    captured = capsys.readouterr()
    assert "a base estava vazia" in captured.err
    assert json.loads(captured.out)["recall_at_3"] >= 0.9  # the offline target


# A YAML alias bomb in miniature: each level repeats the one before nine times (the real one
# had enough levels to reach gigabytes; this one would import fine if aliases were accepted).
ALIAS_BOMB = (
    "---\nslug: bomba\ntitle: Bomba\ncategory: billing_and_plans\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "---\nTexto.\n"
)


def test_links_out_of_the_folder_huge_articles_and_yaml_aliases_are_refused_by_name(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    outside = tmp_path / "segredo.md"
    outside.write_text(article("segredo", "Segredo", "Nada disto deveria entrar na base."))
    (folder / "atalho.md").symlink_to(outside)
    (folder / "enorme.md").write_text(article("enorme", "Enorme", "palavra " * 70_000))  # 560 KB
    (folder / "bomba.md").write_text(ALIAS_BOMB)
    (folder / "cobranca" / "cartao.txt").write_text(article("pagar-com-cartao", "Cartão", "Use o cartão."))
    (folder / "cartao.md").symlink_to(folder / "cobranca" / "cartao.txt")  # inside the folder: followed

    assert cli.main(["kb", "import", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"error: atalho.md: is a link to {outside}, outside the folder; not followed",
        "error: bomba.md: front matter is not valid YAML: YAML aliases (*name) are not accepted",
        "error: enorme.md: is larger than 512 KiB; split it into articles",
        "3 added, 0 updated, 0 unchanged, 0 removed, 3 refused",
    ]
    assert cli.main(["kb", "search", "segredo bomba enorme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
