"""``atende customers import FILE.csv|json``: load what the platform knows about customers.

Needs only the database. Refused lines are printed with their reason and the valid ones
are stored; a file of many records shows a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.clock import SystemClock
from bot.settings import StorageSettings, describe_error
from core.common.business_hours import BusinessHours
from core.customers.files import FormatError, Rows, read_csv, read_json
from core.customers.importer import CustomerImport
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore

PROGRESS_FROM = 2_000
"""Files with at least this many records show a progress bar."""
FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".ndjson": "json"}


def add_commands(commands: Any) -> None:
    """Add the ``customers`` command group to the ``atende`` parser."""
    customers = commands.add_parser("customers", help="customer records from the platform").add_subparsers(
        dest="customers_command", required=True
    )
    importing = customers.add_parser(
        "import",
        help="import customers from CSV or JSON (name, phone, plan, signup_date, setup_done,"
        " usage_count, renewal_date, last_active); upsert by phone",
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("--format", choices=("csv", "json"), help="default: from the file's extension")


def run(args: argparse.Namespace) -> int:
    """Run a ``customers`` command; returns the exit status (1 when some lines were refused)."""
    try:
        settings = StorageSettings()
    except ValidationError as error:
        print(f"atende: {describe_error(error)}", file=sys.stderr)
        return 2
    try:
        rows = read_file(args.file, args.format)
    except (OSError, UnicodeDecodeError, FormatError) as error:
        print(f"atende: {args.file}: {_why(error)}", file=sys.stderr)
        return 2
    return asyncio.run(_import(settings.database_path, rows))


def read_file(path: Path, kind: str | None) -> Rows:
    """The file's rows; the format comes from ``kind`` or the extension."""
    kind = kind or FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FormatError("extensão desconhecida: use .csv ou .json (ou --format)")
    text = path.read_text(encoding="utf-8-sig")
    return read_csv(io.StringIO(text, newline="")) if kind == "csv" else read_json(text)


async def _import(database_path: str, rows: Rows) -> int:
    from tqdm import tqdm  # only this command needs it: `atende run` starts without it

    db = Database(database_path)
    await db.open()
    try:
        importer = CustomerImport(SqliteStore(db), SystemClock(), BusinessHours().zone)
        with tqdm(
            total=len(rows.rows),
            unit=" clientes",
            file=sys.stderr,
            disable=len(rows.rows) < PROGRESS_FROM,
        ) as bar:
            report = await importer.run(rows, bar.update)
    finally:
        await db.close()
    for line in report.lines():
        print(line)
    return 1 if report.errors else 0


def _why(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "o arquivo não está em UTF-8 (salve como CSV UTF-8)"
    if isinstance(error, FileNotFoundError):
        return "arquivo não encontrado (confira o nome e a pasta)"
    if isinstance(error, IsADirectoryError):
        return "é uma pasta, não um arquivo"
    if isinstance(error, PermissionError):
        return "sem permissão para ler o arquivo"
    if isinstance(error, OSError):
        return f"não foi possível ler o arquivo ({error.strerror or error})"
    return str(error)
