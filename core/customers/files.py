"""Customer records out of a CSV or JSON text, each with the line it starts on.

Errors are reported by line, so a refused record is found in the file at once. A CSV's
delimiter (comma, semicolon as Brazilian spreadsheets save it, or tab) is detected from the
header. A JSON file is a list of objects (``[{...}, {...}]``) or JSON Lines (one object per
line); a syntax error in a list ends the reading there, keeping what came before.

Hostile shapes are refused as a whole with a :class:`FormatError` (the API answers 400, the
command prints one line, nothing is stored): a CSV field longer than :data:`MAX_FIELD_BYTES`
(128 KiB), a CSV the reader cannot parse, a JSON list nested deeper than Python's recursion
limit. In JSON Lines each line stands alone, so a line nested too deeply is refused by itself.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass

from core.customers.records import field_name, unknown_fields

_REST_IGNORED = "o resto do arquivo foi ignorado"
_TOO_DEEP = "JSON aninhado demais (listas ou objetos uns dentro dos outros)"
MAX_FIELD_BYTES = 128 * 1024
"""A CSV field longer than this refuses the file (the csv module's own default limit)."""
_QUOTE_HINT = 'feche as aspas (") ou tire-as'


class FormatError(ValueError):
    """The text as a whole cannot be read (no header, not a list...); the message is pt-BR."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record as read, or why the text at ``line`` is not one."""

    line: int
    fields: object = None
    error: str | None = None


@dataclass(slots=True)
class Rows:
    """The records of a text in order, and the columns it has that no record field matches."""

    rows: list[Row]
    ignored_columns: list[str]


def read_csv(lines: Iterable[str]) -> Rows:
    """Rows of a CSV text whose first line names the columns (``phone`` or ``telefone`` at least).

    The csv module's field limit is process-wide (other code may raise it); it is set to
    :data:`MAX_FIELD_BYTES` while this text is read, and given back afterwards.
    """
    previous = csv.field_size_limit(MAX_FIELD_BYTES)
    try:
        return _read_csv(lines)
    finally:
        csv.field_size_limit(previous)


def _read_csv(lines: Iterable[str]) -> Rows:
    """Rows of a CSV text; no field of a record spans lines, so a record that does was opened
    by a quote never closed (``Ana,"Pro``): without care it would swallow the lines after it.
    That line is refused by itself and reading starts again on the next one.
    """
    text = list(lines)
    header = text[0] if text else ""
    if not header.strip():
        raise FormatError("o arquivo está vazio: a primeira linha deve ter os nomes das colunas")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    columns = next(csv.reader([header], dialect))
    names = [field_name(name) for name in columns]
    if "phone" not in names:
        raise FormatError(
            f"falta a coluna phone (ou telefone) na primeira linha (colunas: {', '.join(columns)})"
        )
    rows: list[Row] = []
    first = 1  # index in ``text`` of the line the reader starts on
    while first < len(text):
        first = _read_records(text, first, dialect, names, rows)
    return Rows(rows, unknown_fields(columns))


def _read_records(
    text: list[str], first: int, dialect: type[csv.Dialect] | csv.Dialect, names: list[str], rows: list[Row]
) -> int:
    """Read records from ``text[first:]`` into ``rows``; returns where to go on (``len(text)`` at the end)."""
    reader = csv.reader(text[first:], dialect)
    start = first + 1  # line numbers count from 1
    try:
        for values in reader:
            end = first + reader.line_num
            if any("\n" in value or "\r" in value for value in values):
                rows.append(Row(start, error=f"aspas abertas sem fechar; {_QUOTE_HINT}"))
                return start  # the next line, read again on its own
            if any(value.strip() for value in values):
                if len(values) > len(names):
                    rows.append(Row(start, error=f"{len(values)} colunas, mas o cabeçalho tem {len(names)}"))
                else:
                    rows.append(Row(start, dict(zip(names, values, strict=False))))
            start = end + 1
    except csv.Error as error:
        if "field limit" in str(error) and len(text[start - 1]) < MAX_FIELD_BYTES:
            # the oversize field is an open quote swallowing the next lines, not one huge line
            rows.append(Row(start, error=f"aspas abertas sem fechar; {_QUOTE_HINT}"))
            return start
        raise FormatError(f"linha {start}: {_csv_problem(error)}; nada foi importado") from error
    return len(text)


def _csv_problem(error: csv.Error) -> str:
    """The reader's complaint in words; an oversize field is the one a hostile file causes."""
    if "field limit" in str(error):
        return f"um campo passa de {MAX_FIELD_BYTES // 1024} KiB"
    return f"CSV ilegível ({error})"


def read_json(text: str) -> Rows:
    """Rows of a JSON list of objects, or of JSON Lines when the text does not start with ``[``."""
    start = _skip(text, 0)
    if not text.startswith("[", start):
        return _json_lines(text)
    rows: list[Row] = []
    decoder = json.JSONDecoder()
    line, counted = 1, 0
    pos = _skip(text, start + 1)
    while not text.startswith("]", pos):
        line, counted = line + text.count("\n", counted, pos), pos
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            rows.append(Row(error.lineno, error=f"JSON inválido ({error.msg}); {_REST_IGNORED}"))
            break
        except RecursionError as error:
            raise FormatError(f"linha {line}: {_TOO_DEEP}; nada foi importado") from error
        rows.append(Row(line, item))
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif not text.startswith("]", pos):
            at = line + text.count("\n", counted, pos)
            rows.append(Row(at, error=f"JSON inválido (esperava ',' ou ']'); {_REST_IGNORED}"))
            break
    return Rows(rows, _ignored_keys(rows))


def _json_lines(text: str) -> Rows:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(Row(number, json.loads(line)))
        except json.JSONDecodeError as error:
            rows.append(Row(number, error=f"JSON inválido ({error.msg})"))
        except RecursionError:
            rows.append(Row(number, error=_TOO_DEEP))
    if not rows:
        raise FormatError("o arquivo está vazio: esperava uma lista de clientes em JSON")
    return Rows(rows, _ignored_keys(rows))


def _ignored_keys(rows: list[Row]) -> list[str]:
    keys = {str(k) for row in rows if isinstance(row.fields, dict) for k in row.fields}
    return sorted(unknown_fields(list(keys)))


def _skip(text: str, pos: int) -> int:
    """The position of the next character that is not whitespace."""
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
