"""Who a crisis broadcast goes to: everyone, a plan, the recently active, those who complained of
something lately, or a pasted list of phones; checked here so a bad field gets a clear message."""

from __future__ import annotations

import re

from core.ai.schema import CATEGORIES
from core.common import phone
from core.crisis.model import Audience, AudienceKind

MAX_DAYS = 365
MAX_HOURS = 24 * 30
_SEPARATORS = re.compile(r"[\n,;]+")


class AudienceError(ValueError):
    """A field of the audience is wrong; ``field`` names it, the message says what to do (pt-BR)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def parse(kind: str, *, plan: str = "", number: str = "", category: str = "", phones: str = "") -> Audience:
    """An audience from the modal's fields; raises :class:`AudienceError` on a bad one."""
    try:
        chosen = AudienceKind(kind)
    except ValueError:
        raise AudienceError("audience", "Escolha para quem vai o aviso.") from None
    if chosen is AudienceKind.PLAN:
        if not plan.strip():
            raise AudienceError("plan", "Diga qual plano (exatamente como está no cadastro).")
        return Audience(chosen, plan=plan.strip())
    if chosen is AudienceKind.ACTIVE:
        return Audience(chosen, days=_whole(number, MAX_DAYS, "dias"))
    if chosen is AudienceKind.CATEGORY:
        if category not in CATEGORIES:
            raise AudienceError("category", "Escolha a categoria dos tickets.")
        return Audience(chosen, category=category, hours=_whole(number, MAX_HOURS, "horas"))
    if chosen is AudienceKind.LIST:
        return Audience(chosen, phones=_phones(phones))
    return Audience(chosen)


def _whole(raw: str, most: int, unit: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise AudienceError("number", f"Informe um número de {unit} entre 1 e {most}.")
    return int(value)


def _phones(raw: str) -> tuple[str, ...]:
    entries = [entry.strip() for entry in _SEPARATORS.split(raw) if entry.strip()]
    if not entries:
        raise AudienceError("phones", "Cole os telefones, um por linha (ou separados por vírgula).")
    found: list[str] = []
    bad: list[str] = []
    for entry in entries:
        number = phone.canonical(entry)
        if number is None:
            bad.append(entry)
        else:
            found.append(number)
    if bad:
        shown = ", ".join(bad[:5]) + (f" e mais {len(bad) - 5}" if len(bad) > 5 else "")
        why = phone.problem(bad[0])
        raise AudienceError(
            "phones", f"Não parecem telefones: {shown} ({bad[0]}: {why}). Corrija ou apague essas linhas."
        )
    return tuple(dict.fromkeys(found))
