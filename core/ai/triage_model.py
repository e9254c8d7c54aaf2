"""The offline triage's statistical part: a small linear model over words, character n-grams and signals.

Keyword rules alone miss how customers really write (a surprise charge told as a story, anger
in capitals or irony, a store that "ficou parada"); a linear model over hashed features learns
that from labelled rows and stays tiny, fast and explainable. Three softmax heads share the
features: category, escalation reason (``none`` or one of the playbook's six) and urgency.

Features are hashed into :data:`DIM` slots with CRC-32 (stable across processes, unlike
``hash``): words and word pairs of the normalised text, character 3..5-grams of each word
(so typos, missing accents and new inflections still land near the known forms), the
lexicon's families (charge, dispute, security...) and the message's style (capitals, "!!",
mocking emojis, length, the lexicon's sentiment). The model is a compressed ``.npz`` file:
weights stored as float16, loaded in milliseconds, no download, no dependency beyond numpy.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.ai import lexicon as lx
from core.ai.normalize import language, normalize
from core.ai.schema import CATEGORIES, REASONS, URGENCIES

DIM = 1 << 14
NO_REASON = "none"
HEADS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "reason": (NO_REASON, *REASONS),
    "urgency": URGENCIES,
}
MAX_CHARS = 1200
"""Only the start of a long message is read: it carries the problem, and reading stays fast."""
HUMAN_THRESHOLD = 0.4
"""P(a person is needed) from which the model escalates (4-fold cross-validation on the tuned rows)."""
MODEL_FILE = "triage-model.npz"
PACKAGED = Path(__file__).with_name(MODEL_FILE)

_CAPS_WORD = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_MOCKING = frozenset("👏🙄😂🤣🤡🙃😒")
_ANGRY = frozenset("😡🤬😤💢")
_SAD = frozenset("😭😢😞😔")
_HAPPY = frozenset("😊😍🥰🙏❤👍😀😃😄")

# the lexicon's families, as signals the model weighs (the rules decide only the playbook's hard cases)
_FAMILIES: dict[str, re.Pattern[str]] = {
    "cobranca": lx.CHARGE,
    "contestacao": lx.DISPUTE,
    "reembolso": lx.REFUND,
    "seguranca": lx.SECURITY,
    "golpe": lx.SCAM,
    "dados de outros": lx.EXPOSURE,
    "perda": lx.LOSS,
    "dados": lx.DATA_OBJECT,
    "juridico": lx.LEGAL,
    "ameaca juridica": lx.LEGAL_THREAT,
    "lgpd": lx.ERASURE,
    "negocio parado": lx.BUSINESS_STOPPED,
    "conta nova": lx.NEW_ACCOUNT,
    "repasses": lx.PAYOUTS,
    "fora do ar": lx.OUTAGE,
    "erro": lx.ERROR_REPORT,
    "problema": lx.PROBLEM,
    "impacto": lx.IMPACT,
    "integracao": lx.COMPLEX_INTEGRATION,
    "comportamento da ia": lx.AI_BEHAVIOUR,
    "desempenho": lx.PERFORMANCE,
}


def desk_model_path(database_path: str | Path) -> Path:
    """Where a desk keeps its own model (written by ``atende ai train``): next to its database."""
    return Path(database_path).resolve().parent / MODEL_FILE


@dataclass(frozen=True, slots=True)
class Features:
    """A message as the model reads it: hashed slots, their values, and a readable name per slot."""

    slots: np.ndarray
    values: np.ndarray
    names: dict[int, str]


def _slot(name: str) -> int:
    return zlib.crc32(name.encode()) & (DIM - 1)


def featurize(text: str, sentiment: float | None = None) -> Features:
    """The features of one message (a few milliseconds even for a long complaint)."""
    text = text[:MAX_CHARS]
    words = normalize(text).split()
    counts: dict[int, float] = {}
    names: dict[int, str] = {}

    def add(name: str, value: float = 1.0, source: str = "") -> None:
        slot = _slot(name)
        counts[slot] = counts.get(slot, 0.0) + value
        names.setdefault(slot, f"w:{source}" if source else name)  # a word's n-grams speak for the word

    for word in words:
        add("w:" + word)
    for first, second in zip(words, words[1:], strict=False):
        add(f"b:{first} {second}")
    for word in set(words):
        if len(word) > 3:
            padded = f"<{word}>"
            for n in (3, 4, 5):
                for start in range(len(padded) - n + 1):
                    add("c:" + padded[start : start + n], source=word)
    norm = float(np.sqrt(sum(v * v for v in counts.values()))) or 1.0
    values = {slot: value / norm for slot, value in counts.items()}

    def flag(name: str, value: float = 1.0) -> None:
        slot = _slot(name)
        values[slot] = values.get(slot, 0.0) + value
        names.setdefault(slot, name)

    scan = f" {' '.join(words)} "
    for name, pattern in _FAMILIES.items():
        if pattern.search(scan):
            flag("lx:" + name)
    for name in _style(text, len(words), sentiment):
        flag("style:" + name)
    flag("bias")
    slots = np.fromiter(values.keys(), dtype=np.int32, count=len(values))
    return Features(slots, np.fromiter(values.values(), dtype=np.float32, count=len(values)), names)


def _style(text: str, n_words: int, sentiment: float | None) -> list[str]:
    """How the message is written: shouting, "!!", mocking or angry emojis, length, the lexicon's mood."""
    found = []
    letters = len(_LETTER.findall(text))
    upper = sum(1 for c in text if c.isupper())
    if letters >= 12 and upper / letters > 0.6:
        found.append("caixa alta")
    elif len(_CAPS_WORD.findall(text)) >= 2:
        found.append("palavras em caixa alta")
    if "!!" in text:
        found.append("!!")
    if "??" in text:
        found.append("??")
    chars = set(text)
    for name, group in (("emoji de deboche", _MOCKING), ("emoji bravo", _ANGRY), ("emoji triste", _SAD)):
        if chars & group:
            found.append(name)
    if chars & _HAPPY:
        found.append("emoji feliz")
    found.append("curta" if n_words < 12 else ("longa" if n_words > 80 else "media"))
    if language(text) == "en":
        found.append("ingles")
    if sentiment is not None:
        found.append(
            "tom negativo" if sentiment < 0.3 else ("tom tenso" if sentiment < 0.45 else "tom neutro")
        )
    return found


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's probabilities per head, and what in the message pushed each decision."""

    probabilities: dict[str, np.ndarray]
    features: Features
    model: TriageModel

    def best(self, head: str) -> str:
        """The most likely label of ``head``."""
        return HEADS[head][int(np.argmax(self.probabilities[head]))]

    def p(self, head: str, label: str) -> float:
        """The probability of ``label`` on ``head``."""
        return float(self.probabilities[head][HEADS[head].index(label)])

    def evidence(self, head: str, label: str, limit: int = 3) -> list[str]:
        """The features that pushed ``label`` most, as the agents read them («palavra», CAIXA ALTA...)."""
        weights = self.model.weights[head][self.features.slots].astype(np.float32)
        k = HEADS[head].index(label)
        push = self.features.values * (weights[:, k] - weights.mean(axis=1))
        totals: dict[str, float] = {}
        for slot, amount in zip(self.features.slots, push, strict=True):
            name = _readable(self.features.names[int(slot)])
            if name:
                totals[name] = totals.get(name, 0.0) + float(amount)
        ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
        return [name for name, amount in ranked[:limit] if amount > 0]


