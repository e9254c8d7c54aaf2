"""The second labelling of the triage rows: how agreement is computed, and what the file may hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.label_agreement import FIRST_FILES, LABELS, SECOND_PASS, cohen_kappa, report
from core.ai.schema import CATEGORIES, REASONS, URGENCIES
from core.ai.training_rows import label_files


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_kappa_matches_a_hand_computed_table() -> None:
    # 10 items: both "yes" 4, both "no" 3, first yes/second no 2, first no/second yes 1.
    # p_o = 7/10; first says yes 6/10, second 5/10; p_e = .6*.5 + .4*.5 = .5; kappa = .2/.5 = 0.4
    first = ["yes"] * 4 + ["no"] * 3 + ["yes"] * 2 + ["no"]
    second = ["yes"] * 4 + ["no"] * 3 + ["no"] * 2 + ["yes"]
    assert cohen_kappa(first, second) == pytest.approx(0.4)
    assert cohen_kappa(first, first) == pytest.approx(1.0)
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0  # chance agreement already total


def test_report_compares_reason_only_where_both_call_a_person_and_lists_disagreements() -> None:
    def label(human: bool, reason: str | None, category: str = "billing") -> dict[str, object]:
        return {"human": human, "category": category, "reason": reason, "urgency": "high"}

    first = {
        1: label(True, "billing_dispute"),
        2: label(True, "legal_compliance_question"),
        3: label(False, None),
    }
    second = {
        1: label(True, "billing_dispute"),
        2: label(True, "billing_dispute"),
        3: label(True, "security_concern"),
    }
    lines = report(first, second)
    assert lines[0].startswith("  human     n=3   agree 2/3 = 0.67")
    assert lines[2].startswith("  reason    n=2   agree 1/2 = 0.50")
    assert [line.split(":")[0] for line in lines[4:]] == ["  differs 2", "  differs 3"]
    assert "reason: legal_compliance_question / billing_dispute" in lines[4]


def test_second_pass_holds_only_tuned_ids_with_valid_labels_and_no_text() -> None:
    tuned = {name: {row["id"] for row in _rows(LABELS / file)} for name, file in FIRST_FILES.items()}
    rows = _rows(SECOND_PASS)
    assert len({(r["set"], r["id"]) for r in rows}) == len(rows) == 100
    for row in rows:
        assert row["id"] in tuned[str(row["set"])]
        assert "text" not in row
        assert row["category"] in CATEGORIES and row["urgency"] in URGENCIES
        assert row["human"] is (row["reason"] is not None)
        assert row["reason"] is None or row["reason"] in REASONS


def test_training_from_the_labels_folder_skips_the_second_pass_and_the_measuring_sets() -> None:
    names = [p.name for p in label_files([LABELS])]
    assert names == ["realworld_tuned.jsonl", "whatsapp_tuned.jsonl"]
