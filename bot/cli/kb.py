"""``atende kb import DIR``, ``atende kb search QUERY`` and ``atende eval kb FILE.jsonl``.

They need only the database (and a Gemini key for hybrid search), not Slack or WhatsApp.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.bootstrap.knowledge import import_folder, import_starter_if_empty, make_knowledge_base
from bot.settings import KnowledgeSettings, describe_error
from storage.sqlite.database import Database
from storage.sqlite.kb.index import SqliteKnowledgeBase

RECALL_AT = (1, 3)


def add_commands(commands: Any) -> Any:
    """Add the ``kb`` and ``eval`` command groups to the ``atende`` parser; returns ``eval``'s subcommands."""
    kb = commands.add_parser("kb", help="knowledge base: import articles, search").add_subparsers(
        dest="kb_command", required=True
    )
    importing = kb.add_parser(
        "import", help="import Markdown articles (front matter: slug, title, category, tags)"
    )
    importing.add_argument("folder", type=Path)
    search = kb.add_parser("search", help="search the articles, best first")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=3)
    search.add_argument("--json", action="store_true", help="print [{slug, title, score}]")
    evaluate = commands.add_parser("eval", help="measure quality on a labelled set").add_subparsers(
        dest="eval_command", required=True
    )
    kb_eval = evaluate.add_parser("kb", help="recall@1 and recall@3 on rows {question, slug}")
    kb_eval.add_argument("file", type=Path)
    kb_eval.add_argument("--json", action="store_true")
    return evaluate


def run(args: argparse.Namespace) -> int:
    """Run a ``kb`` or ``eval`` command; returns the exit status."""
    try:
        settings = KnowledgeSettings()
    except ValidationError as error:
        print(f"atende: {describe_error(error)}", file=sys.stderr)
        return 2
    if args.command == "kb" and args.kb_command == "import":
        return asyncio.run(_with_kb(settings, lambda kb: _import(kb, args.folder), starter=False))
    if args.command == "kb" and args.kb_command == "search":
        if args.limit < 1:
            print("atende: --limit must be at least 1", file=sys.stderr)
            return 2
        return asyncio.run(_with_kb(settings, lambda kb: _search(kb, args.query, args.limit, args.json)))
    if args.command == "eval" and args.eval_command == "kb":
        return asyncio.run(_with_kb(settings, lambda kb: _evaluate(kb, args.file, args.json)))
    return 2


async def _with_kb(settings: KnowledgeSettings, work: Any, *, starter: bool = True) -> int:
    """Run ``work(kb)`` on the configured database.

    Searching an empty base would only ever find nothing (and ``eval kb`` report a recall of
    0), so, as the bot does at start, an empty base first gets the starter articles.
    """
    db = Database(settings.database_path)
    await db.open()
    try:
        kb = make_knowledge_base(settings, db)
        if starter and (report := await import_starter_if_empty(kb, settings, datetime.now(UTC))):
            added = len(report.outcomes.get("added", []))
            print(f"atende: a base estava vazia; {added} artigos iniciais importados", file=sys.stderr)
        return int(await work(kb))
    finally:
        await db.close()


async def _import(kb: SqliteKnowledgeBase, folder: Path) -> int:
    try:
        report = await import_folder(kb, folder, datetime.now(UTC))
    except FileNotFoundError as error:
        print(f"atende: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 1 if report.errors else 0


async def _search(kb: SqliteKnowledgeBase, query: str, limit: int, as_json: bool) -> int:
    hits = await kb.search(query, limit)
    if as_json:
        print(
            json.dumps(
                [{"slug": h.slug, "title": h.title, "score": h.score} for h in hits], ensure_ascii=False
            )
        )
    elif not hits:
        print("no article found")
    else:
        for hit in hits:
            print(f"{hit.score:8.3f}  {hit.slug}  {hit.title}")
    return 0


async def _evaluate(kb: SqliteKnowledgeBase, file: Path, as_json: bool) -> int:
    rows = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append((str(row["question"]), str(row["slug"])))
        except (ValueError, KeyError, TypeError):
            print(f'atende: {file}:{number}: expected {{"question": ..., "slug": ...}}', file=sys.stderr)
            return 2
    found = {k: 0 for k in RECALL_AT}
    misses = []
    for question, slug in rows:
        slugs = [h.slug for h in await kb.search(question, max(RECALL_AT))]
        for k in RECALL_AT:
            found[k] += slug in slugs[:k]
        if slug not in slugs:
            misses.append({"question": question, "expected": slug, "got": slugs})
    n = len(rows)
    result = {"n": n, **{f"recall_at_{k}": round(found[k] / n, 3) if n else 0.0 for k in RECALL_AT}}
    if as_json:
        print(json.dumps({**result, "misses": misses}, ensure_ascii=False))
    else:
        print(f"n={n} recall@1={result['recall_at_1']} recall@3={result['recall_at_3']}")
        for miss in misses:
            print(f"miss: {miss['question']!r} -> expected {miss['expected']}, got {miss['got']}")
    return 0
