"""``atende ai train``: the offline triage learns this desk's customers, on this machine.

Rows come from labelled files (``--labels``, files or folders of JSONL; rows labelled by id
take their text from ``--corpus``) and from the desk's own resolved tickets (their final
category, and whether a person had to take over). Training starts from the shipped model
and stays close to it, so a few dozen tickets adjust it rather than replace it. The result
is written next to the database (``triage-model.npz``), where the desk loads it at start.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from bot.settings import StorageSettings
from core.ai.model import ResolvedTicket
from core.ai.offline import packaged_model
from core.ai.training_rows import history_examples, label_files, labelled_examples
from core.ai.triage_cv import train_calibrated
from core.ai.triage_data import read_corpus
from core.ai.triage_model import Example, TrainingSettings, desk_model_path, train
from storage.sqlite.database import Database
from storage.sqlite.unit_of_work import SqliteStore

HISTORY_LIMIT = 20000
FINE_TUNING = TrainingSettings(epochs=40, learning_rate=0.05, l2=1e-4)


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``atende ai train`` and its options."""
    ai = commands.add_parser("ai", help="the AI core's offline model").add_subparsers(dest="ai_command")
    train_cmd = ai.add_parser(
        "train", help="retrain the offline triage from labelled rows and the desk's history"
    )
    train_cmd.add_argument("--labels", nargs="*", default=[], help="JSONL files or folders of labelled rows")
    train_cmd.add_argument("--corpus", help="complaints CSV (id,title,text) for rows labelled by id")
    train_cmd.add_argument("--no-history", action="store_true", help="leave the desk's resolved tickets out")
    train_cmd.add_argument(
        "--from-scratch", action="store_true", help="do not start from the shipped model (how it is made)"
    )
    train_cmd.add_argument("--out", help="where to write the model (default: next to the database)")


def run(args: argparse.Namespace) -> int:
    """Train and save; 2 on bad input, 1 when there is nothing to learn from."""
    settings = StorageSettings()
    try:
        texts = read_corpus(args.corpus) if args.corpus else None
        examples = labelled_examples(label_files(args.labels), texts)
    except OSError as error:
        print(f"atende: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"atende: {error}", file=sys.stderr)
        return 2
    history: list[Example] = []
    if not args.no_history and Path(settings.database_path).exists():
        history = history_examples(asyncio.run(_resolved(settings.database_path)))
    rows = examples + history
    if not rows:
        print("atende: nothing to learn from (no labelled rows, no resolved tickets)", file=sys.stderr)
        return 1
    start = None if args.from_scratch else packaged_model()
    began = time.perf_counter()
    # made from scratch (how the shipped model is made), the human threshold is chosen by cross-validation
    model = train_calibrated(rows) if start is None else train(rows, FINE_TUNING, start)
    model.meta.update(labelled=len(examples), history=len(history))
    out = Path(args.out) if args.out else desk_model_path(settings.database_path)
    model.save(out)
    print(
        f"modelo de triagem treinado com {len(examples)} linhas rotuladas e {len(history)} tickets"
        f" resolvidos em {time.perf_counter() - began:.1f} s: {out}"
        f" (atendimento humano a partir de {model.human_threshold:.2f}"
        f"{', limiar escolhido por validação cruzada' if start is None else ''})"
    )
    return 0


async def _resolved(database_path: str) -> list[ResolvedTicket]:
    db = Database(database_path)
    await db.open()
    try:
        async with SqliteStore(db).snapshot() as tx:
            return await tx.resolved_tickets(HISTORY_LIMIT)
    finally:
        await db.close()
