"""Cross-validation of the offline triage: honest figures on training rows, and the human threshold.

A model measured on the rows it was trained on looks perfect. Here the rows are split into
folds; each fold is triaged (the hard rules and the model, as the desk runs them) by a model
trained on the other folds only. From those out-of-fold readings ``atende ai train`` picks
the probability from which the model hands a message to a person: the threshold that best
trades missed escalations against needless ones, chosen on rows the deciding model never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.ai.normalize import normalize
from core.ai.triage_model import (
    MAX_CHARS,
    Example,
    Features,
    TrainingSettings,
    TriageModel,
    read_all,
    train,
)

FOLDS = 5
MISSED_COST = 2.0
"""A person not called when needed costs this many needless escalations (the playbook errs towards people)."""
THRESHOLDS = np.round(np.arange(0.10, 0.91, 0.01), 2)
SETTINGS = TrainingSettings()


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """One row read by a model that did not train on it."""

    example: Example
    model: TriageModel
    rule: str | None
    p_human: float


def out_of_fold(
    examples: Sequence[Example],
    settings: TrainingSettings = SETTINGS,
    folds: int = FOLDS,
    features: Sequence[Features] | None = None,
) -> list[OutOfFold]:
    """Every row with the fold model that never saw it, the hard rule's verdict and P(person needed)."""
    from core.ai.offline import hard_reason  # the rules sit on top of the model

    features = features if features is not None else read_all(examples)
    fold_of = np.random.default_rng(settings.seed).permutation(len(examples)) % folds
    found: list[OutOfFold | None] = [None] * len(examples)
    for fold in range(folds):
        inside = [i for i in range(len(examples)) if fold_of[i] != fold]
        model = train([examples[i] for i in inside], settings, features=[features[i] for i in inside])
        for i in map(int, np.flatnonzero(fold_of == fold)):
            prediction = model.predict(features[i])
            rule = hard_reason(normalize(examples[i].text[:MAX_CHARS]))
            found[i] = OutOfFold(examples[i], model, rule, model.p_human(prediction))
    return [row for row in found if row is not None]


def choose_threshold(rows: Sequence[OutOfFold]) -> float:
    """The threshold with the lowest cost (missed x :data:`MISSED_COST` + needless, as rates) out of fold.

    Rows whose need for a person is unknown do not vote. Ties go to the higher threshold
    (fewer needless escalations for the same cost).
    """
    known = [r for r in rows if r.example.human is not None]
    needed = np.array([bool(r.example.human) for r in known])
    ruled = np.array([r.rule is not None for r in known])
    p = np.array([r.p_human for r in known])
    best, best_cost = float(THRESHOLDS[0]), float("inf")
    for threshold in THRESHOLDS:
        escalated = ruled | (p >= threshold)
        missed = float(np.mean(~escalated[needed])) if needed.any() else 0.0
        needless = float(np.mean(escalated[~needed])) if (~needed).any() else 0.0
        cost = MISSED_COST * missed + needless
        if cost <= best_cost:
            best, best_cost = float(threshold), cost
    return best


def train_calibrated(
    examples: Sequence[Example], settings: TrainingSettings = SETTINGS, folds: int = FOLDS
) -> TriageModel:
    """The model trained on every row, with the human threshold chosen by cross-validation."""
    features = read_all(examples)
    threshold = choose_threshold(out_of_fold(examples, settings, folds, features))
    model = train(examples, settings, features=features)
    model.human_threshold = threshold
    model.meta["threshold_from"] = f"{folds}-fold cross-validation"
    return model
