"""What supervisors read about LGPD requests (pt-BR): export and erasure of personal data."""

from __future__ import annotations

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
    """A number typed in a command that does not exist (``why`` from :func:`core.common.phone.problem`)."""
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
