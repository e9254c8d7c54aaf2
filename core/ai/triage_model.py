"""The offline triage's statistical part: a small linear model over words, character n-grams and signals.

Keyword rules alone miss how customers really write (a surprise charge told as a story, anger
in capitals or irony, a store that "ficou parada"); a linear model over hashed features learns
that from labelled rows and stays tiny, fast and explainable. Three softmax heads share the
features: category, escalation reason (``none`` or one of the playbook's six) and urgency.

Features are hashed into :data:`DIM` slots with CRC-32 (stable across processes, unlike
``hash``): words and word pairs of the normalised text, the words of its first line (a
complaint's title, a chat message's opening) apart, words right after a negation ("nao
recebi", "sem resposta"), character 3..5-grams of each word at a smaller weight (so typos,
missing accents and new inflections still land near the known forms), the lexicon's families (charge, dispute,
security...) and how the message is written (share of capitals, "!!", money amounts, mocking
emojis, the customer's own client as the subject, length, the lexicon's sentiment). A word's
slots are worked out once and kept, so reading a message is a few dictionary look-ups and
numpy calls. The model is a compressed ``.npz`` file: weights stored as float16, loaded in
milliseconds, no download, no dependency beyond numpy.
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
from core.ai.sentiment import sentiment

DIM = 1 << 14
CHAR_WEIGHT = 0.3
"""What each character n-gram of a word counts, the word itself counting 1.

