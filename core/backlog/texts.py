"""What agents, supervisors and customers read about the feature-request backlog (pt-BR)."""

from __future__ import annotations

from core.common import ptbr

IDEA_PREFIX = "//ideia"


IDEAS_HELP = (
    "— sugestões dos clientes por número de pedidos (`--plano X`, `--csv`, `juntar A B`, `entregue N`)"
)


IDEAS_EMPTY = "Nenhuma sugestão registrada ainda. Marque uma com `//ideia resumo` na conversa do cliente."


IDEA_NO_SUMMARY = (
    "💡 Para registrar uma sugestão, escreva o resumo depois de `//ideia` "
    "(ex.: `//ideia exportar relatório em PDF`)."
)


IDEAS_USAGE = (
    "Uso: `/suporte ideias [--plano X] [--csv]`, `/suporte ideias juntar A B` (junta B em A) ou "
    "`/suporte ideias entregue N [mensagem ao cliente]`."
)


IDEA_CSV_HEADER = ("id", "ideia", "clientes", "por_plano", "primeiro_pedido", "ultimo_pedido", "entregue_em")


NO_PLAN = "sem plano"


IDEAS_CSV_COMMENT = "💡 Sugestões dos clientes (backlog), da mais pedida para a menos pedida."


def ideas_exported(count: int) -> str:
    """Answer to ``ideias --csv``: the file went to the supervisor's private messages."""
    ideas = ptbr.count(count, "sugestão", "sugestões")
    return f"📄 Enviei para você, em mensagem privada, o CSV com {ideas}."


def idea_recorded(idea_id: int, summary: str, customers: int) -> str:
    """Thread note confirming an agent's ``//ideia`` (or the AI's classification)."""
    who = ptbr.count(customers, "cliente pediu", "clientes pediram")
    return f"💡 Sugestão #{idea_id} no backlog: “{summary}” ({who})."


def ideas_header(plan: str | None, total: int) -> str:
    """Title of the backlog listing."""
    scope = f" do plano {plan}" if plan else ""
    return f"*💡 Sugestões mais pedidas{scope}* ({total} no total)"


def idea_line(rank: int, idea_id: int, summary: str, customers: int, plans: str, delivered: bool) -> str:
    """One idea in the listing."""
    mark = " · ✅ entregue" if delivered else ""
    who = ptbr.count(customers, "cliente")
    return f"{rank}. *{summary}* — {who} ({plans}) · #{idea_id}{mark}"


def idea_not_found(idea_id: str) -> str:
    """An idea number that does not exist."""
    return f"Não encontrei a sugestão `{idea_id}`. Veja os números em `/suporte ideias`."


def ideas_merged(keep: int, absorbed: int, customers: int) -> str:
    """Answer to ``ideias juntar``."""
    return f"🔗 Sugestão #{absorbed} juntada à #{keep}, que agora soma {customers} cliente(s)."


IDEA_MERGE_SAME = "Escolha duas sugestões diferentes para juntar."


def idea_delivered_report(
    idea_id: int, notified: int, outside_window: int, by_template: int = 0, opted_out: int = 0
) -> str:
    """Answer to ``ideias entregue``: who was told, who will be, and who could not be."""
    told = ptbr.count(notified, "cliente avisado", "clientes avisados")
    text = f"✅ Sugestão #{idea_id} marcada como entregue. {told} por mensagem."
    if by_template:
        text += (
            f" {ptbr.count(by_template, 'cliente')} fora da janela de 24 horas do WhatsApp"
            f" {ptbr.plural(by_template, 'recebe', 'recebem')} o modelo aprovado"
            " (IDEA_TEMPLATE); o progresso aparece no canal."
        )
    if outside_window:
        text += (
            f" {ptbr.count(outside_window, 'cliente')} fora da janela de 24 horas do WhatsApp"
            f" {ptbr.plural(outside_window, 'não foi avisado', 'não foram avisados')} "
            "(fora dela só modelos aprovados: configure IDEA_TEMPLATE);"
            " rode o comando de novo quando escreverem."
        )
    if opted_out:
        text += (
            f" {ptbr.count(opted_out, 'cliente pediu', 'clientes pediram')} para não receber avisos (PARAR)"
            f" e {ptbr.plural(opted_out, 'não foi avisado', 'não foram avisados')}."
        )
    return text


def idea_delivered_to_customer(name: str | None, greeting: str | None = None) -> str:
    """The desk's default message to a customer who asked for an idea, when it is delivered.

    It names no idea: the backlog's wording is some customer's own message (the first to ask, or
    whoever the idea was merged from), and one customer's words never go to another. A supervisor
    who wants to say what is ready writes it after ``ideias entregue N``.
    ``greeting`` replaces "Oi, Maria!" (a broadcast passes its per-recipient placeholder).
    """
    greeting = greeting or (f"Oi, {name}!" if name else "Oi!")
    return (
        f"{greeting} Aquela sugestão que você nos mandou acaba de ficar pronta. 🎉\n"
        "Obrigado por nos ajudar a melhorar. Se quiser ajuda para usar, é só responder aqui."
    )


def idea_delivered_note(idea_id: int) -> str:
    """Thread note on the ticket where the customer asked, when they are told."""
    return f"🎉 Cliente avisado de que a sugestão #{idea_id} foi entregue."
