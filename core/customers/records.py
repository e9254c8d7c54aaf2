"""One customer record as the platform sends it, checked field by field (import file or HTTP push).

A record names the customer by phone (their WhatsApp address) and may carry their name,
plan, signup date, whether basic setup is done, how often they used the product, their next
renewal and when they were last active: what the proactive journeys and broadcast audiences
read. A field left empty (or absent, or ``null``) is "not sent": the stored value stays.
Every refusal says, in pt-BR, which field is wrong and what was expected, so whoever
prepared the file can fix that line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo

from core.common import phone
from core.common.ptbr_text import strip_accents
from core.customers.model import CustomerRecord

FIELDS = (
    "name",
    "phone",
    "plan",
    "signup_date",
    "setup_done",
    "usage_count",
    "renewal_date",
    "last_active",
)
ALIASES = {
    "nome": "name",
    "telefone": "phone",
    "celular": "phone",
    "whatsapp": "phone",
    "plano": "plan",
    "data_cadastro": "signup_date",
    "data_de_cadastro": "signup_date",
    "cadastro": "signup_date",
    "configuracao_feita": "setup_done",
    "configurado": "setup_done",
    "uso": "usage_count",
    "usos": "usage_count",
    "data_renovacao": "renewal_date",
    "data_de_renovacao": "renewal_date",
    "renovacao": "renewal_date",
    "ultimo_acesso": "last_active",
    "ultima_atividade": "last_active",
}
"""Portuguese column names (as a Brazilian spreadsheet has them) of each field."""
MAX_NAME = 200
MAX_PLAN = 60
_TRUE = frozenset({"true", "1", "sim", "s", "yes", "y", "verdadeiro"})
_FALSE = frozenset({"false", "0", "nao", "não", "n", "no", "falso"})
_BR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


class RecordError(ValueError):
    """A record that cannot be stored; the message (pt-BR) says which field and why."""


def parse_record(raw: object, zone: tzinfo) -> CustomerRecord:
    """Check one record (a JSON object or a CSV row); naive times are read in ``zone``."""
    if not isinstance(raw, Mapping):
        raise RecordError('cada cliente deve ser um objeto com campos (ex.: {"phone": "..."})')
    values = {field_name(str(k)): v for k, v in raw.items()}
    number = _phone(values.get("phone"))
    return CustomerRecord(
        phone=number,
        name=_text(values.get("name"), "name", MAX_NAME),
        plan=_text(values.get("plan"), "plan", MAX_PLAN),
        signup_date=_date(values.get("signup_date"), "signup_date"),
        setup_done=_flag(values.get("setup_done")),
        usage_count=_count(values.get("usage_count")),
        renewal_date=_date(values.get("renewal_date"), "renewal_date"),
        active_at=_moment(values.get("last_active"), zone),
    )


def field_name(name: str) -> str:
    """The field a column or key names: ``phone`` as is, ``Telefone`` or ``Última atividade`` by alias."""
    key = "_".join(strip_accents(name.casefold()).replace("-", " ").split())
    return ALIASES.get(key, key)


def unknown_fields(names: list[str]) -> list[str]:
    """Column or key names this format does not know (they are ignored, and the import says so)."""
    return [n for n in names if field_name(n) not in FIELDS]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _phone(value: object) -> str:
    if _blank(value):
        raise RecordError("falta o telefone (phone)")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError(f"telefone inválido: {value!r}")
    number = phone.canonical(str(value))
    if number is None:
        raise RecordError(f"telefone inválido: {str(value)!r} ({phone.problem(str(value))})")
    return number


def _text(value: object, field: str, limit: int) -> str | None:
    if _blank(value):
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise RecordError(f"{field} deve ser um texto")
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise RecordError(f"{field} passa de {limit} caracteres")
    return text


def _flag(value: object) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise RecordError(f"setup_done deve ser sim ou não (true/false, 1/0), não {value!r}")


def _count(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise RecordError("usage_count deve ser um número inteiro")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise RecordError(f"usage_count deve ser um número inteiro, não {value!r}") from None
    if number != int(number) or number < 0:
        raise RecordError(f"usage_count deve ser um número inteiro de 0 para cima, não {value!r}")
    return int(number)


def _date(value: object, field: str) -> date | None:
    if _blank(value):
        return None
    text = str(value).strip()
    try:
        if match := _BR_DATE.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text[:10])  # a full timestamp's date part is taken as the date
    except ValueError:
        raise RecordError(f"{field} não é uma data válida: {text!r} (use AAAA-MM-DD ou DD/MM/AAAA)") from None


def _moment(value: object, zone: tzinfo) -> datetime | None:
    if _blank(value):
        return None
    text = str(value).strip()
    try:
        if match := _BR_DATE.fullmatch(text):
            day = date(int(match[3]), int(match[2]), int(match[1]))
            at = datetime.combine(day, time(int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)))
        else:
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(
            f"last_active não é uma data válida: {text!r} (use AAAA-MM-DDTHH:MM ou DD/MM/AAAA HH:MM)"
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)
