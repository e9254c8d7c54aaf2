"""Every sentence a customer or an agent reads, in Brazilian Portuguese, kept in one place for review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.common import labels, ptbr
from core.common.markup import Markup, quote
from core.models import ArticleHit, Channel, DeliveryState, FailureReason, MessageKind

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


# ---------------------------------------------------------------- Telegram and linked channels

CUSTOMER_LINKED = (
    "🔗 O cliente compartilhou o telefone: é o mesmo cliente do WhatsApp. "
    "Histórico e plano agora aparecem juntos."
)


def telegram_address(chat_id: str) -> str:
    """How a Telegram customer is identified on the desk (Telegram shares no phone by itself)."""
    return f"ID {chat_id}"


# --- Tiers, statuses and the SLA clock ---------------------------------------------------

BUTTON_ESCALATE = "Escalar"
BUTTON_WAITING = "Aguardando cliente"
BUTTON_IN_PROGRESS = "Em atendimento"
BUTTON_REOPEN = "Reabrir"

CUSTOMER_AUTO_CLOSED = (
    "Oi! Como não tivemos retorno por aqui, vamos encerrar este atendimento por enquanto. 😊\n"
    "Se ainda precisar de ajuda, é só responder esta mensagem que a gente continua de onde parou."
)
AUTO_CLOSED_NOTE = "🔒 Encerrado automaticamente: o cliente não respondeu dentro do prazo."

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


def sla_warning(timer: str, due: str, left: str) -> str:
    """Thread line at 75% of a target."""
    return f"⏳ SLA de {labels.of(labels.TIMER, timer)}: prazo às {due} (faltam {left} úteis)."


def sla_breach(timer: str, due: str, who: str) -> Markup:
    """Thread line when a target is missed (``who``: the mention of whoever must act, or empty)."""
    line = Markup("🚨 SLA de {} estourado (prazo era {}).").format(labels.of(labels.TIMER, timer), due)
    return line + Markup(" ") + who if who else line


def sla_breach_in_channel(
    ticket_id: int, customer: str, timer: str, due: str, who: str, thread_link: str
) -> Markup:
    """Channel post when a target is missed, linking to the thread (``thread_link``: :data:`OPEN_THREAD`)."""
    return Markup("🚨 *Ticket #{} · {}*: SLA de {} estourado (prazo era {}). {} {}").format(
        ticket_id, customer, labels.of(labels.TIMER, timer), due, who, thread_link
    )


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


# ---------------------------------------------------------------- response templates (agents and supervisors)

BUTTON_TEMPLATE = "Modelo"


# What each placeholder means, as agents read it next to a gap.
PLACEHOLDER_LABELS = {
    "customer_name": "Nome do cliente",
    "customer_plan": "Plano",
    "next_billing_date": "Próxima cobrança",
    "amount": "Valor (R$)",
    "specific_billing_explanation": "Explicação da cobrança",
    "feature_request_summary": "Resumo da sugestão",
    "issue_explanation": "O que aconteceu",
    "solution_implemented": "Solução aplicada",
    "prevention_tips": "Dicas para evitar",
    "agent_name": "Seu nome",
    "ticket_number": "Número do ticket",
}

TEMPLATE_MODAL_TITLE = "Responder com modelo"
TEMPLATE_PICK_LABEL = "Modelo"
TEMPLATE_PICK_PLACEHOLDER = "Escolha um modelo"
TEMPLATE_PICK_HINT = (
    "Escolha um modelo para ver a mensagem já preenchida com os dados do cliente e do ticket."
)
TEMPLATE_TEXT_LABEL = "Mensagem ao cliente"
TEMPLATE_TEXT_HINT = "Revise e edite à vontade; é exatamente isto que o cliente vai receber."
TEMPLATE_SEND = "Enviar"
TEMPLATE_CANCEL = "Cancelar"
TEMPLATE_CHOOSE = "Escolha um modelo."
TEMPLATE_UNKNOWN = "Este modelo não existe (pode ter sido renomeado). Escolha outro."
TEMPLATE_TEXT_EMPTY = "A mensagem está vazia."
TEMPLATE_TICKET_GONE = "Não encontrei o ticket desta resposta. Feche e abra o modelo de novo pela conversa."
TEMPLATE_GAP_REQUIRED = "Preencha este campo antes de enviar."
TEMPLATE_NOT_OPENED = "⚠️ O Slack não abriu a janela de modelos agora. Clique em *Modelo* de novo."


def template_gap_label(label: str) -> str:
    """Label of the field for a placeholder the desk had no value for (the highlight)."""
    return f"⚠️ {label} (falta preencher)"


def template_gaps_hint(labels: list[str]) -> str:
    """Shown above the message when some placeholders have no value."""
    return "⚠️ *Sem valor no cadastro:* " + ", ".join(labels) + ". Preencha os campos abaixo ou edite o texto."


def template_gaps_error(names: list[str]) -> str:
    """A submission with placeholders still in the text: nothing is sent."""
    return (
        "Ainda há campos sem valor: "
        + ", ".join(f"{{{name}}}" for name in names)
        + ". Preencha antes de enviar."
    )


def template_sent(title: str) -> str:
    """Posted in the thread with the text an agent sent from a template (delivery marks go on it)."""
    return f"📝 Enviado ao cliente com o modelo *{title}*:"


TEMPLATES_MODAL_TITLE = "Modelos de resposta"
TEMPLATES_NEW = "➕ Novo modelo"
TEMPLATES_EDIT = "Editar"
TEMPLATES_NONE = "Nenhum modelo cadastrado ainda."
TEMPLATES_OPENED = "📝 Abri os modelos de resposta."
TEMPLATES_HELP = "— lista, cria e edita os modelos de resposta (supervisão)"
TEMPLATE_FORM_NEW = "Novo modelo"
TEMPLATE_FORM_EDIT = "Editar modelo"
TEMPLATE_FORM_SAVE = "Salvar"
TEMPLATE_FIELD_DELETE = "Apagar"
TEMPLATE_DELETE_OPTION = "🗑️ Apagar este modelo ao salvar"
TEMPLATE_DELETE_HINT = "Some da lista dos agentes e da IA. Mensagens já enviadas com ele não mudam."
TEMPLATE_FIELD_ID = "Identificador (ex.: billing_002)"
TEMPLATE_FIELD_TITLE = "Título"
TEMPLATE_FIELD_CATEGORY = "Categoria"
TEMPLATE_FIELD_TONE = "Tom"
TEMPLATE_FIELD_BODY = "Texto"
TEMPLATE_BAD_ID = "Use de 3 a 40 letras minúsculas, números ou _ (ex.: billing_002)."
TEMPLATE_ID_TAKEN = "Já existe um modelo com este identificador."
TEMPLATE_BAD_CATEGORY = "Escolha uma das categorias."
TEMPLATE_BAD_TONE = "Escolha um dos tons."
TEMPLATE_BODY_EMPTY = "Escreva o texto do modelo."
TEMPLATE_SUPERVISORS_ONLY = "🔒 Só a supervisão pode criar ou editar modelos."


def template_placeholders_hint(names: list[str]) -> str:
    """Under the body field: the placeholders the desk fills by itself and how to write others."""
    known = ", ".join(f"`{{{name}}}`" for name in names)
    return (
        f"Preenchidos automaticamente: {known}. "
        "Qualquer outro `{nome_em_minusculas}` o atendente preenche à mão."
    )


def template_body_too_long(limit: int) -> str:
    """The body does not fit Slack's text box."""
    return f"O texto passa de {limit} caracteres."


