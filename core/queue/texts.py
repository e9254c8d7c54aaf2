"""What agents read in the queue and the App Home (pt-BR): risk marks, ``/suporte fila``,
``meus``, ``ticket`` and ``cliente``, tier targets, the customer card."""

from __future__ import annotations

from core.common import labels, ptbr

RISK_MARKS = {"breached": "🔴", "at_risk": "🟠", "on_time": "🟢", "paused": "⏸️", "closed": "✅"}


SLA_BREACHED = "SLA estourado"


QUEUE_EMPTY = "Nenhum ticket aberto. 🎉"


MINE_EMPTY = "Você não tem tickets abertos."


UNASSIGNED = "sem responsável"


HOME_MINE = "Meus tickets"


HOME_QUEUE = "Fila por risco de SLA"


CUSTOMER_NOT_FOUND = "Não encontrei cliente com esse número."


TICKET_USAGE = "Use `/suporte ticket 123`."


CUSTOMER_USAGE = "Use `/suporte cliente +55 11 98765-4321`."


HELP_QUEUE = "— tickets abertos por risco de SLA, com links"


HELP_MINE = "— os seus tickets abertos"


HELP_TICKET = "N — status, nível, responsável e prazos de um ticket"


HELP_CUSTOMER = "+55... — plano, tempo como cliente e tickets recentes"


def queue_header(shown: int, total: int) -> str:
    return f"*Fila: {ptbr.count(total, 'ticket aberto', 'tickets abertos')}*" + (
        f" (mostrando os {shown} mais urgentes)" if shown < total else ""
    )


def due_phrase(timer: str | None, due: str | None) -> str:
    """When the nearest clock of a ticket is due."""
    if timer is None or due is None:
        return ""
    return f"{labels.of(labels.TIMER, timer)} até {due}"


def target_line(label: str, value: str | None, target: str, met: bool | None) -> str:
    """One tier target: measured value, target, and whether it is met."""
    mark = "" if met is None else (" ✅" if met else " ⚠️")
    return f"{label}: {value if value is not None else 'sem dados'} (meta {target}){mark}"


TIER_TARGETS_HEADER = "*Metas dos níveis (últimos 30 dias)*"


FCR_LABEL = "N1 resolução no 1º contato"


ESCALATION_LABEL = "N1 taxa de escalação"


TIER2_WITHIN_LABEL = "N2 resolvidos em até 4 h úteis"


TIER2_CSAT_LABEL = "N2 CSAT"


def customer_card(name: str, plan: str | None, days: int, address: str) -> str:
    plan_text = f"Plano {plan}" if plan else "Plano não informado"
    since = "cliente desde hoje" if days == 0 else f"cliente há {ptbr.count(days, 'dia')}"
    return f"*{name}* · {address}\n{plan_text} · {since}"


RECENT_TICKETS = "*Tickets recentes*"


NO_TICKETS = "Nenhum ticket ainda."