At full weight (before issue 20's third round) a long complaint's hundreds of word pieces
drowned the few words that say a person is needed; without n-grams, a typo or a desk's new
word ("o zorbax travou") is one slot among many. At 0.3, 5-fold cross-validation on the same
1,137 tuned rows ranks "needs a person" better: ROC AUC 0.869 -> 0.882 on complaints, 0.942 ->
0.953 on WhatsApp-style rows (``python -m bench.triage_cv``).
"""
NO_REASON = "none"
HEADS: dict[str, tuple[str, ...]] = {
    "category": CATEGORIES,
    "reason": (NO_REASON, *REASONS),
    "urgency": URGENCIES,
}
MAX_CHARS = 1200
"""Only the start of a long message is read: it carries the problem, and reading stays fast."""
HEAD_WORDS = 12
"""How many words of the first line count apart (a complaint's title says what it is about)."""
HUMAN_THRESHOLD = 0.4
"""P(a person is needed) from which the model escalates, until cross-validation chose one."""
MODEL_FILE = "triage-model.npz"
PACKAGED = Path(__file__).with_name(MODEL_FILE)
FORMAT = 4
"""Bumped when the features change: a model made for other features is refused, not misread."""

_CAPS_WORD = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")
_MONEY = re.compile(r"(?i)(r\$ ?\d|\d+,\d{2}\b|\b\d+ ?reais\b|\$ ?\d|\busd\b)")
_NEGATION = frozenset({"nao", "nunca", "sem", "nem", "nenhum", "nenhuma", "not", "no", "never", "without"})
_MOCKING = frozenset("👏🙄😂🤣🤡🙃😒")
_ANGRY = frozenset("😡🤬😤💢")
_SAD = frozenset("😭😢😞😔")
_HAPPY = frozenset("😊😍🥰🙏❤👍😀😃😄")
_THIRD_PARTY = re.compile(
    r"\b(minha|meu|minhas|meus|uma|um|o|a|os|as|nossa|nosso|nossos|nossas)"
    r" (cliente|clientes|compradora?|compradores)\b"
    r"(?! (ja|de|desde|ha|faz|fiel|antig)\b)|\bcliente (meu|minha|da minha loja|do meu negocio)\b"
    r"|\b(my|our) (customer|client|buyer)s?\b|\b(mi|mis) clientes?\b"
)
"""The customer's own client as the subject ("minha cliente está furiosa"): not the customer's mood."""


# the lexicon's families, as signals the model weighs (the rules decide only the playbook's hard cases)
_FAMILIES: dict[str, lx.Family | lx.Unless | re.Pattern[str]] = {
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
    "negocio parado": lx.STOPPED,  # as the rule reads it: "como desativo o acesso dele" is a how-to
    "conta nova": lx.NEW_ACCOUNT,
    "repasses": lx.PAYOUTS,
    "fora do ar": lx.OUTAGE,
    "erro": lx.ERROR_REPORT,
    "problema": lx.PROBLEM,
    "impacto": lx.IMPACT,
    "integracao": lx.COMPLEX_INTEGRATION,
    "comportamento da ia": lx.AI_BEHAVIOUR,
    "desempenho": lx.PERFORMANCE,
    "como configurar": lx.HOW_TO_SET_UP,
    "reembolso resolvido": lx.SETTLED_REFUND,
    "cliente do cliente": _THIRD_PARTY,
}


def desk_model_path(database_path: str | Path) -> Path:
    """Where a desk keeps its own model (written by ``atende ai train``): next to its database."""
    return Path(database_path).resolve().parent / MODEL_FILE


def _slot(name: str) -> int:
    return zlib.crc32(name.encode()) & (DIM - 1)


_WORDS: dict[str, np.ndarray] = {}
_WORDS_KEPT = 200_000
"""Words whose slots are kept (a few MB): customers' vocabulary repeats, so nearly every word is a hit."""


def _word_slots(word: str) -> np.ndarray:
    """The word's own slot followed by its character n-grams' slots (worked out once per word)."""
    slots = _WORDS.get(word)
    if slots is None:
        names = ["w:" + word]
        if len(word) > 3:
            padded = f"<{word}>"
            names += ["c:" + padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
        slots = np.fromiter((_slot(name) for name in names), dtype=np.int32, count=len(names))
        if len(_WORDS) < _WORDS_KEPT:
            _WORDS[word] = slots
    return slots


@dataclass(frozen=True, slots=True)
class Features:
    """A message as the model reads it.

    ``slots``/``values`` are the sparse row the heads multiply. Each occurrence (a word with its
    n-grams, a word pair, a signal) is also kept with its readable name, so an explanation adds
    up what each word or signal pushed, not what each hashed slot did.
    """

    slots: np.ndarray
    values: np.ndarray
    occurrence_slots: np.ndarray
    occurrence_values: np.ndarray
    occurrence_names: np.ndarray
    names: tuple[str, ...]


def featurize(
    text: str, sentiment: float | None = None, normalized: str | None = None, lang: str | None = None
) -> Features:
    """The features of one message (about a millisecond for a long complaint's start).

    ``normalized`` and ``lang`` are :func:`normalize` and :func:`language` of the same text,
    when the caller has them already.
    """
    text = text[:MAX_CHARS]
    normalized = normalized if normalized is not None else normalize(text)
    words = normalized.split()
    first_line = normalize(text.split("\n", 1)[0]).split()[:HEAD_WORDS]
    distinct = list(dict.fromkeys(words))
    names = [f"«{word}»" for word in distinct]
    pieces = [_word_slots(word) for word in distinct]
    text_slots = [_slot(f"b:{a} {b}") for a, b in zip(words, words[1:], strict=False)]
    text_slots += [_slot("h:" + word) for word in first_line]
    text_slots += [
        _slot("n:" + later)
        for i, word in enumerate(words)
        if word in _NEGATION
        for later in words[i + 1 : i + 3]
    ]
    pieces.append(np.array(text_slots, dtype=np.int32))
    names.append("")  # word pairs, title words, negated words: counted, not named one by one
    counted = np.concatenate(pieces)
    lengths = [len(piece) for piece in pieces]
    # each word counts 1, its character n-grams CHAR_WEIGHT each; pairs, title and negated words 1
    scale = np.full(len(counted), CHAR_WEIGHT, np.float32)
    scale[np.cumsum([0, *lengths[:-2]])[: len(distinct)]] = 1.0
    scale[len(counted) - lengths[-1] :] = 1.0
    kept, where = np.unique(counted, return_inverse=True)
    norm = float(np.sqrt(np.sum(np.bincount(where, scale, len(kept)) ** 2))) or 1.0

    caps = _caps_share(text)
    signals = [name for name, pattern in _FAMILIES.items() if pattern.search(normalized)]
    signals += _style(text, len(words), caps, sentiment, lang if lang is not None else language(text))
    signal_slots = [_slot("s:" + name) for name in signals]
    signal_slots += [_slot("s:bias"), _slot("s:parte em maiusculas")]
    names += [*signals, "", "caixa alta"]
    lengths += [1] * len(signal_slots)
    occurrence_slots = np.concatenate((counted, np.array(signal_slots, dtype=np.int32)))
    occurrence_values = np.ones(len(occurrence_slots), np.float32)
    occurrence_values[: len(counted)] = scale / norm
    occurrence_values[-1] = caps
    slots, where = np.unique(occurrence_slots, return_inverse=True)
    values = np.bincount(where, occurrence_values, len(slots)).astype(np.float32)
    owners = np.repeat(np.arange(len(names), dtype=np.int32), lengths)
    return Features(slots.astype(np.int32), values, occurrence_slots, occurrence_values, owners, tuple(names))


def _caps_share(text: str) -> float:
    """The share of capital letters (0..1) when the message has enough letters to tell shouting."""
    letters = sum(map(str.isalpha, text))
    if letters < 12:
        return 0.0
    return sum(map(str.isupper, text)) / letters


def _style(text: str, n_words: int, caps: float, sentiment: float | None, lang: str) -> list[str]:
    """How the message is written: shouting, "!!", money, mocking or angry emojis, length, the mood."""
    found = []
    if caps > 0.6:
        found.append("caixa alta")
    elif len(_CAPS_WORD.findall(text)) >= 2:
        found.append("palavras em caixa alta")
    if "!!" in text:
        found.append("!!")
    if text.count("!") >= 4:
        found.append("muitas exclamacoes")
    if "??" in text:
        found.append("??")
    if _MONEY.search(text):
        found.append("valor em dinheiro")
    chars = set(text)
    for name, emojis in (
        ("emoji de deboche", _MOCKING),
        ("emoji bravo", _ANGRY),
        ("emoji triste", _SAD),
        ("emoji feliz", _HAPPY),
    ):
        if chars & emojis:
            found.append(name)
    found.append("curta" if n_words < 12 else ("longa" if n_words > 80 else "media"))
    if lang == "en":
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

    def evidence(self, head: str, label: str, limit: int = 3, against: str | None = None) -> list[str]:
        """The words and signals that pushed ``label`` most, as agents read them («palavra», caixa alta).

        ``against`` names the label the push is measured against (the reason head's ``none``:
        what made a person needed at all); without it, against the average of the labels.
        """
        f = self.features
        weights = self.model.weights[head][f.occurrence_slots].astype(np.float32)
        k = HEADS[head].index(label)
        base = weights[:, HEADS[head].index(against)] if against is not None else weights.mean(axis=1)
        push = f.occurrence_values * (weights[:, k] - base)
        totals = np.bincount(f.occurrence_names, push, len(f.names))
        ranked = np.argsort(-totals)
        found = [f.names[i] for i in ranked if totals[i] > 0 and f.names[i]]
        return found[:limit]


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
        meta = {
            **self.meta,
            "human_threshold": self.human_threshold,
            "dim": DIM,
            "format": FORMAT,
            "heads": HEADS,
        }
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
            heads = {h: tuple(v) for h, v in meta.get("heads", {}).items()}
            if meta.get("dim") != DIM or meta.get("format") != FORMAT or heads != HEADS:
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

    epochs: int = 20
    learning_rate: float = 0.03
    l2: float = 1e-4
    batch: int = 64
    seed: int = 20


def read_all(examples: Sequence[Example]) -> list[Features]:
    """Every example's features, as the triage reads them (worked out once, reused by each fold)."""
    return [featurize(e.text, _mood(e.text[:MAX_CHARS])) for e in examples]


def train(
    examples: Sequence[Example],
    settings: TrainingSettings = TrainingSettings(),
    start: TriageModel | None = None,
    progress: Callable[[int], None] | None = None,
    features: Sequence[Features] | None = None,
) -> TriageModel:
    """Fit the three heads by mini-batch Adam on softmax cross-entropy, touching only the slots in use.

    ``features`` are the examples already read (:func:`read_all`; cross-validation reads once
    for every fold). Sparse updates (only the feature slots a batch uses) keep a thousand rows
    within seconds on a small machine. With ``start`` the weights begin there and the L2
    penalty pulls towards them instead of towards zero: a desk's own rows adjust the shipped
    model rather than replace what it learnt from hundreds of real complaints.
    """
    rng = np.random.default_rng(settings.seed)
    rows = list(features) if features is not None else read_all(examples)
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
            slots = np.concatenate([rows[i].slots for i in batch])
            values = np.concatenate([rows[i].values for i in batch])
            lengths = np.array([len(rows[i].slots) for i in batch])
            owner = np.repeat(np.arange(len(batch)), lengths)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            used, where = np.unique(slots, return_inverse=True)
            for head in HEADS:
                target, mask = targets[head]
                t, m = target[batch], mask[batch]
                if not m.any():
                    continue
                w = weights[head]
                logits = np.add.reduceat(values[:, None] * w[slots], starts, axis=0) + biases[head]
                error = (_softmax(logits) - t) * (m / max(float(m.sum()), 1.0))[:, None]
                spread = values[:, None] * error[owner]
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
    """The lexicon's sentiment is one of the features."""
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