def template_bad_title(limit: int) -> str:
    """An empty or too long title."""
    return f"Escreva um título de até {limit} caracteres."


def template_bad_placeholder(sample: str | None) -> str:
    """A brace that is not a well-formed placeholder."""
    shown = f" ({sample})" if sample else ""
    return (
        f"Campo mal escrito{shown}: use chaves com letras minúsculas e _, como {{customer_name}}, "
        "e feche toda chave aberta."
    )


# ---------------------------------------------------------------- feature-request backlog

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


# ---------------------------------------------------------------- LGPD (seen by supervisors)

HELP_LGPD = "`exportar +55…` ou `apagar +55…` — dados pessoais de um cliente (LGPD)"
LGPD_USAGE = (
    "Use `/suporte lgpd exportar +55 11 98765-4321` para receber os dados de um cliente, ou "
    "`/suporte lgpd apagar +55 11 98765-4321` para apagá-los."
)
LGPD_EXPORT_COMMENT = (
    "📦 Dados do cliente (pedido LGPD). Guarde em local seguro e apague quando não precisar mais."
)
LGPD_ERASE_BUTTON = "Apagar dados"
LGPD_CONFIRM_TITLE = "Apagar dados pessoais?"
LGPD_CONFIRM_TEXT = "Esta ação não pode ser desfeita."
LGPD_CONFIRM_YES = "Apagar"
LGPD_CONFIRM_NO = "Cancelar"


