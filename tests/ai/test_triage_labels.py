"""The labelled rows the offline triage is trained and measured on: their split and how they are read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.command import main
from core.ai.schema import CATEGORIES, REASONS, URGENCIES
from core.ai.triage_data import untouched

EVAL = Path(__file__).resolve().parents[2] / "eval" / "triage"
LABEL_FILES = sorted(EVAL.glob("realworld_*.jsonl")) + sorted(EVAL.glob("whatsapp_*.jsonl"))


@pytest.fixture(autouse=True)
def offline_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "")
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
def test_each_label_file_holds_its_part_of_the_fixed_split_and_valid_labels(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    held_out = path.stem.endswith("_untouched")
    for row in rows:
        assert untouched(row["id"]) is held_out, row["id"]
        assert row["category"] in CATEGORIES
        assert row["urgency"] in URGENCIES
        assert row["human"] is (row["reason"] is not None)
        assert row["reason"] is None or row["reason"] in REASONS
        if path.name.startswith("realworld_"):
            assert "text" not in row  # the corpus stays where it is published


def test_the_split_keeps_about_thirty_percent_untouched() -> None:
    share = sum(untouched(i) for i in range(6000)) / 6000
    assert 0.27 < share < 0.33


def test_rows_labelled_by_id_take_their_text_from_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "complaints.csv"
    corpus.write_text(
        'id,title,text\n7,Cobrança em dobro,"Cobraram duas vezes no meu cartão, quero estorno"\n'
        "8,Dúvida,Vocês atendem no sábado?\n",
        encoding="utf-8",
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"id": 7, "category": "billing", "urgency": "high", "human": true, "reason": "billing_dispute"}\n'
        '{"id": 8, "category": "general_inquiry", "urgency": "critical", "human": false, "reason": null}\n',
        encoding="utf-8",
    )
    assert main(["eval", "triage", str(labels), "--corpus", str(corpus), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["n"] == 2
    assert figures["human_recall"] == 1.0

    assert main(["eval", "triage", str(labels), "--corpus", str(corpus)]) == 0
    report = capsys.readouterr().out
    assert "8: general_inquiry->general_inquiry urgency critical->low" in report
    assert "Vocês atendem no sábado?" in report


def test_a_row_whose_id_is_not_in_the_corpus_is_an_error_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "complaints.csv"
    corpus.write_text("id,title,text\n1,a,b\n", encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": 99, "category": "billing", "urgency": "high", "human": false}\n')
    assert main(["eval", "triage", str(labels), "--corpus", str(corpus)]) == 2
    assert "line 1" in capsys.readouterr().err
