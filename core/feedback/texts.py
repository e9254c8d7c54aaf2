"""What customers and agents read about satisfaction and quality (pt-BR): CSAT, NPS, QA reviews."""

from __future__ import annotations

from collections.abc import Callable

from core.common import labels, ptbr
from core.common.markup import Markup, quote

CSAT_QUESTION = (
    "Antes de ir: como você avalia o atendimento que recebeu? "
    "Toque em *Avaliar* e escolha uma nota de 1 a 5. Leva só um segundo! 🙏"
)


CSAT_BUTTON = "Avaliar"


CSAT_OPTIONS = {
    5: ("5 ⭐ Excelente", "Resolveu tudo, e rápido"),
    4: ("4 ⭐ Bom", "Fiquei satisfeito"),
    3: ("3 ⭐ Regular", "Resolveu, mas poderia ser melhor"),
    2: ("2 ⭐ Ruim", "Não fiquei satisfeito"),
    1: ("1 ⭐ Péssimo", "Meu problema não foi resolvido"),
}


CSAT_THANKS = "Obrigado pela avaliação! 💙 Se quiser contar o que achou, é só escrever aqui numa mensagem."


CSAT_SORRY = (
    "Poxa, sentimos muito que o atendimento não foi bom. 😔 Reabrimos o seu caso e alguém da equipe "
    "vai falar com você. Se quiser, conte aqui o que aconteceu."
)


COMMENT_THANKS = "Recebemos seu comentário. Obrigado por nos ajudar a melhorar! 🙌"


NPS_QUESTION = (
    "E uma última pergunta: de 0 a 10, quanto você recomendaria a gente para um amigo "
    "ou colega empreendedor? Responda só com o número. 😉"
)


NPS_THANKS = "Valeu pela resposta! Ela ajuda muito a gente a melhorar. 💙"


def csat_received(score: int) -> str:
    """Shown in the ticket's thread when the customer rates it."""
    return f"⭐ O cliente avaliou o atendimento com *{score}/5* {'★' * score}{'☆' * (5 - score)}"


def low_rating_reason(score: int) -> str:
    """Why a ticket reopened after a low rating (audit trail and thread)."""
    return f"o cliente avaliou o atendimento com {score}/5"


def csat_comment(text: str) -> str:
    """The customer's comment on their rating, shown in the ticket's thread."""
    return f"💬 Comentário do cliente sobre o atendimento: “{text}”"


def nps_received(score: int) -> str:
    """Shown in the thread when the customer answers the NPS question."""
    return f"📈 O cliente respondeu ao NPS: *{score}/10*"


# ---------------------------------------------------------------- quality assurance (supervisors)

QA_BUTTON = "Avaliar"


QA_TITLE = "Avaliação de qualidade"


QA_SUBMIT = "Salvar"


QA_NOTES = "Observações (opcional)"


QA_PICK_ONE = "Escolha uma nota de 1 a 5."


QA_UNKNOWN = "Esta revisão não existe mais."


QA_SCALE = {5: "5 — excelente", 4: "4 — bom", 3: "3 — regular", 2: "2 — fraco", 1: "1 — ruim"}


QA_CRITERIA = {
    "accuracy": "Precisão",
    "helpfulness": "Utilidade",
    "tone": "Tom e profissionalismo",
    "efficiency": "Eficiência",
}


QA_TRIGGER_LABELS = {
    "agent": "média de {subject} na revisão de qualidade",
    "category": "média da categoria *{subject}* na revisão de qualidade",
    "ai_accuracy": "precisão da IA",
    "csat": "CSAT",
}


def qa_criterion(name: str, weight: float) -> str:
    """A criterion's label in the scoring modal, with its weight."""
    return f"{QA_CRITERIA[name]} ({ptbr.percent(weight)})"


def qa_handler(handled_by: str, mention: Callable[[str], str]) -> str:
    """Who handled a reviewed interaction: an agent (``mention``: the desk's mention) or the AI."""
    return Markup("a IA") if handled_by == "ai" else mention(handled_by)


def qa_ticket(ticket_id: int) -> str:
    """The reviewed ticket on its card (the label of the link to its thread, when it has one)."""
    return f"Ticket #{ticket_id}"


def qa_card(ticket: str, reason: str, handler: str, category: str | None) -> Markup:
    """The review card in the QA channel.

    ``ticket`` is :func:`qa_ticket`, linked to the thread when it has one; ``handler`` :func:`qa_handler`.
    """
    return Markup("🔍 *Revisão de qualidade* · {}\nMotivo: {} · Atendido por {}{}").format(
        ticket,
        labels.of(labels.QA_REASON, reason),
        handler,
        f" · Categoria: {labels.of(labels.CATEGORY, category)}" if category else "",
    )


def qa_scored(reviewer: str, score: float, scores: dict[str, int], notes: str | None) -> Markup:
    """The result shown on a reviewed card (``reviewer``: the reviewer's mention)."""
    parts = " · ".join(f"{QA_CRITERIA[name].split(' ')[0].lower()} {value}" for name, value in scores.items())
    shown = ptbr.decimal(score, 2)
    line = Markup("✅ Avaliado por {}: *{}* ({})").format(reviewer, shown, parts)
    return line + Markup("\n") + quote(notes) if notes else line


def qa_trigger(
    kind: str, subject: str, value: float, floor: float, reviews: int, mention: Callable[[str], str]
) -> Markup:
    """An improvement trigger's alert to the supervisors (``mention``: the desk's mention of an agent)."""
    if kind == "agent":
        who: str = qa_handler(subject, mention)
    else:
        who = labels.of(labels.CATEGORY, subject) if kind == "category" else subject
    what = Markup(QA_TRIGGER_LABELS[kind]).format(subject=who)
    if kind == "ai_accuracy":
        shown, limit = ptbr.percent(value), ptbr.percent(floor)
    else:
        shown, limit = ptbr.decimal(value, 2), ptbr.decimal(floor)
    return Markup("🚨 *Gatilho de melhoria*: {} está em {}, abaixo de {} ({} na base).").format(
        what, shown, limit, reviews
    )
