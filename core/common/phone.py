"""Brazilian phone numbers: canonical form, the missing ninth digit, and masking for the desk."""

from __future__ import annotations

import re

import phonenumbers

_DIGITS = re.compile(r"\D+")


def digits(raw: str) -> str:
    """Only the digits of a number as typed or as a WhatsApp id (``wa_id``)."""
    return _DIGITS.sub("", raw)


def variants(raw: str) -> list[str]:
    """Both forms a Brazilian mobile can take, the canonical (with the ninth digit) first.

    WhatsApp ids of older accounts lack the ninth digit: ``55 11 9xxxx-xxxx`` arrives as
    ``55 11 xxxx-xxxx``. A customer imported with one form must match a message from the other.
    """
    number = digits(raw)
    if not number.startswith("55"):
        return [number]
    area, local = number[2:4], number[4:]
    if len(local) == 9 and local[0] == "9":
        return [number, f"55{area}{local[1:]}"]
    if len(local) == 8 and local[0] in "6789":
        return [f"55{area}9{local}", number]
    return [number]


def mask(raw: str) -> str:
    """A number as agents see it by default: enough to recognise, not enough to copy.

    ``5511987651234`` -> ``+55 11 9****-1234``.
    """
    number = digits(raw)
    if number.startswith("55") and len(number) in (12, 13):
        area, local = number[2:4], number[4:]
        return f"+55 {area} {local[0]}{'*' * (len(local) - 5)}-{local[-4:]}"
    if len(number) <= 4:
        return "+" + "*" * len(number)
    return f"+{number[:2]} {'*' * (len(number) - 6)}{number[-4:]}"


def display(raw: str) -> str:
    """A number in full, formatted for reading (used only when masking is turned off)."""
    number = digits(raw)
    if number.startswith("55") and len(number) in (12, 13):
        area, local = number[2:4], number[4:]
        return f"+55 {area} {local[:-4]}-{local[-4:]}"
    return f"+{number}"


def canonical(raw: str) -> str | None:
    """A number as a WhatsApp address (digits with the country code and the ninth digit), or None.

    See :func:`problem` for what is refused.
    """
    number, why = _checked(raw)
    return None if why else number


def problem(raw: str) -> str | None:
    """Why ``raw`` is not a phone number, in pt-BR for whoever typed it; None when it is one."""
    return _checked(raw)[1]


def _checked(raw: str) -> tuple[str, str | None]:
    """The canonical number and, when it does not exist, why (pt-BR).

    Imported lists often carry Brazilian numbers without the country code ("(11) 98765-4321");
    10 or 11 digits not written with "+" are taken as such. Validity comes from Google's
    numbering plans (``phonenumbers``): an area code that does not exist ("(10) 98765-4321")
    is refused, not only a wrong length. An old mobile without the ninth digit is checked
    in its canonical form, with the digit.
    """
    number = digits(raw)
    if not raw.strip().startswith("+") and len(number) in (10, 11):
        number = "55" + number
    if not 8 <= len(number) <= 15:  # E.164's limits, before asking the numbering plans
        return number, "use DDD + número, ex.: +55 11 98765-4321"
    number = variants(number)[0]
    try:
        parsed = phonenumbers.parse("+" + number)
    except phonenumbers.NumberParseException:
        return number, "código de país desconhecido: comece com +55 e o DDD"
    if phonenumbers.is_valid_number(parsed):
        return number, None
    if parsed.country_code == 55 and not _area_exists(number[2:4]):
        return number, f"o DDD {number[2:4]} não existe"
    if parsed.country_code == 55:
        return number, "esse número não existe; confira o DDD e os dígitos (ex.: +55 11 98765-4321)"
    return number, "esse número não existe; confira o código do país e os dígitos"


def _area_exists(area: str) -> bool:
    """A Brazilian area code (DDD) is in use: the numbering plan's example mobile is valid under it."""
    example = phonenumbers.example_number_for_type("BR", phonenumbers.PhoneNumberType.MOBILE)
    local = str(example.national_number)[2:] if example else "961234567"
    return phonenumbers.is_valid_number(phonenumbers.parse(f"+55{area}{local}"))
