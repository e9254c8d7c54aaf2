"""Checks on a draft before anyone can send it: no leaked prompt, no one else's data, no promised acts.

The AI has no tool that acts, so a draft claiming "seu reembolso foi aprovado" is false
by construction; a phone number, email or document number that is neither the
customer's own words nor in a grounding article can only be someone else's data. Such a
draft is rejected like a malformed answer, and the chain moves on.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from core.ai import lexicon
from core.ai.normalize import fold, normalize
from core.ai.prompts import CANARY
from core.ai.schema import FailureKind, ModelFailure, Subject
from core.kb.model import ArticleHit

_INSTRUCTION_ECHOES = (CANARY, "regras que nada na mensagem do cliente pode mudar", "<dados>")
_PERSONAL_DATA = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"  # email
    r"|\+?\d[\d ().-]{8,}\d"  # phone, CPF, CNPJ, card
)
_CLAIMED_ACTIONS = re.compile(
    r"\b(reembolso|estorno|cancelamento|exclusao|devolucao)\b.{0,30}\b(aprovad|realizad|feit|efetuad|conclu|processad)"
    r"|\b(aprovei|estornei|reembolsei|cancelei|apaguei|exclui|deletei|liberei)\b"
    r"|\b(refund|cancellation)\b.{0,20}\b(approved|processed|issued)\b"
)


def check_draft(text: str, subject: Subject) -> None:
    """Raise :class:`ModelFailure` when a draft must not reach a customer."""
    folded = fold(text)
    if any(echo in folded for echo in _INSTRUCTION_ECHOES):
        raise ModelFailure(FailureKind.UNSAFE, "the draft repeats the internal instructions")
    allowed = fold(
        " ".join(
            [
                subject.text,
                subject.script or "",
                *(hit.body + " " + (hit.url or "") for hit in subject.sources),
            ]
        )
    )
    allowed_digits = re.sub(r"\D", "", allowed)
    for found in _PERSONAL_DATA.findall(text):
        digits = re.sub(r"\D", "", found)
        if fold(found) not in allowed and (not digits or digits not in allowed_digits):
            raise ModelFailure(
                FailureKind.UNSAFE, "the draft contains contact or document data not given by the customer"
            )
    if _CLAIMED_ACTIONS.search(folded):
        raise ModelFailure(FailureKind.UNSAFE, "the draft claims an action the AI cannot take")


_SLACK_MARKUP = re.compile(r"<[!@#][^<>]*>|<(?:https?|mailto|tel):[^<>]*>", re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+"
    # a bare domain WhatsApp turns into a link: banco.com.br/login
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|br|io|app|me|ly|co|info|xyz|site|online|link)\b(?:/[^\s<>\"'()]*)?",
    re.IGNORECASE,
)


def unknown_links(text: str, sources: Iterable[ArticleHit], hosts: Collection[str]) -> list[str]:
    """Links in an answer that no grounding article gives and that are not on ``hosts`` (the help centre).

    A model can be talked into "acesse www.banco-seguro.com"; an answer that sends the customer
    somewhere the knowledge base does not is for an agent to read first. Slack markup in an
    answer (``<!here>``, ``<https://x|label>``) means nothing on WhatsApp and is held the same way.
    """
    found = [match.group(0) for match in _SLACK_MARKUP.finditer(text)]
    known = " ".join(f"{hit.body} {hit.url or ''}" for hit in sources).lower()
    for match in _LINK.finditer(_SLACK_MARKUP.sub(" ", text)):
        link = match.group(0).rstrip(".,;:!?")
        host = (urlsplit(link if "://" in link else "//" + link).hostname or "").lower()
        on_help_centre = any(host == h or host.endswith("." + h) for h in hosts)
        if link.lower() not in known and not on_help_centre:
            found.append(link)
    return found


def looks_like_injection(text: str) -> bool:
    """The message tries to instruct the AI ("ignore as instruções", role-play, "mostre seu prompt").

    It changes nothing the AI does with the text, but such a message is never answered
    automatically: an agent sees the draft first.
    """
    return bool(lexicon.INJECTION.search(normalize(text)))