def invalid_phone(why: str) -> str:
    """A number typed in a command that does not exist (``why`` from :func:`core.phone.problem`)."""
    return f"Esse número não é um telefone válido: {why}."


def lgpd_not_found(phone: str) -> str:
    """No customer has this number."""
    return f"Não encontrei nenhum cliente com o número {phone}."


def lgpd_exported(customer_id: int) -> str:
    """The copy went to the supervisor's private messages."""
    return f"📦 Enviei para você, em mensagem privada, os dados do cliente #{customer_id}."


def lgpd_confirm(customer_id: int, phone: str) -> str:
    """Asked before erasing."""
    return (
        f"⚠️ Apagar os dados pessoais do cliente #{customer_id} ({phone})? Nome, telefone, mensagens e "
        "arquivos serão apagados de tudo o que o atende guarda; ficam só contagens anônimas para os "
        "relatórios. *Não dá para desfazer.*"
    )


def lgpd_erased(customer_id: int) -> str:
    """The erasure is done."""
    return (
        f"🗑️ Dados pessoais do cliente #{customer_id} apagados. "
        "A auditoria registra o pedido sem dados pessoais."
    )


# ---------------------------------------------------------------- AI core (customers and agents)


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
) -> str:
    """The one compact context line under a customer message: what the AI made of it, and what it did."""
    parts = [
        f"🤖 {labels.of(labels.CATEGORY, category)}",
        f"urgência {labels.of(labels.URGENCY, urgency)}",
        f"sentimento {sentiment:.2f}",
        f"confiança {confidence:.2f}",
        f"`{model}`",
        f"US$ {cost_usd:.4f}",
        labels.of(labels.AI_DECISION, decision),
    ]
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


# ---------------------------------------------------------------- satisfaction (CSAT, NPS)

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


# --- Knowledge base: proposals, review, search ------------------------------------------------

BUTTON_KB_PUBLISH = "Publicar"
BUTTON_KB_EDIT = "Editar"
BUTTON_KB_DISCARD = "Descartar"
BUTTON_KB_SAVE = "Salvar como artigo"
KB_REVIEW_HEADER = "Proposta de artigo para a base de conhecimento"
KB_REVIEW_HINT = "Nada é publicado sem revisão: confira o texto, edite se precisar e publique ou descarte."
KB_MODAL_NEW = "Novo artigo"
KB_MODAL_EDIT = "Editar proposta"
KB_MODAL_SUBMIT = "Enviar para revisão"
KB_MODAL_SAVE = "Salvar"
KB_FIELD_TITLE = "Título"
KB_FIELD_CATEGORY = "Categoria"
KB_FIELD_TAGS = "Palavras-chave (separadas por vírgula)"
KB_FIELD_TIME = "Tempo estimado (soluções técnicas)"
KB_FIELD_BODY = "Texto do artigo"
KB_NEW_OPENED = "📝 Preencha o formulário: o artigo vai para o canal de revisão antes de ser publicado."
KB_SEARCH_USAGE = "Use `/suporte kb busca TEXTO` para procurar artigos ou `/suporte kb novo` para propor um."
KB_NOTHING_FOUND = "🔎 Nenhum artigo encontrado para essa busca."
KB_ALREADY_DECIDED = "Esta proposta já foi decidida."
KB_NOT_FOUND = "Não encontrei esta proposta."
KB_SAVE_NOTHING = "Não há pergunta e resposta neste atendimento para virar artigo."
KB_SAVE_AGAIN = "Este atendimento já foi enviado para revisão como artigo."
KB_INVALID_DRAFT = "Confira o artigo: {detail}."


