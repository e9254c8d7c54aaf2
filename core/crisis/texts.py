"""What supervisors and customers read about a crisis (pt-BR), kept together for review."""

from __future__ import annotations

from datetime import datetime

from core.broadcast.model import Preview
from core.broadcast.texts import when
from core.common import labels, ptbr
from core.common.markup import Markup
from core.crisis.model import CrisisStatus, Scenario, Severity

# The first notice for each scenario, after the playbook's proactive message for a mass incident
# (what is happening, what we are doing, when we expect it solved, that we will confirm; an
# apology), told the way each scenario asks: outages with an estimate, AI trouble openly (people
# answer meanwhile), billing reassuring about charges, a privacy incident as the LGPD expects
# (what happened, what we did, what the customer can do, who to ask). ``{descricao}`` becomes
# the description typed in the modal.
SCENARIO_MESSAGES = {
    "platform_outage": (
        "Olá! Identificamos um problema técnico que pode estar afetando o seu acesso à plataforma.\n\n"
        "O que está acontecendo: {descricao}\n"
        "O que estamos fazendo: todo o nosso time técnico está dedicado à solução.\n"
        "Previsão: resolver em até 2 horas.\n\n"
        "Assim que tudo voltar ao normal, avisamos você por aqui. Pedimos desculpas pelo transtorno!\n"
        "Equipe AI Departments"
    ),
    "ai_service_degradation": (
        "Olá! Queremos ser transparentes: nossa assistente de IA está com instabilidade agora.\n\n"
        "O que está acontecendo: {descricao}\n"
        "O que estamos fazendo: nosso time de IA já está corrigindo e, enquanto isso, pessoas da nossa "
        "equipe estão respondendo as conversas por aqui. Pode ser que a resposta demore um pouco mais.\n\n"
        "Mandamos uma atualização em até 30 minutos. Obrigado pela paciência!\n"
        "Equipe AI Departments"
    ),
    "billing_system_failure": (
        "Olá! Estamos com uma falha no nosso sistema de cobrança e queremos te tranquilizar.\n\n"
        "O que está acontecendo: {descricao}\n"
        "O que estamos fazendo: nosso time financeiro está revisando as cobranças uma a uma. Nenhuma "
        "cobrança indevida vai ficar com você: se algo foi cobrado errado, devolvemos o valor.\n\n"
        "Você não precisa fazer nada agora. Mandamos uma atualização em até 30 minutos, e se tiver "
        "dúvida é só responder esta mensagem.\n"
        "Equipe AI Departments"
    ),
    "data_privacy_incident": (
        "Olá! Identificamos um incidente de segurança que pode envolver dados da sua conta e, como "
        "manda a LGPD, estamos avisando você.\n\n"
        "O que aconteceu: {descricao}\n"
        "O que já fizemos: contivemos o problema, nosso time de segurança está investigando e a ANPD "
        "será comunicada.\n"
        "O que você pode fazer: por precaução, troque a sua senha de acesso.\n\n"
        "Dúvidas sobre os seus dados? Responda esta mensagem: nosso encarregado de dados (DPO) "
        "acompanha o caso.\n"
        "Equipe AI Departments"
    ),
}

STATUS_MESSAGES = {
    CrisisStatus.INVESTIGATING: "Seguimos investigando o problema. Mandamos novidades em breve.",
    CrisisStatus.IDENTIFIED: "Já encontramos a causa do problema e estamos corrigindo.",
    CrisisStatus.MONITORING: (
        "A correção foi aplicada e estamos acompanhando. Se algo ainda falhar, é só responder aqui."
    ),
    CrisisStatus.RESOLVED: (
        "Tudo resolvido! A plataforma voltou a funcionar normalmente. Obrigado pela paciência e, se "
        "notar qualquer coisa estranha, é só responder esta mensagem."
    ),
}


HELP_CRISIS = "abre o formulário para declarar uma crise e avisar os clientes (supervisores)"
OPENING = "Abrindo o formulário de crise…"
MODAL_TITLE = "Declarar crise"
CONFIRM_TITLE = "Confirmar envio"
UPDATE_TITLE = "Atualizar crise"
BUTTON_NEXT = "Ver prévia"
BUTTON_CONFIRM = "Confirmar e enviar"
BUTTON_CONFIRM_SILENT = "Declarar sem enviar"
BUTTON_CANCEL = "Cancelar"
BUTTON_UPDATE = "Atualizar status"
BUTTON_SAVE = "Publicar atualização"
LABEL_SCENARIO = "Cenário"
LABEL_SEVERITY = "Severidade"
LABEL_DESCRIPTION = "Descrição (o que os clientes percebem)"
LABEL_AUDIENCE = "Para quem"
LABEL_PLAN = "Plano (se for por plano)"
LABEL_NUMBER = "N (dias ou horas, conforme a opção)"
LABEL_CATEGORY = "Categoria (se for por categoria)"
LABEL_PHONES = "Telefones (se for lista), um por linha"
LABEL_MESSAGE = "Mensagem aos clientes"
HINT_MESSAGE = (
    "Já vem com o texto do cenário escolhido; {descricao} vira a descrição acima. Vazio: vai o texto do"
    " cenário. Dentro da janela de 24 h vai como texto; fora dela, pelo modelo."
)
LABEL_TEMPLATE = "Modelo aprovado do WhatsApp (fora da janela de 24 h)"
HINT_TEMPLATE = "Nome do modelo com uma variável no corpo. Vazio: quem está fora da janela não recebe."
LABEL_STATUS = "Novo status"
LABEL_UPDATE_TEXT = "Atualização"
LABEL_NOTIFY = "Enviar também aos clientes (mesmo público do aviso inicial)"
NOTIFY_OPTION = "Enviar aos clientes"
NEED_DESCRIPTION = "Descreva o problema em uma frase."
NEED_UPDATE = "Escreva a atualização."
NOBODY = "Nenhum cliente nesse público. Mude o público ou declare sem enviar."
PREVIEW_HEADER = "*Prévia da mensagem:*"
DRAFT_EXPIRED = (
    "Esse formulário expirou (ficou aberto mais de um dia) ou já foi confirmado."
    " Se precisar, abra de novo com `/suporte crise`."
)
ALREADY_RESOLVED = "Essa crise já foi encerrada."


