"""How far two labellers agree on the triage labels: ``python -m bench.label_agreement``.

The first labels of ``eval/triage/*_tuned.jsonl`` train the model, so every figure measured on
them is only as good as they are. ``eval/triage/second_pass.jsonl`` holds a second, independent
labelling of a random sample of those rows (see docs/triage-labels.md); this joins the two by
``id`` and prints, per set, raw agreement and Cohen's kappa (agreement corrected for what two
labellers with these label frequencies would reach by chance) for each field, then the ids that
disagree with both labels. Reason is compared only on rows both passes send to a person, so it
measures the *why* and not again the *whether*. Ids and labels only: no text is read or printed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "eval" / "triage"
SECOND_PASS = LABELS / "second_pass.jsonl"
FIRST_FILES = {"realworld": "realworld_tuned.jsonl", "whatsapp": "whatsapp_tuned.jsonl"}
FIELDS = ("human", "category", "reason", "urgency")

Label = dict[str, object]


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's kappa of two labellings of the same items: (p_o - p_e) / (1 - p_e).

    When chance agreement is already total (both gave one and the same label to everything)
    kappa is undefined; it is reported as 1.0 then, since nothing was disagreed on.
    """
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ones, twos = Counter(first), Counter(second)
    expected = sum(ones[k] * twos[k] for k in ones) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def read_labels(path: Path) -> dict[object, Label]:
    """Each row's label fields by id (a row's ``text``, if any, is dropped on reading)."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: {k: row.get(k) for k in FIELDS} for row in rows}


def pairs(field: str, first: dict[object, Label], second: dict[object, Label]) -> list[tuple[object, ...]]:
    """(id, first label, second label) of the rows the field is compared on."""
    ids = [i for i in second if field != "reason" or (first[i]["human"] and second[i]["human"])]
    return [(i, first[i][field], second[i][field]) for i in ids]


def report(first: dict[object, Label], second: dict[object, Label]) -> list[str]:
    """One line per field (n, agreement, kappa), then one line per disagreeing row."""
    lines = []
    for field in FIELDS:
        compared = pairs(field, first, second)
        a, b = [p[1] for p in compared], [p[2] for p in compared]
        agreed = sum(x == y for x, y in zip(a, b, strict=True))
        kappa = cohen_kappa(a, b) if compared else float("nan")
        lines.append(
            f"  {field:<9} n={len(compared):<3} agree {agreed}/{len(compared)} = "
            f"{agreed / max(len(compared), 1):.2f}  kappa {kappa:.2f}"
        )
    for i in second:
        differ = [f for f in FIELDS if first[i][f] != second[i][f]]
        if differ:
            both = "  ".join(f"{f}: {first[i][f]} / {second[i][f]}" for f in differ)
            lines.append(f"  differs {i}: {both}")
    return lines


def main() -> None:
    rows = [json.loads(line) for line in SECOND_PASS.read_text(encoding="utf-8").splitlines() if line.strip()]
    print("second pass vs first labels (first / second)")
    for name, file in FIRST_FILES.items():
        first = read_labels(LABELS / file)
        second = {r["id"]: {k: r[k] for k in FIELDS} for r in rows if r["set"] == name}
        print(f"{name} ({file}, {len(second)} rows)")
        print("\n".join(report(first, second)))


if __name__ == "__main__":
    main()
