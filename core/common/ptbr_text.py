"""Brazilian Portuguese wording reduced to a comparable key: case, accents, stopwords and stems.

Two customers rarely ask for the same thing in the same words ("Exportar relatórios em PDF",
"exportar relatorio pdf"). The key keeps only what carries meaning: lower case, words
stemmed with the Snowball Portuguese stemmer (``snowballstemmer``), accents dropped,
stopwords left out, and the stems sorted so word order does not matter.
"""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer
from stop_words import get_stop_words

_STEMMER = snowballstemmer.stemmer("portuguese")
_WORD = re.compile(r"[^\W\d_]+|\d+")
# People often type without accents: "integracao", "versao". Restore the common endings so
# the stemmer cuts them the same way as the accented spelling.
_UNACCENTED_ENDINGS = (
    (re.compile(r"coes$"), "ções"),
    (re.compile(r"cao$"), "ção"),
    (re.compile(r"sao$"), "são"),
)


class _CombiningMarks(dict[int, int | None]):
    """``str.translate`` table dropping combining marks (category Mn), filled as characters are met.

    Each code point is classified once, then looked up in C: the fold runs on every word the
    offline triage and the knowledge search read.
    """

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_MARKS = _CombiningMarks()


def strip_accents(text: str) -> str:
    """``"Emissão"`` -> ``"Emissao"``: combining marks removed after Unicode decomposition."""
    decomposed = unicodedata.normalize("NFD", text)
    return decomposed if decomposed.isascii() else decomposed.translate(_MARKS)


# How customers write in chat -> the word itself: abbreviations, common misspellings and brand
# nicknames, compared after folding. The one table for the offline triage and knowledge search.
CHAT_SPELLINGS: dict[str, str] = {
    "vc": "voce",
    "vcs": "voces",
    "ce": "voce",
    "oce": "voce",
    "naum": "nao",
    "nn": "nao",
    "n": "nao",
    "q": "que",
    "pq": "porque",
    "pra": "para",
    "pro": "para o",
    "tb": "tambem",
    "tbm": "tambem",
    "msg": "mensagem",
    "msgs": "mensagens",
    "zap": "whatsapp",
    "zapzap": "whatsapp",
    "wpp": "whatsapp",
    "whats": "whatsapp",
    "wts": "whatsapp",
    "wa": "whatsapp",
    "insta": "instagram",
    "ig": "instagram",
    "obg": "obrigado",
    "obgd": "obrigado",
    "obgda": "obrigada",
    "brigado": "obrigado",
    "vlw": "valeu",
    "blz": "beleza",
    "td": "tudo",
    "tds": "todos",
    "hj": "hoje",
    "qdo": "quando",
    "qnd": "quando",
    "cmg": "comigo",
    "dps": "depois",
    "mt": "muito",
    "mto": "muito",
    "mta": "muita",
    "ta": "esta",
    "tao": "estao",
    "to": "estou",
    "tava": "estava",
    "add": "adicionar",
    "config": "configuracao",
    "cel": "celular",
    "num": "numero",
    "mail": "email",
    "logar": "login",
    "wapp": "whatsapp",
    "whatsap": "whatsapp",
    "watsapp": "whatsapp",
    "fb": "facebook",
    "qrcode": "qr code",
}


def fold(text: str) -> str:
    """Lower case without accents, compatibility forms unified (``"Não É"`` -> ``"nao e"``)."""
    return strip_accents(unicodedata.normalize("NFKC", text).casefold())


STOPWORDS = frozenset(fold(word) for word in get_stop_words("pt"))
"""pt-BR function words (the ``stop-words`` package's list, folded): the one stop-word list."""
REQUEST_WORDS = frozenset(
    fold(word)
    for word in [
        "gostaria",
        "queria",
        "quero",
        "poder",
        "poderia",
        "podem",
        "possível",
        "favor",
        "conseguir",
        "legal",
        "bom",
        "opção",
        "função",
        "funcionalidade",
        "recurso",
        "sistema",
        "app",
        "aplicativo",
        "plataforma",
        "pro",
        "lá",
        "sim",
        "muita",
        "quais",
    ]
)
"""Words a feature request is wrapped in ("gostaria de uma opção no app para...") that say
nothing about the idea itself; grouping ideas drops them with the stop words, search keeps them."""
_IDEA_NOISE = STOPWORDS | REQUEST_WORDS


def _stem(word: str) -> str:
    for pattern, ending in _UNACCENTED_ENDINGS:
        word = pattern.sub(ending, word)
    return strip_accents(_STEMMER.stemWord(word))


def normalize(text: str) -> str:
    """The comparable key of a sentence; empty when it holds no meaningful word."""
    stems = {_stem(w) for w in _WORD.findall(text.casefold()) if fold(w) not in _IDEA_NOISE}
    return " ".join(sorted(stems))
