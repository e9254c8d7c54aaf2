"""pt-BR text analysis for the knowledge-base index: fold, normalise spellings, drop stop words, stem.

Articles and queries go through the same analysis, so "Conexão", "conexao" and "conectar"
all meet at the stem ``conex``/``conect`` family that the index stores. Stems come from the
Snowball Portuguese stemmer (``snowballstemmer``, running on PyStemmer's C code); folding,
chat spellings and stop words are ``core.common.ptbr_text``'s, shared with the offline triage and
the grouping of ideas (which also drops request words such as "plataforma" a search keeps). This
is the SQLite implementation's analyser; a PostgreSQL one would use its ``portuguese`` text
search configuration with ``unaccent`` instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from core.common.ptbr_text import CHAT_SPELLINGS, STOPWORDS, fold

_WORD = re.compile(r"[0-9a-z]+")

# Words a search also reads as the articles' words ("ia" -> "inteligencia artificial"),
# after the chat spellings of core.common.ptbr_text are applied ("logar" -> "login" -> "entrar").
SEARCH_TERMS: dict[str, str] = {
    "app": "aplicativo",
    "nf": "nota fiscal",
    "nfe": "nota fiscal",
    "nfse": "nota fiscal",
    "cc": "cartao credito",
    "login": "entrar",
    "loguei": "entrei",
    "ia": "inteligencia artificial",
    "lgpd": "lgpd privacidade dados pessoais",
    "csv": "csv planilha",
    "xlsx": "planilha",
    "excel": "planilha",
}

# Words of one meaning in support questions: a query using any of them also finds the others.
# General pt-BR vocabulary of this product's domain (not tuned to any question set).
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "entrar acessar acesso logar login",
        "lento lentidao devagar demora demorar demorando travado travando",
        "cancelar cancelamento encerrar desistir sair",
        "cobranca cobrar cobrado fatura pagamento pagar mensalidade",
        "reembolso estorno devolver devolucao",
        "plano planos assinatura",
        "preco precos valor valores custo custa custar",
        "conectar conexao integrar integracao vincular",
        "erro falha problema",
        "exportar exportacao baixar download relatorio",
        "nota fiscal recibo",
        "privacidade lgpd dados",
        "excluir apagar deletar remover",
        "conteudo post posts postagem publicacao",
        "boleto boletos",
        "cartao credito",
        "senha password",
        "confirmar confirmacao verificar verificacao ativar ativacao",
    )
)


_stemmer = snowballstemmer.stemmer("portuguese")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Portuguese stem of a folded word."""
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """Folded words with chat spellings normalised, stop words kept (the typo vocabulary wants them all)."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        for spelled in CHAT_SPELLINGS.get(word, word).split():
            out.extend(SEARCH_TERMS.get(spelled, spelled).split())
    return out


def content_words(text: str) -> list[str]:
    """The words that carry meaning: folded, normalised, without stop words and single letters."""
    return [w for w in words(text) if len(w) > 1 and w not in STOPWORDS]


def stems(text: str) -> list[str]:
    """What the index stores for a text: the stems of its content words, in order."""
    return [stem(w) for w in content_words(text)]


@lru_cache(maxsize=1)
def _synonym_stems() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYMS:
        group_stems = {stem(fold(w)) for w in group}
        for s in group_stems:
            table.setdefault(s, set()).update(group_stems)
    return {s: frozenset(g) for s, g in table.items()}


def expand(stem_: str) -> frozenset[str]:
    """A stem with its synonyms' stems."""
    return _synonym_stems().get(stem_, frozenset({stem_}))
