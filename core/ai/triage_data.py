"""Labelled rows for the offline triage: the fixed tuned/untouched split and the complaint corpus join.

The real complaints are published as a CSV (``id,title,text``) outside the repository; the
label files hold only ``id`` and the labels, and the text is joined at read time, so the
project never carries a copy of the corpus.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

_SPLIT_SALT = "atende-triage-split:"
UNTOUCHED_PERCENT = 30


def untouched(row_id: str | int) -> bool:
    """True for the rows kept out of training and tuning (about 30%, fixed by a hash of the id).

    The split depends on nothing but the id, so it was fixed before any result was seen and
    cannot drift as rows are added.
    """
    digest = hashlib.sha256(f"{_SPLIT_SALT}{row_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < UNTOUCHED_PERCENT


def read_corpus(path: str | Path) -> dict[str, str]:
    """``id -> "title\\ntext"`` from a complaints CSV (``id,title,text``), as the customer wrote it."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as file:
        return {
            row["id"]: f"{row.get('title') or ''}\n{row.get('text') or ''}".strip()
            for row in csv.DictReader(file)
            if row.get("id")
        }
