"""What customers and supervisors read about proactive messages (pt-BR): journeys, announcements.

Opting out of them (PARAR, VOLTAR) reads in :mod:`core.customers.texts`.
"""

from __future__ import annotations

from core.broadcast.model import GREETING
from core.common import ptbr

# -- proactive journeys: one friendly message per trigger, always with the way out. The same
# words go to everyone due the same message (one broadcast each); GREETING becomes "Oi, Maria!"
# for each of them when it is sent.

STOP_HINT = "Se não quiser mais receber mensagens como esta, responda PARAR."

ONBOARDING_CHECK = (
    f"{GREETING} 👋 Vi que você se cadastrou há alguns dias. Como está sendo a experiência?\n"
    "Posso te ajudar a conectar seu WhatsApp Business, configurar seu primeiro departamento de IA "
    "ou criar conteúdo personalizado para o seu negócio. É só responder esta mensagem com a sua "
    f"principal dúvida que a gente te ajuda por aqui.\n{STOP_HINT}"
)
HEALTH_CHECK = (
    f"{GREETING} Já faz duas semanas que você está com a gente. 😊 Está tudo funcionando do jeito que "
    "você esperava? Se alguma coisa estiver travando, ou se tiver uma sugestão, responda esta "
    f"mensagem que a gente resolve junto.\n{STOP_HINT}"
)


def usage_milestone(threshold: int) -> str:
    """Day 7, more than ``threshold`` uses."""
    return (
        f"{GREETING} Parabéns! 🎉 Na sua primeira semana você já usou a plataforma mais de "
        f"{threshold} vezes. Que começo incrível! Quer dicas para aproveitar ainda mais? "
        "É só responder aqui.\n"
        f"{STOP_HINT}"
    )


def renewal_reminder(plan: str | None, renews: str, days: int) -> str:
    """30 days (or fewer, when learnt later) before the renewal date; ``renews`` as DD/MM/AAAA."""
    which = f"seu plano {plan}" if plan else "sua assinatura"
    when = "hoje" if days == 0 else f"em {renews}"
    return (
        f"{GREETING} Passando para lembrar que {which} renova {when}. Se tiver alguma dúvida sobre a "
        f"renovação ou quiser mudar de plano, é só responder aqui. 😉\n{STOP_HINT}"
    )


def feature_announcement(feature: str) -> str:
    """A feature a supervisor announced, to customers active in the last 30 days."""
    return (
        f"{GREETING} ✨ Novidade na plataforma: {feature.strip()}\n"
        f"Quer ajuda para começar a usar? É só responder esta mensagem.\n{STOP_HINT}"
    )


# -- /suporte anunciar, for supervisors

ANNOUNCE_USAGE = (
    "Use `/suporte anunciar TEXTO` para anunciar uma novidade aos clientes ativos nos últimos 30 dias. "
    "Ex.: `/suporte anunciar Agora você pode exportar seus relatórios em PDF!`"
)
ANNOUNCE_HELP = "`TEXTO` — anuncia uma novidade aos clientes ativos nos últimos 30 dias (supervisão)"


def announcement_queued(announcement_id: int, audience: int, quiet: str) -> str:
    """The supervisor's confirmation: who gets it and when."""
    return (
        f"📣 Anúncio #{announcement_id} registrado."
        f" Vai para {ptbr.count(audience, 'cliente ativo', 'clientes ativos')} nos últimos "
        f"30 dias (quem pediu PARAR fica de fora), no próximo envio diário, nunca entre {quiet}. "
        "Quem voltar a usar a plataforma nos próximos 7 dias também recebe."
    )
