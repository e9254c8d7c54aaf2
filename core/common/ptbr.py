"""Numbers, dates and counts the way Brazilians write them, and the desk's one time zone.

Every text that shows a number, a share, a file size, a due time or a count of things formats it
here, so "72%", "4,5", "41,9 MB", "seg 09:00" and "2 tickets" read the same on every screen.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
"""The desk's time zone (the playbook's hours, due times, crisis ids, broadcast times)."""

WEEKDAYS = ("seg", "ter", "qua", "qui", "sex", "sáb", "dom")
"""Short weekday names, Monday first (``datetime.weekday()`` order)."""
WEEKDAY_NAMES = (
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "sábado",
    "domingo",
)
"""Full weekday names, Monday first, as a customer reads them ("segunda-feira (01/12) às 8h")."""


def decimal(value: float, digits: int = 1) -> str:
    """A number with a decimal comma and ``digits`` decimals: ``4,5``, ``0,87``."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(value: float) -> str:
    """A share (0 to 1) as a whole percent: 0.724 → ``72%``."""
    return f"{value * 100:.0f}%"


def file_size(size: int) -> str:
    """Bytes as Brazilians write a file size: ``41,9 MB``, ``100 MB``, ``4 KB``."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return decimal(size / 1_000_000).removesuffix(",0") + " MB"


def moment(at: datetime, now: datetime) -> str:
    """A due time as agents read it: "14:30" today, "seg 09:00" another day."""
    if at.date() == now.date():
        return at.strftime("%H:%M")
    return f"{WEEKDAYS[at.weekday()]} {at.day:02d}/{at.month:02d} {at.strftime('%H:%M')}"


def day(d: date) -> str:
    """A date in full, as Brazilians write it: ``07/12/2026``."""
    return f"{d:%d/%m/%Y}"


def day_time(at: datetime) -> str:
    """A date and time in full: ``07/12/2026 14:30`` (a report's period)."""
    return f"{at:%d/%m/%Y %H:%M}"


def day_at(at: datetime) -> str:
    """A time on a day near now: ``07/12 às 14:30``, in São Paulo whatever zone ``at`` carries."""
    local = at.astimezone(SAO_PAULO)
    return f"{local:%d/%m} às {local:%H:%M}"


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` things in words: "1 ticket", "2 tickets", "0 tickets"; ``many`` for irregular plurals
    ("avaliação" → "avaliações") and phrases ("cliente novo" → "clientes novos")."""
    return f"{n} {plural(n, one, many)}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """The form that agrees with ``n`` (a verb after a count, say): ``one`` for 1, else ``many``."""
    return one if n == 1 else (many or one + "s")
