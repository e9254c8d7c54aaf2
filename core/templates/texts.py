"""What agents and supervisors read about response templates (pt-BR)."""

from __future__ import annotations

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
