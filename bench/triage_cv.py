"""Cross-validated triage figures on the tuned rows: ``python -m bench.triage_cv --corpus CSV``.

The tuned files (``eval/triage/*_tuned.jsonl``) are what the shipped model trains on, so its
figures on them are optimistic. Here each row is triaged (hard rules + model, as the desk
runs it) by a model trained on the other folds only, with the human threshold that
cross-validation chose. Prints the figures per file, as ``atende eval triage`` does, and the
threshold.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from core.ai.evaluation import LabelledMessage, Prediction, Report, read_rows
from core.ai.offline import triage
from core.ai.triage_cv import FOLDS, choose_threshold, out_of_fold
from core.ai.triage_data import read_corpus
from core.ai.triage_model import Example, TrainingSettings

LABELS = Path(__file__).resolve().parents[1] / "eval" / "triage"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", required=True, help="complaints CSV (id,title,text)")
    parser.add_argument("--folds", type=int, default=FOLDS)
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    files: dict[str, list[LabelledMessage]] = {}
    for path in sorted(LABELS.glob("*_tuned.jsonl")):
        with open(path, encoding="utf-8") as lines:
            files[path.name] = read_rows(lines, corpus)
    rows = [row for part in files.values() for row in part]
    examples = [Example(r.text, r.category, r.urgency, r.human, r.reason) for r in rows]
    scored = out_of_fold(examples, TrainingSettings(), args.folds)
    threshold = choose_threshold(scored)
    print(f"{args.folds}-fold cross-validation over {len(rows)} tuned rows; human threshold {threshold:.2f}")
    read = iter(scored)
    for name, part in files.items():
        report = Report()
        needed, p_human = [], []
        for row in part:
            read_row = next(read)
            fold_model = replace(read_row.model, human_threshold=threshold)
            c = triage(row.text, fold_model).classification
            report.add(row, Prediction(c.category, c.urgency, c.requires_human, c.escalation_reason))
            needed.append(bool(row.human))
            p_human.append(read_row.p_human)
        figures = "  ".join(f"{k} {v}" for k, v in report.figures().items())
        print(f"{name:<24} {figures}  roc_auc {roc_auc(np.array(needed), np.array(p_human)):.3f}")


def roc_auc(needed: np.ndarray, p: np.ndarray) -> float:
    """How well the model's P(person needed) alone ranks the rows that need one above the rest (0.5 = chance)."""
    ranks = np.empty(len(p))
    ranks[np.argsort(p, kind="stable")] = np.arange(1, len(p) + 1)
    positives, negatives = int(needed.sum()), int((~needed).sum())
    if not positives or not negatives:
        return float("nan")
    return float((ranks[needed].sum() - positives * (positives + 1) / 2) / (positives * negatives))


if __name__ == "__main__":
    main()
