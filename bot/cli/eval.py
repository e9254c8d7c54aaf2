"""``atende eval triage FILE.jsonl [--json] [--corpus CSV]``: the triage the bot would make, on labelled rows.

Uses the same models as ``atende run`` (no key configured = the offline provider). Rows
labelled by ``id`` only take their text from ``--corpus`` (the complaints CSV).
"""

from __future__ import annotations

import asyncio
import json
import sys

from pydantic import ValidationError

from bot.bootstrap.ai import build_chain, policy
from bot.settings import AISettings, describe_error
from core.ai.chain import ChainExhausted
from core.ai.evaluation import LabelledMessage, Prediction, Report, evaluate, read_rows
from core.ai.model import UNCLASSIFIED
from core.ai.pipeline import Assistant, CustomerContext
from core.ai.schema import CallLog
from core.ai.triage_data import read_corpus


def eval_triage(path: str, *, as_json: bool, corpus: str | None = None) -> int:
    """Print the figures (and, for people, the confusion matrix and misses); 2 on bad input."""
    try:
        settings = AISettings()  # type: ignore[call-arg]
    except ValidationError as error:
        print(f"atende: {describe_error(error)}", file=sys.stderr)
        return 2
    try:
        texts = read_corpus(corpus) if corpus else None
        with open(path, encoding="utf-8") as file:
            rows = read_rows(file, texts)
    except OSError as error:
        print(f"atende: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"atende: {path}: {error}", file=sys.stderr)
        return 2
    report = asyncio.run(_run(settings, rows))
    print(json.dumps(report.figures()) if as_json else report.render())
    return 0


async def _run(settings: AISettings, rows: list[LabelledMessage]) -> Report:
    chain, closers = build_chain(settings)
    assistant = Assistant(chain, None, policy(settings))

    async def predict(row: LabelledMessage) -> Prediction:
        try:
            triage = await assistant.triage(row.text, CustomerContext(plan=row.plan), CallLog())
        except ChainExhausted:
            return Prediction(UNCLASSIFIED, "medium", True, "ai_unavailable")
        return Prediction(
            triage.classification.category,
            triage.classification.urgency,
            triage.decision.requires_human,
            triage.decision.immediate_reason,
        )

    try:
        return await evaluate(rows, predict)
    finally:
        for close in closers:
            await close()
