"""What agents read when a ticket escalates (pt-BR): the escalate modal, tier notes, the
escalation summary and what each tier investigates."""

from __future__ import annotations

from core.common import labels, ptbr
from core.common.markup import Markup
from core.customers.model import Channel

BUTTON_ESCALATE = "Escalar"


ESCALATE_TITLE = "Escalar ticket"


ESCALATE_SUBMIT = "Escalar"


ESCALATE_CANCEL = "Cancelar"


ESCALATE_TIER_LABEL = "Para qual nível?"


ESCALATE_REASON_LABEL = "Motivo"


ESCALATE_REASON_HINT = "O que já foi tentado e o que o nível precisa investigar."


REASON_REQUIRED = "Conte o motivo da escalação."


ALREADY_AT_TIER = "Este ticket já está neste nível ou acima."


NOT_RESOLVED = "Só um ticket resolvido pode ser reaberto."


REOPEN_REASON_BUTTON = "a pedido do atendimento (botão Reabrir)"


AI_ACTOR = "a IA"


ESCALATION_SUMMARY = "*Resumo da conversa*"


NO_MESSAGES = "(sem mensagens de texto)"


DESK_SPEAKER = "Atendimento"


def tier_line(tier: int) -> str:
    """The tier shown on the ticket's parent."""
    return f"*Nível:* {labels.of(labels.TIER, tier)}"


def _by(actor: str) -> Markup:
    """Who did it: "por <@U123>", but "pela IA" (Portuguese contracts "por a")."""
    return Markup("pela IA") if actor == AI_ACTOR else Markup("por {}").format(actor)


def escalated_note(tier: int, actor: str, reason: str) -> Markup:
    """Line in the ticket's thread when it is escalated."""
    label = labels.of(labels.TIER, tier)
    return Markup("🔺 Escalado para o {} {}. Motivo: {}").format(label, _by(actor), reason)


def escalation_header(ticket_id: int, customer: str, tier: int, actor: str) -> Markup:
    """First line of the escalation package in the tier's channel."""
    label = labels.of(labels.TIER, tier)
    return Markup("🔺 *Ticket #{} · {}* escalado para o {} {}").format(ticket_id, customer, label, _by(actor))


def escalation_reason(reason: str) -> str:
    return f"*Motivo:* {reason}"


def escalation_customer(plan: str | None, days: int, previous_tickets: int, channel: Channel) -> str:
    """Customer context of the escalation package."""
    plan_text = f"plano {plan}" if plan else "plano não informado"
    since = "cliente desde hoje" if days == 0 else f"cliente há {ptbr.count(days, 'dia')}"
    history = (
        ptbr.count(previous_tickets, "ticket anterior", "tickets anteriores")
        if previous_tickets
        else "primeiro ticket"
    )
    return f"*Cliente:* {plan_text} · {since} · {history} · {labels.of(labels.CHANNEL, channel)}"


def escalation_classification(category: str, urgency: str) -> str:
    category, urgency = labels.of(labels.CATEGORY, category), labels.of(labels.URGENCY, urgency)
    return f"*Classificação:* {category} · urgência {urgency}"


# What the playbook gives each tier to investigate, by category when the AI classified the ticket.
INVESTIGATION_BY_CATEGORY = {
    "technical": "reproduzir o problema com a conta do cliente e verificar os logs da integração",
    "bug_report": "reproduzir o erro, anexar passos e logs e abrir o bug para a engenharia",
    "billing": "conferir cobranças, faturas e o status do pagamento no sistema financeiro",
    "onboarding": "revisar a configuração da conta e as etapas de cadastro que faltam",
    "feature_request": "avaliar o pedido com produto e responder ao cliente com um prazo realista",
}


INVESTIGATION_BY_TIER = {
    2: "revisar a configuração avançada (integrações, fluxos, modelos de IA, dados e privacidade)",
    3: "investigar um possível bug da plataforma: reproduzir, checar logs e dados, avaliar a correção",
}


def suggested_investigation(tier: int, category: str | None, checks: tuple[str, ...] = ()) -> str:
    """The package's suggested next step, and the playbook's diagnosis checks for the problem, if any."""
    step = INVESTIGATION_BY_CATEGORY.get(category or "") or INVESTIGATION_BY_TIER.get(tier, "")
    extra = f". Verificar: {'; '.join(checks)}" if checks else ""
    return f"*Investigação sugerida:* {step}{extra}"


def escalation_summary_title(model: str | None) -> str:
    """The summary's heading, naming who wrote it: a model, or (None) extracts of the conversation."""
    by = f"`{model}`" if model else "trechos da própria conversa"
    return f"{ESCALATION_SUMMARY} ({by})"


OPEN_THREAD = "Abrir a conversa"
"""The label of the link to a ticket's thread (the desk writes the link: ``AgentDesk.link``)."""


def reopened_note(reason: str) -> str:
    """Line in the thread when a resolved ticket is reopened."""
    return f"🔄 Ticket reaberto: {reason}"
