"""What agents read about the knowledge base (pt-BR): proposals, review, search, and the
playbook's technical solutions."""

from __future__ import annotations

from core.common.markup import Markup
from core.kb.model import ArticleHit

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