def _readable(name: str) -> str:
    kind, _, value = name.partition(":")
    if kind in ("w", "b"):
        return f"«{value}»"
    if kind in ("lx", "style"):
        return value
    return ""


@dataclass(slots=True)
class TriageModel:
    """Weights per head (``DIM`` x labels) and biases, plus what the model was trained on."""

    weights: dict[str, np.ndarray]
    biases: dict[str, np.ndarray]
    human_threshold: float = HUMAN_THRESHOLD
    meta: dict[str, object] = field(default_factory=dict)

    def predict(self, features: Features) -> Prediction:
        """Softmax per head over the message's features."""
        probabilities = {}
        for head in HEADS:
            rows = self.weights[head][features.slots].astype(np.float32)
            logits = features.values @ rows + self.biases[head]
            probabilities[head] = _softmax(logits)
        return Prediction(probabilities, features, self)

    def p_human(self, prediction: Prediction) -> float:
        """The probability that a person must take over (any of the six reasons)."""
        return 1.0 - prediction.p("reason", NO_REASON)

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` (float16 weights), atomically."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for head in HEADS:
            arrays[f"w_{head}"] = self.weights[head].astype(np.float16)
            arrays[f"b_{head}"] = self.biases[head].astype(np.float32)
        meta = {**self.meta, "human_threshold": self.human_threshold, "dim": DIM, "heads": HEADS}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        partial = target.with_suffix(".partial")
        partial.write_bytes(buffer.getvalue())
        partial.replace(target)

    @classmethod
    def load(cls, path: str | Path) -> TriageModel:
        """Read a model saved by :meth:`save`; an incompatible file is a ``ValueError``."""
        with np.load(path) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            if meta.get("dim") != DIM or {h: tuple(v) for h, v in meta.get("heads", {}).items()} != HEADS:
                raise ValueError(f"{path}: made for other labels or features; run `atende ai train` again")
            weights = {head: data[f"w_{head}"] for head in HEADS}
            biases = {head: data[f"b_{head}"].astype(np.float32) for head in HEADS}
        return cls(weights, biases, float(meta.get("human_threshold", HUMAN_THRESHOLD)), meta)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- training


@dataclass(frozen=True, slots=True)
class Example:
    """One training row: the text and what is known about it.

    ``None`` means unknown for that head (the desk's history knows the final category and
    whether a person took over, not always why), and ``human`` without a ``reason`` teaches
    "a person was needed" without naming one.
    """

    text: str
    category: str | None
    urgency: str | None
    human: bool | None
    reason: str | None
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """How hard and how long to train; the defaults are what the shipped model was trained with."""

    epochs: int = 60
    learning_rate: float = 0.05
    l2: float = 1e-5
    batch: int = 64
    seed: int = 20


def train(
    examples: Sequence[Example],
    settings: TrainingSettings = TrainingSettings(),
    start: TriageModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> TriageModel:
    """Fit the three heads by mini-batch Adam on softmax cross-entropy, touching only the rows in use.

    With ``start`` the weights begin there and the L2 penalty pulls towards them instead of
    towards zero: a desk's own rows adjust the shipped model rather than replace what it
    learnt from hundreds of real complaints. Sparse updates (only the feature slots a batch
    uses) keep a few thousand rows within seconds on a small machine.
    """
    rng = np.random.default_rng(settings.seed)
    featurized = [featurize(e.text, _mood(e.text[:MAX_CHARS])) for e in examples]
    targets = {head: _targets(examples, head) for head in HEADS}
    anchor = {h: start.weights[h].astype(np.float32) for h in HEADS} if start else None
    weights = {
        h: (anchor[h].copy() if anchor else np.zeros((DIM, len(labels)), np.float32))
        for h, labels in HEADS.items()
    }
    biases = {
        h: (start.biases[h].copy() if start else np.zeros(len(labels), np.float32))
        for h, labels in HEADS.items()
    }
    state = {h: _Adam(weights[h].shape) for h in HEADS}
    bias_state = {h: _Adam(biases[h].shape) for h in HEADS}
    order = np.arange(len(examples))
    for epoch in range(settings.epochs):
        rng.shuffle(order)
        for first in range(0, len(order), settings.batch):
            batch = order[first : first + settings.batch]
            slots = np.concatenate([featurized[i].slots for i in batch])
            values = np.concatenate([featurized[i].values for i in batch])
            lengths = np.array([len(featurized[i].slots) for i in batch])
            rows = np.repeat(np.arange(len(batch)), lengths)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            used, where = np.unique(slots, return_inverse=True)
            for head in HEADS:
                target, mask = targets[head]
                t, m = target[batch], mask[batch]
                if not m.any():
                    continue
                w = weights[head]
                logits = np.add.reduceat(values[:, None] * w[slots], starts, axis=0) + biases[head]
                error = (_softmax(logits) - t) * m[:, None] / max(float(m.sum()), 1.0)
                spread = values[:, None] * error[rows]
                grad = np.stack(
                    [np.bincount(where, spread[:, k], len(used)) for k in range(w.shape[1])], axis=1
                ).astype(np.float32)
                grad += settings.l2 * (w[used] - (anchor[head][used] if anchor else 0.0))
                state[head].step(w, used, grad, settings.learning_rate)
                if anchor is None:  # fine-tuning keeps the priors: a desk's skewed history must not flip them
                    bias_state[head].step(biases[head], None, error.sum(axis=0), settings.learning_rate)
        if progress is not None:
            progress(epoch + 1)
    threshold = start.human_threshold if start else HUMAN_THRESHOLD
    return TriageModel(weights, biases, threshold, {"rows": len(examples)})


def _mood(text: str) -> float:
    from core.ai.offline import sentiment  # the lexicon's sentiment is one of the features

    return sentiment(text)


def _targets(examples: Sequence[Example], head: str) -> tuple[np.ndarray, np.ndarray]:
    """One-hot (or spread) targets for ``head`` and a per-row weight that is 0 where the label is unknown."""
    labels = HEADS[head]
    target = np.zeros((len(examples), len(labels)), np.float32)
    mask = np.zeros(len(examples), np.float32)
    counts: dict[str, int] = {}
    known: list[str | None] = []
    for e in examples:
        label = _label(e, head)
        known.append(label)
        if label is not None:
            counts[label] = counts.get(label, 0) + 1
    total = sum(counts.values()) or 1
    for row, (e, label) in enumerate(zip(examples, known, strict=True)):
        if label == "human":  # a person took over, reason unknown: spread over the six reasons
            target[row, 1:] = 1.0 / (len(labels) - 1)
            mask[row] = e.weight
        elif label is not None:
            target[row, labels.index(label)] = 1.0
            # rare labels weigh more (square root of the inverse frequency), so small classes are learnt
            mask[row] = e.weight * float(np.sqrt(total / (len(counts) * counts[label])))
    return target, mask


def _label(example: Example, head: str) -> str | None:
    if head == "category":
        return example.category
    if head == "urgency":
        return example.urgency
    if example.reason is not None:
        return example.reason
    if example.human is None:
        return None
    return "human" if example.human else NO_REASON


class _Adam:
    """Adam with lazy (per-row) updates: only the feature slots a batch uses move."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.first = np.zeros(shape, np.float32)
        self.second = np.zeros(shape, np.float32)
        self.steps = np.zeros(shape[0], np.float32) if len(shape) > 1 else np.zeros(1, np.float32)

    def step(self, param: np.ndarray, rows: np.ndarray | None, grad: np.ndarray, rate: float) -> None:
        index = rows if rows is not None else slice(None)
        self.steps[index if rows is not None else 0] += 1
        t = self.steps[index][:, None] if rows is not None else self.steps[0]
        first = self.first[index] * 0.9 + 0.1 * grad
        second = self.second[index] * 0.999 + 0.001 * grad * grad
        self.first[index], self.second[index] = first, second
        corrected = first / (1 - 0.9**t)
        scale = second / (1 - 0.999**t)
        param[index] -= rate * corrected / (np.sqrt(scale) + 1e-8)
