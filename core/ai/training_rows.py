"""Where ``atende ai train`` gets its rows: labelled files, and the desk's own resolved tickets.

Both become :class:`core.ai.triage_model.Example`. A labelled file knows everything; a
resolved ticket knows its final category and whether a person had to take over (and why,
when the AI handed it over itself), so the unknown heads are left out of its loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from core.ai.evaluation import read_rows
from core.ai.model import ResolvedTicket
from core.ai.triage_model import Example

HELD_OUT_MARK = "untouched"
# A folder's files that are not training rows: measuring sets, and the second labelling of
# rows already there (``second_pass.jsonl``, read by bench.label_agreement), which would
# count those rows twice and, for WhatsApp-style ids, has no text to train on.
NOT_TRAINED_ON = (HELD_OUT_MARK, "second_pass")


def label_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.jsonl`` files to train on: files as given, folders expanded (held-out files skipped).

    A file whose name says ``untouched`` is a measuring set: training on it would make its
    figures meaningless, so a folder never contributes it; nor a second labelling of its rows.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.glob("*.jsonl") if not any(mark in p.name for mark in NOT_TRAINED_ON)
            )
        else:
            found.append(path)
    return found


def labelled_examples(files: Iterable[Path], texts: Mapping[str, str] | None = None) -> list[Example]:
    """Every row of the files (rows labelled by id take their text from ``texts``)."""
    examples = []
    for file in files:
        with open(file, encoding="utf-8") as lines:
            for row in read_rows(lines, texts):
                examples.append(Example(row.text, row.category, row.urgency, row.human, row.reason))
    return examples


def history_examples(tickets: Iterable[ResolvedTicket], weight: float = 1.0) -> list[Example]:
    """The desk's resolved tickets as examples (urgency unknown; the reason only when recorded)."""
    return [
        Example(t.text, t.category, None, t.human, t.reason if t.human else None, weight)
        for t in tickets
        if t.text.strip()
    ]
