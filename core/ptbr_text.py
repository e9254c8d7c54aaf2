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

_STEMMER = snowballstemmer.stemmer("portuguese")
_WORD = re.compile(r"[^\W\d_]+|\d+")
# People often type without accents: "integracao", "versao". Restore the common endings so
# the stemmer cuts them the same way as the accented spelling.
_UNACCENTED_ENDINGS = (
    (re.compile(r"coes$"), "ções"),
    (re.compile(r"cao$"), "ção"),
    (re.compile(r"sao$"), "são"),
)

# Function words and request fillers that say nothing about the idea itself.
_STOPWORDS = """
a o as os um uma uns umas de do da dos das no na nos nas em por pelo pela pelos pelas para pra pro
com sem e ou que se ao aos à às é ser ter tem terá teria seria fosse ja já mais muito muita eu voce
você vocês voces nos nós meu minha meus minhas seu sua seus suas isso isto esse essa este esta aqui
ali la lá como quando onde qual quais também tambem só so nao não sim gostaria queria quero poder
poderia podia pode podem possível possivel favor conseguir bom legal opção opcao função funcao
funcionalidade recurso sistema app aplicativo plataforma
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def strip_accents(text: str) -> str:
    """``"Emissão"`` -> ``"Emissao"``: combining marks removed after Unicode decomposition."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _stem(word: str) -> str:
    for pattern, ending in _UNACCENTED_ENDINGS:
        word = pattern.sub(ending, word)
    return strip_accents(_STEMMER.stemWord(word))


def normalize(text: str) -> str:
    """The comparable key of a sentence; empty when it holds no meaningful word."""
    words = (w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS)
    stems = {_stem(w) for w in words if strip_accents(w) not in STOPWORDS}
    return " ".join(sorted(stems))
