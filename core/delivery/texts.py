"""What agents read about delivering to customers (pt-BR): delivery marks, failures, media."""

from __future__ import annotations

from core.common import labels, ptbr
from core.tickets.model import DeliveryState, FailureReason, MessageKind

DELIVERY_EMOJI = {
    DeliveryState.SENT: "✔️",
    DeliveryState.DELIVERED: "📬",
    DeliveryState.READ: "👀",
    DeliveryState.FAILED: "❌",
}


FAILURE_REASONS = {
    FailureReason.OUTSIDE_WINDOW: (
        "fora da janela de 24 horas: o cliente precisa escrever primeiro "
        "(fora da janela, só modelos aprovados)"
    ),
    FailureReason.RECIPIENT_UNAVAILABLE: (
        "o número não pode receber mensagens (sem WhatsApp ou bloqueou a empresa)"
    ),
    FailureReason.MEDIA_UNSUPPORTED: "o tipo de arquivo não é aceito pelo canal do cliente",
    FailureReason.RATE_LIMITED: "limite de envio do canal atingido",
    FailureReason.UNKNOWN: "erro do canal",
    FailureReason.BLOCKED: "o cliente bloqueou o nosso bot neste canal; só volta a receber se desbloquear",
}


def delivery_failed(reason: FailureReason | None, detail: str | None) -> str:
    """The one-line explanation posted in the thread when a message did not reach the customer."""
    text = FAILURE_REASONS[reason or FailureReason.UNKNOWN]
    suffix = f" ({detail})" if detail else ""
    return f"⚠️ Mensagem não entregue ao cliente: {text}{suffix}."


def delivery_gave_up(what: str, attempts: int, detail: str) -> str:
    """Posted when the outbox stops retrying something, so nobody waits for it in silence."""
    return (
        f"⚠️ Desisti de {what} depois de {ptbr.count(attempts, 'tentativa')}. "
        f"Último erro: {detail}. "
        "Verifique a integração; a mensagem precisa ser reenviada à mão."
    )


EFFECT_DESCRIPTIONS = {
    "PostTicket": "abrir a conversa no Slack",
    "RefreshTicket": "atualizar o cabeçalho do ticket",
    "ShowInboundMessage": "mostrar uma mensagem do cliente",
    "ShowReaction": "mostrar uma reação do cliente",
    "ShowDelivery": "mostrar o status de entrega",
    "PostNote": "publicar um aviso",
    "SendToCustomer": "enviar uma mensagem ao cliente",
    "MarkRead": "marcar as mensagens do cliente como lidas",
    "EscalationNotice": "avisar a escalação",
    "SlaAlert": "avisar sobre o SLA",
    "RefreshHomes": "atualizar a página inicial do app",
    "ShowAgentMessage": "mostrar uma resposta enviada com modelo",
    "AnswerWithAI": "responder com a IA",
    "ShowTriage": "mostrar a triagem da IA",
    "ShowEscalationAlert": "avisar que uma pessoa precisa assumir",
    "ShowDraft": "mostrar um rascunho da IA",
    "ShowAIReply": "mostrar uma resposta da IA",
    "SendChoices": "enviar a pesquisa de satisfação ao cliente",
}


def media_caption(kind: MessageKind, caption: str | None) -> str:
    """Comment shown with a customer's file in the thread."""
    label = labels.of(labels.MEDIA, kind, "arquivo")
    return f"📎 {label.capitalize()}" + (f": {caption}" if caption else "")


def media_unavailable(kind: MessageKind, detail: str) -> str:
    """Shown instead of a customer's file we could not fetch, so it is never silently lost."""
    label = labels.of(labels.MEDIA, kind, "arquivo")
    return f"⚠️ O cliente enviou {label}, mas não consegui baixar o arquivo ({detail})."


def media_too_large(kind: MessageKind, detail: str) -> str:
    """Shown instead of a customer's file over the size the desk relays (MAX_MEDIA_BYTES)."""
    label = labels.of(labels.MEDIA, kind, "arquivo")
    return (
        f"⚠️ O cliente enviou {label}, mas ele é grande demais para trazer para cá ({detail})."
        " Peça que envie por outro meio, como um link."
    )


def unsupported_message(note: str | None) -> str:
    """Shown for a message type we cannot relay, so agents know the customer sent something."""
    return "⚠️ O cliente enviou um tipo de mensagem que não consigo mostrar aqui" + (
        f" ({note})." if note else "."
    )


def unreadable(kind: object) -> str:
    """Note for a message whose content the platform sent in a shape we cannot read."""
    return f"{kind}, conteúdo ilegível"
