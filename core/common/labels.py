"""Every code the desk stores, as people read it (pt-BR).

Categories, urgencies, reasons, tiers, statuses, stakeholders… are kept as codes (many in
English, from the playbook and the AI schema) and must never reach a screen as such: every
text that shows one looks it up here with :func:`of`. A code with no label (a stakeholder
a supervisor configured, say) shows as it was written, so nothing is ever hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TICKET_STATUS = {
    "new": "Novo",
    "in_progress": "Em atendimento",
    "resolved": "Resolvido",
    "waiting_customer": "Aguardando cliente",
    "reopened": "Reaberto",
}
CHANNEL = {"whatsapp": "WhatsApp", "telegram": "Telegram"}
TIER = {1: "Nível 1 (atendimento)", 2: "Nível 2 (especialistas)", 3: "Nível 3 (engenharia)"}

MEDIA = {
    "image": "imagem",
    "document": "documento",
    "audio": "áudio",
    "voice": "mensagem de voz",
    "video": "vídeo",
    "sticker": "figurinha",
}
"""What a customer sent, when it is not text."""

CATEGORY = {
    "billing": "Cobrança",
    "technical": "Técnico",
    "onboarding": "Primeiros passos",
    "feature_request": "Sugestão de funcionalidade",
    "bug_report": "Relato de erro",
    "general_inquiry": "Dúvida geral",
    "unclassified": "Sem classificação",
}
"""The playbook's ticket (and response template) categories."""
URGENCY = {"low": "baixa", "medium": "média", "high": "alta", "critical": "crítica"}
ESCALATION_REASON = {
    "billing_dispute": "contestação de cobrança",
    "data_loss_reported": "perda de dados relatada",
    "security_concern": "preocupação de segurança",
    "legal_compliance_question": "questão legal/LGPD",
    "angry_customer_sentiment": "cliente muito insatisfeito",
    "business_stopped": "negócio parado: não consegue vender nem receber",
    "model_requested_human": "a IA pediu uma pessoa",
    "audio_needs_person": "áudio sem transcrição: precisa de uma pessoa para ouvir",
    "ai_unavailable": "a IA não conseguiu responder",
}
"""Why a person must take over now (the playbook's immediate escalations, and the AI's own)."""
TIER_REASON = {
    "complex_integration_issue": "integração complexa",
    "ai_model_behavior_concern": "comportamento da IA",
    "multiple_failed_tier_1_attempts": "mais de 2 contatos sobre o mesmo problema",
    "premium_customer_request": "cliente premium",
    "platform_bug_confirmed": "bug da plataforma",
    "feature_request_evaluation": "avaliação de sugestão",
    "data_recovery_needed": "recuperação de dados",
    "system_performance_issue": "desempenho do sistema",
    "engineering_consultation_needed": "complexidade alta",
    "no_known_solution": "sem solução conhecida na base",
}
"""Why a ticket moved to tier 2 or 3."""
AI_DECISION = {
    "sent": "respondido pela IA",
    "draft": "rascunho para revisão",
    "human": "encaminhado a uma pessoa",
}
TIMER = {
    "first_response": "primeira resposta",
    "resolution": "resolução",
    "tier2_response": "resposta do nível 2",
    "tier3_ack": "reconhecimento do nível 3",
    "tier3_assessment": "avaliação do nível 3",
}
TEMPLATE_TONE = {
    "professional_helpful": "Profissional e prestativo",
    "enthusiastic_appreciative": "Entusiasmado e grato",
    "solution_focused": "Focado na solução",
    "empathetic": "Acolhedor",
}
KB_ORIGIN = {
    "csat": "⭐ Ticket resolvido com nota máxima",
    "faq": "🔁 Pergunta frequente (mais de 5 vezes em 7 dias)",
    "thread": "💾 Salvo de um atendimento",
    "manual": "📝 Escrito pela equipe",
}
"""Where a proposed knowledge-base article came from."""
QA_REASON = {
    "escalated": "caso escalado (todos são revisados)",
    "complaint": "reclamação (todas são revisadas)",
    "human": "amostra de 25% dos atendimentos humanos",
    "ai": "amostra de 10% dos atendimentos da IA",
}
"""Why an interaction was picked for quality review."""
KB_CATEGORY = {
    "getting_started": "Primeiros passos",
    "ai_departments": "Departamentos de IA",
    "integrations": "Integrações",
    "billing_and_plans": "Cobrança e planos",
    "troubleshooting": "Solução de problemas",
}

CRISIS_SCENARIO = {
    "platform_outage": "Plataforma fora do ar",
    "ai_service_degradation": "IA com lentidão ou falhas",
    "billing_system_failure": "Falha no sistema de cobrança",
    "data_privacy_incident": "Incidente de privacidade de dados",
}
SEVERITY = {"critica": "🔴 Crítica", "alta": "🟠 Alta", "media": "🟡 Média", "baixa": "🟢 Baixa"}
CRISIS_STATUS = {
    "investigando": "🔎 Investigando",
    "identificado": "🧭 Identificado",
    "monitorando": "👀 Monitorando",
    "resolvido": "✅ Resolvido",
}
AUDIENCE = {
    "all": "Todos os clientes",
    "plan": "Clientes de um plano",
    "active": "Ativos nos últimos N dias",
    "category": "Abriram tickets de uma categoria nas últimas N horas",
    "list": "Lista de telefones colada",
}
STAKEHOLDER = {
    "cto": "CTO",
    "ceo": "CEO",
    "support_team": "equipe de suporte",
    "customer_success": "sucesso do cliente",
    "ai_team": "equipe de IA",
    "product_manager": "gerente de produto",
    "finance_team": "equipe financeira",
    "legal": "jurídico",
    "dpo": "encarregado de dados (DPO)",
    "security_team": "equipe de segurança",
}
"""Who a crisis calls, by the playbook's names."""

BROADCAST_STATE = {
    "running": "🟢 enviando",
    "paused": "⏸️ pausado",
    "cancelled": "⛔ cancelado",
    "done": "✅ concluído",
}
SKIP_REASON = {
    "opted_out": "pediu para não receber (PARAR)",
    "no_template": "fora da janela de 24 h e sem modelo aprovado",
    "no_address": "sem endereço (dados apagados ou canal desligado)",
    "cancelled": "envio cancelado",
    "outside_window": "fora da janela de 24 h",
    "recipient_unavailable": "número indisponível ou sem WhatsApp",
    "rate_limited": "limite de envio do WhatsApp",
    "media_unsupported": "formato não aceito",
    "blocked": "bloqueou o nosso número",
    "unknown": "erro desconhecido",
}
"""Why a broadcast recipient got nothing."""
BROADCAST_KIND = {
    "crise": "aviso de crise",
    "idea": "ideia entregue",
    "journey:onboarding_check": "jornada: ajuda com a configuração (dia 3)",
    "journey:usage_milestone": "jornada: marco de uso (dia 7)",
    "journey:health_check": "jornada: como está indo (dia 14)",
    "journey:renewal_reminder": "jornada: lembrete de renovação",
    "journey:feature_announcement": "novidade anunciada",
}


def of(table: Mapping[Any, str], code: str | int | None, missing: str = "") -> str:
    """``code`` in words; an unknown code as written, and ``missing`` when there is none."""
    if code is None or code == "":
        return missing
    return table.get(code, str(code))
