"""What customers and agents read about proactive messages: opt-out, journeys, announcements (pt-BR).

Kept apart from :mod:`core.texts` (the conversation's sentences) so the outreach wording can
be reviewed in one place.
"""

from __future__ import annotations

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
