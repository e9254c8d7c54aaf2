"""What customers and agents read from the AI core (pt-BR): triage lines, drafts, handoffs and
after-hours answers."""

from __future__ import annotations

from datetime import datetime

from core.common import labels, ptbr
from core.common.markup import Markup, quote


def ai_reason(reason: str | None) -> str:
    """An escalation reason in words (the code kept for the unknown ones)."""
    return labels.of(labels.ESCALATION_REASON, reason)


def ai_triage_line(
    category: str,
    urgency: str,
    sentiment: float,
    confidence: float,
    model: str,
    cost_usd: float,
    decision: str,
    tier: int = 1,
    tier_reason: str | None = None,
    injection: bool = False,
    why: str | None = None,
    messages_read: int = 1,
) -> str:
    """The one compact context line under a customer message: what the AI made of it, and what it did.

    ``messages_read``: a burst read as one is said, so the agent knows the answer covers the lines above.
    """
    parts = [
        f"🤖 {labels.of(labels.CATEGORY, category)}",
        f"urgência {labels.of(labels.URGENCY, urgency)}",
        f"sentimento {sentiment:.2f}",
        f"confiança {confidence:.2f}",
        f"`{model}`",
        f"US$ {cost_usd:.4f}",
        labels.of(labels.AI_DECISION, decision),
    ]
    if messages_read > 1:
        parts.append(f"{messages_read} mensagens lidas juntas")
    if tier > 1:
        parts.append(f"nível {tier} ({labels.of(labels.TIER_REASON, tier_reason)})")
    if injection:
        parts.append("⚠️ tentativa de instruir a IA")
    if why:
        parts.append(f"por quê: {why}")
    return " · ".join(parts)


def ai_triage_rule(reason: str) -> str:
    """Why the offline triage decided: one of the playbook's rules."""
    return f"regra: {ai_reason(reason)}"


def ai_triage_model(evidence: list[str]) -> str:
    """Why the offline triage decided: the words and signals that weighed most in the model."""
    return f"modelo: {', '.join(evidence)}" if evidence else "modelo"


def ai_escalation_alert(group_mention: str, reason: str | None, detail: str | None = None) -> Markup:
    """Posted in the thread when a person must take over now (the on-duty group is mentioned)."""
    who = group_mention + Markup(" ") if group_mention else ""
    extra = f" ({detail})" if detail else ""
    return Markup("🚨 {}Atendimento humano necessário: *{}*{}.").format(who, ai_reason(reason), extra)


def ai_tier_escalation(tier_reason: str | None) -> str:
    """The reason the AI gives when it moves a ticket to tier 2 or 3."""
    return f"Triagem da IA: {labels.of(labels.TIER_REASON, tier_reason, 'regra de escalação')}"


def ai_reply_shown(model: str, text: str) -> Markup:
    """An answer the AI sent by itself, as agents see it in the thread."""
    return Markup("✉️ *Resposta automática enviada* · `{}`\n{}").format(model, quote(text))


def ai_transcript(model: str, text: str) -> Markup:
    """The transcript of a voice note, posted under the audio."""
    return Markup("📝 *Transcrição* · `{}`\n{}").format(model, quote(text))


AI_AUDIO_NEEDS_PERSON = (
    "🎙️ Não há transcrição automática para este áudio (nenhum modelo com áudio disponível). "
    "Precisa de uma pessoa para ouvir e responder."
)


AI_DRAFT_HEADER = "📝 *Rascunho da IA*"


AI_DRAFT_SOURCES = "Fontes"


BUTTON_DRAFT_SEND = "Enviar"


BUTTON_DRAFT_EDIT = "Editar"


BUTTON_DRAFT_DISCARD = "Descartar"


AI_DRAFT_MODAL_TITLE = "Editar resposta"


AI_DRAFT_MODAL_SUBMIT = "Enviar"


AI_DRAFT_MODAL_LABEL = "Mensagem para o cliente"


AI_DRAFT_NOT_FOUND = "Não encontrei este rascunho."


AI_DRAFT_EMPTY = "Escreva a mensagem antes de enviar."


def ai_draft_gaps(labels: list[str]) -> str:
    """Why a draft with unfilled placeholders was not sent, and how to finish it."""
    return f"✏️ Falta preencher: {', '.join(labels)}. Use *Editar*, complete e envie."


AI_DRAFT_AGENTS_ONLY = "🔒 Só a equipe de atendimento pode enviar, editar ou descartar rascunhos da IA."


