"""``atende eval triage``: how well the triage matches labelled messages (the operating contract's metrics).

Metrics: category and urgency accuracy; must-go-to-human recall (labelled human rows the
AI escalated) and precision; false escalation rate (rows labelled not-human that the AI
escalated, over all not-human rows). A confusion matrix of categories makes misses
readable.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from core.ai.schema import CATEGORIES, REASONS, URGENCIES


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    """One row of an evaluation file: ``{text, plan, category, urgency, human, reason}``."""

    text: str
    plan: str | None
    category: str
    urgency: str
    human: bool
    reason: str | None
    id: str = ""


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the triage said about a row."""

    category: str
    urgency: str
    human: bool
    reason: str | None


@dataclass(slots=True)
class Report:
    """The figures of one evaluation run."""

    n: int = 0
    category_hits: int = 0
    urgency_hits: int = 0
    human_total: int = 0
    human_found: int = 0
    escalated: int = 0
    false_escalations: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    misses: list[tuple[LabelledMessage, Prediction]] = field(default_factory=list)

    def add(self, row: LabelledMessage, predicted: Prediction) -> None:
        """Count one row."""
        self.n += 1
        self.category_hits += predicted.category == row.category
        self.urgency_hits += predicted.urgency == row.urgency
        self.human_total += row.human
        self.human_found += row.human and predicted.human
        self.escalated += predicted.human
        self.false_escalations += predicted.human and not row.human
        line = self.confusion.setdefault(row.category, {})
        line[predicted.category] = line.get(predicted.category, 0) + 1
        if (predicted.category, predicted.human, predicted.urgency) != (row.category, row.human, row.urgency):
            self.misses.append((row, predicted))

    def figures(self) -> dict[str, float | int]:
        """The ``--json`` object of the operating contract."""
        not_human = self.n - self.human_total
        return {
            "n": self.n,
            "category_accuracy": _ratio(self.category_hits, self.n),
            "urgency_accuracy": _ratio(self.urgency_hits, self.n),
            "human_recall": _ratio(self.human_found, self.human_total),
            "human_precision": _ratio(self.human_found, self.escalated),
            "false_escalation_rate": _ratio(self.false_escalations, not_human),
        }

    def render(self) -> str:
        """The human-readable report: figures, the confusion matrix, and each miss."""
        figures = self.figures()
        lines = [f"{name:<22} {value}" for name, value in figures.items()]
        labels = [
            c for c in CATEGORIES if c in self.confusion or any(c in row for row in self.confusion.values())
        ]
        short = {c: c[:10] for c in labels}
        lines += ["", "confusion matrix (rows: expected, columns: predicted)"]
        lines.append(" " * 16 + "".join(f"{short[c]:>11}" for c in labels))
        for expected in labels:
            counts = self.confusion.get(expected, {})
            lines.append(f"{expected[:15]:<16}" + "".join(f"{counts.get(c, 0):>11}" for c in labels))
        if self.misses:
            lines += ["", "misses"]
            for row, predicted in self.misses:
                human = f" human {row.human}->{predicted.human}" if row.human != predicted.human else ""
                urgency = ""
                if row.urgency != predicted.urgency:
                    urgency = f" urgency {row.urgency}->{predicted.urgency}"
                lines.append(
                    f"  {row.id or '-'}: {row.category}->{predicted.category}{human}{urgency} "
                    f"({predicted.reason or '-'}) {' '.join(row.text.split())[:70]}"
                )
        return "\n".join(lines)


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def read_rows(lines: Iterable[str], texts: Mapping[str, str] | None = None) -> list[LabelledMessage]:
    """Parse a JSONL evaluation file; a bad line is an error naming its number.

    A row without ``text`` takes it from ``texts`` by its ``id`` (the complaint corpus,
    kept outside the repository).
    """
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = data["text"] if "text" in data or texts is None else texts[str(data["id"])]
            row = LabelledMessage(
                text=str(text),
                plan=data.get("plan"),
                category=str(data["category"]),
                urgency=str(data["urgency"]),
                human=bool(data["human"]),
                reason=data.get("reason"),
                id=str(data.get("id", number)),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"line {number}: expected {{text, plan, category, urgency, human, reason}} ({error})"
            ) from error
        _check_labels(number, row)
        rows.append(row)
    return rows


def _check_labels(number: int, row: LabelledMessage) -> None:
    """A label outside the triage's values could never match: an urgency of "alta" would make
    urgency accuracy 0 without saying why. Name the line and the values it may take."""
    for name, value, allowed in (
        ("category", row.category, CATEGORIES),
        ("urgency", row.urgency, URGENCIES),
        ("reason", row.reason, (None, *REASONS)),
    ):
        if value not in allowed:
            values = ", ".join(str(v) for v in allowed if v is not None)
            raise ValueError(f"line {number}: {name} {value!r} is not one of {values}")


async def evaluate(
    rows: Iterable[LabelledMessage], predict: Callable[[LabelledMessage], Awaitable[Prediction]]
) -> Report:
    """Run the triage over every row and count."""
    report = Report()
    for row in rows:
        report.add(row, await predict(row))
    return report
