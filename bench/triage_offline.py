"""Offline triage speed: ``python -m bench.triage_offline [--corpus CSV]``.

Times loading the shipped model (``core/ai/triage-model.npz``) and classifying each
labelled WhatsApp-style message of ``eval/triage/`` (rules + model, as the desk runs it),
and, with ``--corpus``, the real complaints labelled there (long texts: only their start is
read). Prints the load time and p50/p95/p99 per message in ms. Targets (issue 20): load
< 1 s, classify < 5 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from core.ai.offline import triage
from core.ai.triage_data import read_corpus
from core.ai.triage_model import PACKAGED, TriageModel

LABELS = Path(__file__).resolve().parents[1] / "eval" / "triage"


def _texts(pattern: str, corpus: dict[str, str] | None) -> list[str]:
    texts = []
    for path in sorted(LABELS.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row.get("text") or (corpus or {}).get(str(row["id"]))
            if text:
                texts.append(text)
    return texts


def _percentiles(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100)
    return f"p50 {cuts[49]:.2f} ms  p95 {cuts[94]:.2f} ms  p99 {cuts[98]:.2f} ms  (n={len(timings)})"


def _time(model: TriageModel, texts: list[str], rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        for text in texts:
            began = time.perf_counter()
            triage(text, model)
            timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", help="complaints CSV (id,title,text) for the real-complaint rows")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    began = time.perf_counter()
    model = TriageModel.load(PACKAGED)
    print(f"load {(time.perf_counter() - began) * 1000:.1f} ms ({PACKAGED.stat().st_size / 1024:.0f} KiB)")
    triage("aquecimento", model)  # first call compiles nothing further; keep it out of the figures
    print("whatsapp-style  " + _percentiles(_time(model, _texts("whatsapp_*.jsonl", None), args.rounds)))
    if args.corpus:
        corpus = read_corpus(args.corpus)
        print("real complaints " + _percentiles(_time(model, _texts("realworld_*.jsonl", corpus), 1)))


if __name__ == "__main__":
    main()