def ai_draft_meta(model: str, confidence: float, likely_resolved: bool | None) -> str:
    """The line under a draft: which model wrote it, how sure it is, whether it likely resolves the issue."""
    prediction = (
        ""
        if likely_resolved is None
        else (" · deve resolver" if likely_resolved else " · sugere acompanhamento humano")
    )
    return f"`{model}` · confiança {confidence:.2f}{prediction}"


def ai_draft_sent(agent_mention: str, edited: bool) -> Markup:
    """What a draft shows once an agent sent it."""
    return Markup("✅ Enviado por {}{}").format(agent_mention, " (editado)" if edited else "")


def ai_draft_discarded(agent_mention: str) -> Markup:
    """What a draft shows once an agent discarded it."""
    return Markup("🗑️ Descartado por {}").format(agent_mention)


AI_DRAFT_STALE_RESOLVED = "o ticket já foi resolvido"


AI_DRAFT_STALE_NEWER = "o cliente escreveu de novo depois dele"


AI_DRAFT_STALE_ANSWERED = "um atendente já respondeu o cliente depois dele"


AI_DRAFT_STALE_LINE = "⌛ Rascunho desatualizado: não foi enviado"


AI_DRAFT_STALE_BEFORE = "⌛ Este rascunho está desatualizado e não pode mais ser enviado."


def ai_draft_stale(reason: str) -> str:
    """Ephemeral answer to an agent pressing Enviar or Editar on a draft the conversation left behind."""
    return f"⌛ Rascunho desatualizado: {reason}. Nada foi enviado ao cliente."


def ai_draft_already_decided(agent_mention: str, sent: bool) -> Markup:
    """Ephemeral answer to an agent acting on a draft someone already handled."""
    return Markup("Este rascunho já foi {} por {}.").format(
        "enviado" if sent else "descartado", agent_mention
    )


def ai_failed(detail: str) -> str:
    """Posted when every automatic step failed, so the agents know why the AI is silent."""
    return f"⚠️ A IA não conseguiu responder ({detail}). O cliente recebeu uma mensagem de espera."


def ai_model_failing(model: str, failures: int, outcome: str, detail: str) -> str:
    """Posted to the support channel when a model failed ``failures`` calls in a row."""
    why = f"{outcome}: {detail}" if detail else outcome
    return (
        f"🚨 O modelo `{model}` falhou nas últimas {failures} chamadas ({why[:300]}). "
        "A IA segue respondendo pelo próximo modelo da cadeia ou pelas regras offline; "
        "confira a chave, o modelo e as configurações da IA."
    )


def ai_model_recovered(model: str) -> str:
    """Posted when a model that had been failing answers again."""
    return f"✅ O modelo `{model}` voltou a responder normalmente."


def next_opening(at: datetime) -> str:
    """When the desk opens next, the way people say it: "segunda-feira (01/12) às 8h"."""
    minutes = f"{at.minute:02d}" if at.minute else ""
    return f"{ptbr.WEEKDAY_NAMES[at.weekday()]} ({at:%d/%m}) às {at.hour}h{minutes}"


CUSTOMER_HANDOFF = (
    "Recebi sua mensagem e já passei para uma pessoa da nossa equipe, "
    "que vai cuidar do seu caso com prioridade. 🙏"
)


CUSTOMER_LEGAL_HANDOFF = (
    "Recebi sua mensagem. Como é um assunto legal ou de privacidade (LGPD), quem cuida dele é uma "
    "pessoa da nossa equipe, que vai te responder por aqui. 🙏"
)


CUSTOMER_ERASURE_HANDOFF = (
    "Recebi seu pedido para apagar seus dados. Pela LGPD, ele é tratado por uma pessoa da nossa "
    "equipe: ela vai confirmar que é você mesmo e te responder por aqui. Nada é apagado sem essa "
    "confirmação. 🔒"
)


AI_ERASURE_DETAIL = "pedido de exclusão de dados (LGPD): confirme a identidade e use `/suporte lgpd apagar`"


CUSTOMER_AUDIO_HANDOFF = "Recebi seu áudio! Uma pessoa da nossa equipe vai ouvir e te responder por aqui. 🙏"


CUSTOMER_HOLDING = (
    "Recebi sua mensagem! Estou com uma instabilidade para responder agora, então já chamei uma pessoa "
    "da nossa equipe, que vai te responder por aqui. 🙏"
)


def customer_after_hours(opening: datetime) -> str:
    """Told to a customer who writes while the desk is closed (holidays included)."""
    return (
        "Nossa equipe atende de segunda a sexta, das 8h às 18h (horário de Brasília), exceto feriados. "
        f"Uma pessoa volta {next_opening(opening)} e continua seu atendimento por aqui."
    )
