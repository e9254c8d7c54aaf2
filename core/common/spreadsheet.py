"""CSV files for spreadsheets, with text that would run as a formula neutralised.

Spreadsheets (Excel, LibreOffice, Google Sheets) evaluate a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula, and some strip a leading tab or carriage return first. A customer
who writes ``=HYPERLINK("https://…")`` as a feature request, or a plan named ``=cmd|…`` in the
platform's records, would otherwise run in the supervisor's spreadsheet (CSV/formula injection).
As OWASP advises, such a text cell starts with a single quote, which shows the text as typed.
Numbers are written as they are: they come from the desk, and a negative number stays a number.
Every CSV the desk writes goes through :func:`csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["csv_text", "safe_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet should read it: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document: the header, then one line per row, every text cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()