def kb_search_results(query: str, lines: list[str]) -> Markup:
    """Answer to ``/suporte kb busca`` (``lines`` may link to the articles)."""
    return Markup("🔎 Artigos para “{}”:\n").format(query) + Markup("\n").join(lines)


def kb_saved(channel_mention: str) -> Markup:
    """Ephemeral answer to **Salvar como artigo**."""
    return Markup("💾 Rascunho enviado para revisão em {}.").format(channel_mention)


def kb_state_line(state: str, who: str | None, slug: str | None) -> str:
    """The decision line of a reviewed proposal (``who``: a mention)."""
    if state == "published":
        return Markup("✅ Publicado por {} como `{}`").format(who, slug)
    if state == "discarded":
        return Markup("🗑️ Descartado por {}").format(who)
    return "⏳ Aguardando revisão"


def kb_draft_from_ticket(question: str, answers: list[str]) -> str:
    """A proposal's text from a resolved ticket: the customer's question and the answers given."""
    return (
        "**Pergunta do cliente:**\n"
        + question.strip()
        + "\n\n**Resposta que resolveu:**\n"
        + "\n\n".join(a.strip() for a in answers)
    )


def kb_faq_draft(questions: list[str], hit: ArticleHit | None) -> str:
    """A frequent question's proposal: how customers asked it, and the closest article, if any."""
    examples = "\n".join(f"- {q.strip()}" for q in questions[-5:])
    text = f"**Perguntado {len(questions)} vezes nos últimos 7 dias**, por exemplo:\n{examples}\n\n"
    if hit is not None:
        text += f"**Artigo mais próximo hoje:** {hit.title} (`{hit.slug}`)\n\n{hit.body}"
    else:
        text += "**Nenhum artigo cobre esta pergunta ainda.** Escreva a resposta aqui antes de publicar."
    return text


# --- Technical solutions (the playbook's TechnicalSupportProcessor) ----------------------------

INVESTIGATE_SLOW_AI = (
    "verificar o uso atual do modelo de IA da conta",
    "ver a profundidade da fila de pedidos",
    "testar modelos alternativos",
)
INVESTIGATE_INTEGRATION = (
    "verificar as credenciais de API da integração",
    "conferir as permissões concedidas à integração",
    "testar se o serviço externo está no ar",
)
INVESTIGATE_EXPORT = (
    "ver o volume e a complexidade dos dados exportados",
    "verificar as permissões de exportação do usuário",
    "testar a compatibilidade do formato do arquivo",
)
INVESTIGATE_GENERIC = (
    "reproduzir o problema com a conta do cliente",
    "pedir prints e o horário em que aconteceu",
    "consultar os registros de erro da conta nesse horário",
)
TECHNICAL_ESCALATED = (
    "Vou encaminhar para nossa equipe técnica especializada. "
    "Eles entrarão em contato em até 2 horas com uma solução detalhada."
)


def technical_solution(
    title: str, steps: str, estimated: str | None, follow_up: bool, url: str | None
) -> str:
    """The answer to a known technical problem (the playbook's wording), steps from the article."""
    text = f"Identifiquei o problema! Aqui está a solução:\n\n*Problema:* {title}\n*Solução:*\n{steps}\n"
    if estimated:
        text += f"\n*Tempo estimado:* {estimated}\n"
    if url:
        text += f"\nPasso a passo completo: {url}\n"
    if follow_up:
        text += "\nPode testar e me contar se funcionou? Se não resolver, eu investigo mais com você."
    else:
        text += "\nSe isso não resolver, me avise que posso investigar mais!"
    return text


def no_known_solution(steps: tuple[str, ...]) -> str:
    """The escalation reason when the knowledge base has no solution: what to investigate first."""
    return "Sem solução conhecida na base de conhecimento. Investigar: " + "; ".join(steps) + "."


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
