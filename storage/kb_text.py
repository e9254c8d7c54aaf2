"""pt-BR text analysis for the knowledge-base index: fold, normalise spellings, drop stop words, stem.

Articles and queries go through the same analysis, so "Conexão", "conexao" and "conectar"
all meet at the stem ``conex``/``conect`` family that the index stores. Stems come from the
Snowball Portuguese stemmer (``snowballstemmer``, running on PyStemmer's C code), stop
words from the ``stop-words`` package (``core.ptbr_text`` keeps its own list, made for
grouping ideas: it drops words such as "plataforma" that a search must keep). This
is the SQLite implementation's analyser; a PostgreSQL one would use its ``portuguese`` text
search configuration with ``unaccent`` instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from stop_words import get_stop_words

from core.ptbr_text import strip_accents

_WORD = re.compile(r"[0-9a-z]+")

# How customers write in chat -> the word articles use. Abbreviations, common misspellings
# and brand nicknames; each side is compared after folding accents and case.
SPELLINGS: dict[str, str] = {
    "vc": "voce",
    "vcs": "voces",
    "q": "que",
    "pq": "porque",
    "tb": "tambem",
    "tbm": "tambem",
    "n": "nao",
    "naum": "nao",
    "msg": "mensagem",
    "msgs": "mensagens",
    "zap": "whatsapp",
    "zapzap": "whatsapp",
    "wpp": "whatsapp",
    "wapp": "whatsapp",
    "whats": "whatsapp",
    "whatsap": "whatsapp",
    "watsapp": "whatsapp",
    "insta": "instagram",
    "face": "facebook",
    "fb": "facebook",
    "app": "aplicativo",
    "nf": "nota fiscal",
    "nfe": "nota fiscal",
    "nfse": "nota fiscal",
    "cc": "cartao credito",
    "qrcode": "qr code",
    "login": "entrar",
    "logar": "entrar",
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


def fold(text: str) -> str:
    """Lower case without accents: "Cobrança" -> "cobranca"."""
    return strip_accents(text.casefold())


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(fold(w) for w in get_stop_words("pt"))


_stemmer = snowballstemmer.stemmer("portuguese")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Portuguese stem of a folded word."""
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """Folded words with chat spellings normalised, stop words kept (the typo vocabulary wants them all)."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        out.extend(SPELLINGS.get(word, word).split())
    return out


def content_words(text: str) -> list[str]:
    """The words that carry meaning: folded, normalised, without stop words and single letters."""
    stop = _stop_words()
    return [w for w in words(text) if len(w) > 1 and w not in stop]


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
