"""What agents read when an SLA target is near or missed (pt-BR)."""

from __future__ import annotations

from core.common import labels
from core.common.markup import Markup


def sla_warning(timer: str, due: str, left: str) -> str:
    """Thread line at 75% of a target."""
    return f"⏳ SLA de {labels.of(labels.TIMER, timer)}: prazo às {due} (faltam {left} úteis)."


def sla_breach(timer: str, due: str, who: str) -> Markup:
    """Thread line when a target is missed (``who``: the mention of whoever must act, or empty)."""
    line = Markup("🚨 SLA de {} estourado (prazo era {}).").format(labels.of(labels.TIMER, timer), due)
    return line + Markup(" ") + who if who else line


def sla_breach_in_channel(
    ticket_id: int, customer: str, timer: str, due: str, who: str, thread_link: str
) -> Markup:
    """Channel post when a target is missed, linking to the thread (``thread_link``: :data:`OPEN_THREAD`)."""
    return Markup("🚨 *Ticket #{} · {}*: SLA de {} estourado (prazo era {}). {} {}").format(
        ticket_id, customer, labels.of(labels.TIMER, timer), due, who, thread_link
    )
