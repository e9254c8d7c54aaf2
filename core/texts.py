"""Every sentence a customer or an agent reads, in Brazilian Portuguese, kept in one place for review."""

from __future__ import annotations

from core.models import Channel, DeliveryState, FailureReason, MessageKind, TicketStatus

STATUS_LABELS = {
    TicketStatus.NEW: "Novo",
    TicketStatus.IN_PROGRESS: "Em atendimento",
    TicketStatus.RESOLVED: "Resolvido",
}

CHANNEL_LABELS = {
    Channel.WHATSAPP: "WhatsApp",
    Channel.TELEGRAM: "Telegram",
}

BUTTON_CLAIM = "Assumir"
BUTTON_RELEASE = "Liberar"
BUTTON_RESOLVE = "Resolver"

UNKNOWN_CUSTOMER = "Cliente sem nome"

CUSTOMER_CLOSING = (
    "Seu atendimento foi concluído. ✅\n"
    "Se precisar de mais alguma coisa, é só mandar uma mensagem por aqui que a gente te ajuda. "
    "Obrigado pelo contato!"
)


def already_claimed(agent_mention: str) -> str:
    """Ephemeral answer to a second agent who tries to claim a taken ticket."""
    return f"Este ticket já está com {agent_mention}."


def only_assignee_releases(agent_mention: str) -> str:
    """Ephemeral answer to an agent who tries to release someone else's ticket."""
    return f"Só {agent_mention} pode liberar este ticket."


ALREADY_RESOLVED = "Este ticket já foi resolvido."
AGENTS_ONLY = (
    "🔒 Só a equipe de atendimento pode assumir, liberar ou resolver tickets. Fale com a supervisão."
)
TICKET_NOT_FOUND = "Não encontrei este ticket. Ele pode ter sido removido."

MEDIA_LABELS = {
    MessageKind.IMAGE: "imagem",
    MessageKind.DOCUMENT: "documento",
    MessageKind.AUDIO: "áudio",
    MessageKind.VOICE: "mensagem de voz",
    MessageKind.VIDEO: "vídeo",
    MessageKind.STICKER: "figurinha",
}

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
        f"⚠️ Desisti de {what} depois de {attempts} tentativa{'s' if attempts > 1 else ''}. "
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
}


def media_caption(kind: MessageKind, caption: str | None) -> str:
    """Comment shown with a customer's file in the thread."""
    label = MEDIA_LABELS.get(kind, "arquivo")
    return f"📎 {label.capitalize()}" + (f": {caption}" if caption else "")


def media_unavailable(kind: MessageKind, detail: str) -> str:
    """Shown instead of a customer's file we could not fetch, so it is never silently lost."""
    label = MEDIA_LABELS.get(kind, "arquivo")
    return f"⚠️ O cliente enviou {label}, mas não consegui baixar o arquivo ({detail})."


def unsupported_message(note: str | None) -> str:
    """Shown for a message type we cannot relay, so agents know the customer sent something."""
    return "⚠️ O cliente enviou um tipo de mensagem que não consigo mostrar aqui" + (
        f" ({note})." if note else "."
    )


def unreadable(kind: object) -> str:
    """Note for a message whose content the platform sent in a shape we cannot read."""
    return f"{kind}, conteúdo ilegível"


def previous_ticket(ticket_id: int) -> str:
    """Line on a new ticket's parent pointing to the customer's previous ticket."""
    return f"Continuação do ticket #{ticket_id}"


def resolved_line(agent_mention: str, duration: str) -> str:
    """Line on a resolved ticket's parent."""
    return f"Resolvido por {agent_mention} em {duration}"


def duration(seconds: float) -> str:
    """A span of time the way people say it: "3 min", "2 h 05 min", "1 dia 4 h"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "menos de 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} dia{'s' if days > 1 else ''} {hours} h"


def location(name: str | None, address: str | None, latitude: float, longitude: float) -> str:
    """A shared location, readable and clickable in Slack."""
    label = " — ".join(part for part in (name, address) if part)
    link = f"https://maps.google.com/?q={latitude},{longitude}"
    return f"📍 Localização{': ' + label if label else ''}\n{link}"


def contact_card(name: str, phones: list[str]) -> str:
    """A shared contact card."""
    return f"👤 Contato: {name}" + (f" — {', '.join(phones)}" if phones else "")


def tapped_option(title: str, description: str | None = None) -> str:
    """The customer tapped a button or a list row."""
    return f"🔘 {title}" + (f" — {description}" if description else "")


def form_sent(body: str | None) -> str:
    """The customer completed a form (WhatsApp Flow)."""
    return "📝 Formulário enviado" + (f": {body}" if body else "")


def order(lines: list[str]) -> str:
    """The customer sent a cart from the catalogue."""
    return "🛒 Pedido:\n" + "\n".join(f"• {line}" for line in lines)


def edited(text: str | None) -> str:
    """The customer edited an earlier message."""
    return "✏️ O cliente editou uma mensagem" + (f": {text}" if text else ".")


REVOKED = "🗑️ O cliente apagou uma mensagem."


def platform_notice(body: str | None) -> str:
    """A notice from the customer's platform (number changed, identity changed)."""
    return "ℹ️ Aviso do WhatsApp" + (f": {body}" if body else ".")


def reaction(emoji: str | None) -> str:
    """A reaction whose target message is not on the desk (or a removed reaction)."""
    return f"O cliente reagiu com {emoji}" if emoji else "O cliente removeu uma reação."


# ---------------------------------------------------------------- /suporte (seen by the desk's people)

COMMANDS_HEADER = "*Comandos do `/suporte`*"
HELP_LINE = "— mostra esta lista"
WORKING_ON_IT = "⏳ Estou preparando a resposta; ela aparece aqui em instantes."
SUPERVISORS_ONLY = "🔒 Este comando é só para supervisores. Se você precisa dele, fale com a supervisão."
COMMAND_FAILED = "⚠️ Não consegui concluir este comando agora. Tente de novo em instantes."


def unknown_subcommand(name: str) -> str:
    """Someone typed a ``/suporte`` subcommand that does not exist."""
    return f"Não conheço o comando `{name}`."


# ---------------------------------------------------------------- Telegram and linked channels

CUSTOMER_LINKED = (
    "🔗 O cliente compartilhou o telefone: é o mesmo cliente do WhatsApp. "
    "Histórico e plano agora aparecem juntos."
)


def telegram_address(chat_id: str) -> str:
    """How a Telegram customer is identified on the desk (Telegram shares no phone by itself)."""
    return f"ID {chat_id}"