def too_long(length: int, most: int) -> str:
    """The message with the description in place is longer than a template variable may be."""
    return (
        f"Com a descrição no lugar, a mensagem fica com {length} caracteres; o limite é {most}"
        " (o WhatsApp recusa um modelo mais longo). Encurte a mensagem ou a descrição."
    )


def response_time(minutes: int) -> str:
    """The scenario's response time as agents read it."""
    return "imediata" if minutes == 0 else f"em até {minutes} min"


def scenario_message(scenario: str) -> str:
    """The notice a scenario starts with (the modal's message field, and what an emptied field sends)."""
    return SCENARIO_MESSAGES[scenario]


def chosen_message(typed: str, scenario: str) -> str:
    """What the supervisor's message field means: empty, or still the stock text of some scenario
    (the select changed without the form following), is this scenario's text; anything else is
    their own words."""
    if not typed.strip() or typed.strip() in {m.strip() for m in SCENARIO_MESSAGES.values()}:
        return scenario_message(scenario)
    return typed


def preview_lines(preview: Preview, unknown_phones: int) -> list[str]:
    """How many get it now, how many later (and from when), and who gets nothing."""
    lines = [f"*{preview.total} destinatários*"]
    lines.append(
        f"• Agora: {preview.now} ({preview.text_now} como texto, dentro da janela de 24 h;"
        f" {preview.template_now} pelo modelo)"
    )
    if preview.later:
        start = when(preview.later_from) if preview.later_from else "amanhã"
        lines.append(
            f"• Depois: {preview.later} pelo modelo, a partir de {start} (limite diário do WhatsApp)"
        )
    if preview.opted_out:
        lines.append(f"• Não recebem: {preview.opted_out} pediram para não receber (PARAR)")
    if preview.unreachable:
        lines.append(f"• Não recebem: {preview.unreachable} fora da janela sem modelo, ou sem endereço")
    if unknown_phones:
        lines.append(
            f"• {ptbr.count(unknown_phones, 'telefone')} da lista"
            f" {ptbr.plural(unknown_phones, 'não é cliente cadastrado', 'não são clientes cadastrados')}"
        )
    return lines


def crisis_header(crisis_id: str, scenario: Scenario, severity: Severity, status: CrisisStatus) -> str:
    """The first line of the crisis message."""
    label = labels.of(labels.CRISIS_SCENARIO, scenario.key)
    severity_label, status_label = (
        labels.of(labels.SEVERITY, severity),
        labels.of(labels.CRISIS_STATUS, status),
    )
    return f"🚨 *Crise {crisis_id}* · {label} · {severity_label} · {status_label}"


def crisis_facts(
    scenario: Scenario, description: str, declared_by: str, declared_at: datetime, stakeholders: list[str]
) -> list[str]:
    """What, who is called, how fast, and whether the SLAs are suspended (``declared_by`` as a mention)."""
    lines: list[str] = [
        f"*Descrição:* {description}",
        Markup("*Resposta:* {} · declarada por {} em {}").format(
            response_time(scenario.response_minutes), declared_by, when(declared_at)
        ),
        Markup("*Acionados:* ") + Markup(", ").join(stakeholders),
    ]
    if scenario.suspend_sla:
        lines.append("⏸️ *SLAs suspensos* enquanto a crise durar (nenhuma nova violação é contada).")
    return lines


def update_line(status: CrisisStatus, text: str, notified: int) -> str:
    """A status update as posted in the crisis thread (with how many customers it was sent to)."""
    sent = f"\n_enviada a {notified} clientes_" if notified else ""
    return f"{labels.of(labels.CRISIS_STATUS, status)} — {text}{sent}"


def resolved_line(at: datetime, suspended: bool) -> str:
    """The closing line: when, and that the SLAs run again."""
    tail = " Os SLAs voltaram a contar." if suspended else ""
    return f"✅ Crise encerrada em {when(at)}.{tail}"


def template_line(template: str) -> str:
    """Which template goes to those outside the window (or that they get nothing)."""
    if template:
        return f"Fora da janela de 24 h vai o modelo `{template}`."
    return "Sem modelo: só quem escreveu nas últimas 24 h recebe."
