"""The ``atende`` command as a newcomer meets it: bare ``atende`` and ``atende eval triage``'s report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.command import main


@pytest.fixture(autouse=True)
def offline_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``atende eval`` uses the configured models: make sure none is, whatever the machine has."""
    monkeypatch.setenv("GEMINI_API_KEY", "")
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.chdir(tmp_path)  # no .env


def test_bare_atende_prints_the_commands_instead_of_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: atende")
    for command in ("run", "demo", "kb", "eval", "customers"):
        assert f"    {command} " in out or f"    {command}\n" in out
    assert err == ""


def row(text: str, category: str, urgency: str, human: bool = False, reason: str | None = None) -> str:
    return json.dumps(
        {
            "text": text,
            "plan": "growth",
            "category": category,
            "urgency": urgency,
            "human": human,
            "reason": reason,
        }
    )


def test_eval_triage_lists_urgency_misses_like_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows.jsonl"
    # the offline rules read a double charge as high urgency: labelled low, it is an urgency miss only
    rows.write_text(
        row(
            "Vocês cobraram duas vezes no meu cartão, quero meu dinheiro de volta",
            "billing",
            "low",
            True,
            "billing_dispute",
        )
        + "\n"
    )
    assert main(["eval", "triage", str(rows), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["category_accuracy"], figures["urgency_accuracy"]) == (1.0, 0.0)
    assert main(["eval", "triage", str(rows)]) == 0
    misses = capsys.readouterr().out.split("misses\n")[1].splitlines()
    assert len(misses) == 1
    assert "urgency low->high" in misses[0] and "cobraram duas vezes" in misses[0]


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("urgency", "alta", "low, medium, high, critical"),
        ("category", "cobrança", "billing, technical"),
        ("reason", "cliente bravo", "billing_dispute, data_loss_reported"),
    ],
)
def test_eval_triage_names_a_label_outside_the_triage_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, allowed: str
) -> None:
    """Labels the triage can never give (``"alta"``) made urgency accuracy 0.0 without saying why."""
    good = json.loads(row("Quero cancelar", "billing", "medium"))
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(good) + "\n" + json.dumps({**good, field: value}) + "\n")
    assert main(["eval", "triage", str(rows)]) == 2
    err = capsys.readouterr().err
    assert f"line 2: {field} {value!r} is not one of" in err and allowed in err
