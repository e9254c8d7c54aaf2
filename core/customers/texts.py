"""What people read about a customer's channels and consent (pt-BR): linked channels, opting out
of proactive messages and back in."""

from __future__ import annotations

CUSTOMER_LINKED = (
    "🔗 O cliente compartilhou o telefone: é o mesmo cliente do WhatsApp. "
    "Histórico e plano agora aparecem juntos."
)


def telegram_address(chat_id: str) -> str:
    """How a Telegram customer is identified on the desk (Telegram shares no phone by itself)."""
    return f"ID {chat_id}"


OPTED_OUT = (
    "Pronto, você não vai mais receber avisos nem mensagens automáticas da nossa equipe. 👍\n"
    "Se precisar de ajuda, é só escrever aqui: o atendimento continua funcionando normalmente.\n"
    "Mudou de ideia? Mande VOLTAR."
)
OPTED_BACK_IN = (
    "Que bom ter você de volta! 😊 A partir de agora você volta a receber nossos avisos e dicas.\n"
    "Se quiser parar de novo, é só mandar PARAR."
)


def opted_out_note(word: str) -> str:
    """The line agents see in an open ticket's thread when its customer opts out."""
    return (
        f"🔕 O cliente escreveu *{word}*: não recebe mais avisos, comunicados nem mensagens proativas. "
        "O atendimento segue normalmente; ele já recebeu a confirmação."
    )


def opted_back_in_note(word: str) -> str:
    """The line agents see in an open ticket's thread when its customer undoes an opt-out."""
    return f"🔔 O cliente escreveu *{word}*: voltou a receber avisos e mensagens proativas."
