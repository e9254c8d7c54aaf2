"""pt-BR text normalisation for the offline rules: accents, case, elongations and everyday spellings.

Customers write "vc nao consegue", "NÃO CONSIGOOO", "meu zap", "e-mail": the rules match
one normal form ("voce nao consegue", "nao consigo", "meu whatsapp", "email") instead of
listing every spelling.
"""

from __future__ import annotations

import re
import unicodedata

from core.ptbr_text import strip_accents

# Everyday pt-BR spellings and abbreviations -> the word the rules look for.
_SPELLINGS = {
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
}
_ENGLISH_HINTS = frozenset(
    {
        "the",
        "is",
        "are",
        "you",
        "your",
        "i",
        "my",
        "me",
        "can",
        "cant",
        "do",
        "does",
        "dont",
        "please",
        "hi",
        "hello",
        "how",
        "what",
        "why",
        "where",
        "when",
        "with",
        "from",
        "have",
        "has",
        "not",
        "it",
        "this",
        "that",
        "there",
        "thanks",
        "thank",
        "help",
    }
)
_PORTUGUESE_HINTS = frozenset(
    {
        "o",
        "a",
        "os",
        "as",
        "um",
        "uma",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "que",
        "nao",
        "voce",
        "voces",
        "meu",
        "minha",
        "para",
        "com",
        "por",
        "como",
        "esta",
        "estou",
        "obrigado",
        "oi",
        "ola",
        "bom",
        "boa",
        "tem",
        "ter",
        "e",
        "mas",
        "sim",
        "isso",
    }
)
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9$ ]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents (``"Não É"`` -> ``"nao e"``)."""
    return strip_accents(unicodedata.normalize("NFKC", text).casefold())


def tokens(text: str) -> list[str]:
    """Folded words with punctuation dropped, hyphens joined (``e-mail`` -> ``email``), elongations cut."""
    folded = fold(text).replace("r$", " reais ").replace("-", "")
    folded = _ELONGATION.sub(r"\1", folded)
    return _NON_WORD.sub(" ", folded).split()


def language(text: str) -> str:
    """``"en"`` when the message reads as English, else ``"pt-BR"`` (the desk's language)."""
    words = tokens(text)
    english = sum(word in _ENGLISH_HINTS for word in words)
    portuguese = sum(word in _PORTUGUESE_HINTS for word in words)
    return "en" if english >= 2 and english > portuguese else "pt-BR"


def normalize(text: str) -> str:
    """The form the offline rules match: folded, spellings expanded, single-spaced, padded with spaces.

    The padding lets a pattern such as ``" pix "`` match whole words at either end.
    """
    words = tokens(text)
    if language(text) != "en":
        words = [_SPELLINGS.get(word, word) for word in words]
    return " " + _SPACES.sub(" ", " ".join(words)).strip() + " "
