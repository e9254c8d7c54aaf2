"""What agents and customers read about a ticket (pt-BR): its buttons, the desk's refusals, how
each kind of inbound message reads, the ``/suporte`` router's words, status buttons and auto-close."""

from __future__ import annotations

from core.common import ptbr
from core.common.markup import Markup

BUTTON_CLAIM = "Assumir"


BUTTON_RELEASE = "Liberar"


BUTTON_RESOLVE = "Resolver"


UNKNOWN_CUSTOMER = "Cliente sem nome"


CUSTOMER_CLOSING = (
    "Seu atendimento foi concluído. ✅\n"
    "Se precisar de mais alguma coisa, é só mandar uma mensagem por aqui que a gente te ajuda. "
    "Obrigado pelo contato!"
)


def already_claimed(agent_mention: str) -> Markup:
    """Ephemeral answer to a second agent who tries to claim a taken ticket."""
    return Markup("Este ticket já está com {}.").format(agent_mention)


def only_assignee_releases(agent_mention: str) -> Markup:
    """Ephemeral answer to an agent who tries to release someone else's ticket."""
    return Markup("Só {} pode liberar este ticket.").format(agent_mention)


ALREADY_RESOLVED = "Este ticket já foi resolvido."


AGENTS_ONLY = (
    "🔒 Só a equipe de atendimento pode assumir, liberar ou resolver tickets. Fale com a supervisão."
)


TICKET_NOT_FOUND = "Não encontrei este ticket. Ele pode ter sido removido."


REPLY_AGENTS_ONLY = (
    "🚫 Sua mensagem *não* foi enviada ao cliente: só a equipe de atendimento responde clientes por aqui."
    " Se algo precisa chegar ao cliente, peça a um agente ou fale com a supervisão."
)


COMMAND_AGENTS_ONLY = (
    "🔒 Este comando é só para a equipe de atendimento. Se você precisa dele, fale com a supervisão."
)


HOME_AGENTS_ONLY = (
    "🔒 Esta tela mostra a fila de atendimento e é só para a equipe de suporte."
    " Se você precisa dela, fale com a supervisão."
)


def previous_ticket(ticket_id: int) -> str:
    """Line on a new ticket's parent pointing to the customer's previous ticket."""
    return f"Continuação do ticket #{ticket_id}"


def resolved_line(agent_mention: str, duration: str) -> Markup:
    """Line on a resolved ticket's parent."""
    return Markup("Resolvido por {} em {}").format(agent_mention, duration)


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
    return f"{ptbr.count(days, 'dia')} {hours} h"


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


BUTTON_WAITING = "Aguardando cliente"


BUTTON_IN_PROGRESS = "Em atendimento"


BUTTON_REOPEN = "Reabrir"


CUSTOMER_AUTO_CLOSED = (
    "Oi! Como não tivemos retorno por aqui, vamos encerrar este atendimento por enquanto. 😊\n"
    "Se ainda precisar de ajuda, é só responder esta mensagem que a gente continua de onde parou."
)


AUTO_CLOSED_NOTE = "🔒 Encerrado automaticamente: o cliente não respondeu dentro do prazo."
