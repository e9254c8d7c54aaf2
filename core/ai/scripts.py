"""The playbook's scenario scripts and reply templates, the words the AI grounds its drafts in.

Until the knowledge base has articles, these are the only facts a draft may rest on: the
three scenario scripts (first login, WhatsApp integration, AI content quality) verbatim
from the playbook, and per-category answers that promise nothing the desk cannot keep
(no amounts, no dates, no refunds). English versions serve customers who write English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.ai.normalize import normalize


@dataclass(frozen=True, slots=True)
class Script:
    """A grounded answer: when it applies (a pattern over normalised text) and what it says."""

    key: str
    title: str
    pattern: re.Pattern[str]
    pt: str
    en: str

    def text(self, language: str) -> str:
        """The script in the customer's language."""
        return self.en if language == "en" else self.pt


FIRST_LOGIN = Script(
    "first_login",
    "Primeiro acesso",
    re.compile(
        r"\b(login|senha|entrar|acess(ar|o)|cadastr|confirma\w* (do |de |o )?email|link de confirmacao|ativ\w* (a )?conta"
        r"|password|log ?in|sign ?up)"
    ),
    """Olá! Vou te ajudar com o acesso à plataforma. Vamos verificar alguns pontos:

1. *Verificação de email*: você confirmou seu email clicando no link enviado?
2. *Senha*: está usando a senha que criou no cadastro?
3. *Navegador*: tente usar Chrome ou Firefox atualizado.

Se ainda não conseguir, posso:
- Reenviar o email de confirmação
- Ajudar com redefinição de senha
- Verificar se há problema técnico

O que gostaria que eu fizesse primeiro?""",
    """Hi! I'll help you get into the platform. Let's check a few things:

1. *Email confirmation*: did you click the link we sent you?
2. *Password*: are you using the password you chose when signing up?
3. *Browser*: try an up-to-date Chrome or Firefox.

If it still doesn't work, I can resend the confirmation email, help you reset your password or check for a technical problem. What would you like me to do first?""",
)

WHATSAPP_INTEGRATION = Script(
    "whatsapp_integration",
    "Conectar o WhatsApp",
    re.compile(r"\b(whatsapp|qr ?code|qrcode)\b"),
    """Vou te ajudar a conectar o WhatsApp! É um processo simples:

*Passo 1*: acesse "Integrações" no menu lateral
*Passo 2*: clique em "Conectar WhatsApp Business"
*Passo 3*: escaneie o QR Code com seu WhatsApp Business

*Problemas comuns*:
❌ Usando WhatsApp pessoal → use o WhatsApp Business
❌ QR Code não aparece → limpe o cache do navegador
❌ Conexão falha → verifique se você é admin do WhatsApp Business

Precisa de ajuda específica com algum desses passos?""",
    """I'll help you connect WhatsApp! It's simple:

*Step 1*: open "Integrations" in the side menu
*Step 2*: click "Connect WhatsApp Business"
*Step 3*: scan the QR code with your WhatsApp Business app

Common problems: a personal WhatsApp account (use WhatsApp Business), the QR code not showing (clear the browser cache), the connection failing (check that you are an admin of the WhatsApp Business account).

Do you need help with any of these steps?""",
)

AI_CONTENT = Script(
    "ai_content",
    "Melhorar o conteúdo da IA",
    re.compile(
        r"\b(ia|inteligencia artificial|conteudo|posts?|legendas?|textos?)\b.{0,40}\b(generic|ruim|ruins|fraco|melhor|bom|boa|qualidade)"
        r"|\b(generic|qualidade)\w*.{0,40}\b(ia|conteudo|posts?|textos?)\b"
    ),
    """Entendo! Vamos otimizar o conteúdo da IA para o seu negócio:

*1. Contexto do negócio*:
- Seu segmento está configurado corretamente?
- Preencheu as informações sobre produtos/serviços?

*2. Prompts específicos*:
✅ "Crie post sobre promoção de pizza margherita"
❌ "Crie post sobre comida"

*3. Templates por segmento*:
- Restaurante: usou os templates de "Food & Beverage"?
- E-commerce: testou os templates de "Varejo Online"?

Quer que eu te ajude a configurar melhor o perfil do seu negócio?""",
    """Got it! Let's tune the AI's content for your business:

1. *Business context*: is your segment set correctly, and did you fill in your products and services?
2. *Specific prompts*: "Create a post about our margherita pizza promotion" works better than "Create a post about food".
3. *Templates by segment*: restaurants do best with the "Food & Beverage" templates, online shops with "Online Retail".

Would you like help setting up your business profile?""",
)

SCENARIOS = (FIRST_LOGIN, WHATSAPP_INTEGRATION, AI_CONTENT)

# Which scenario may answer a message of each category (a billing question about "senha" is not a login issue).
_SCENARIOS_BY_CATEGORY = {
    "onboarding": (FIRST_LOGIN, WHATSAPP_INTEGRATION),
    "technical": (WHATSAPP_INTEGRATION, AI_CONTENT, FIRST_LOGIN),
    "bug_report": (),
    "billing": (),
    "feature_request": (),
    "general_inquiry": (),
}

GREETING_PT = "Oi! 😊 Aqui é o suporte. Como posso te ajudar hoje?"
GREETING_EN = "Hi! 😊 This is support. How can I help you today?"
THANKS_PT = "Que bom que deu certo! 😊 Se precisar de mais alguma coisa, é só chamar por aqui."
THANKS_EN = "Glad it worked! 😊 If you need anything else, just message us here."

CATEGORY_REPLIES_PT = {
    "billing": (
        "Olá! Sobre a sua dúvida de cobrança: vou verificar os dados da sua assinatura e já te respondo "
        "com os detalhes certinhos.\n\n"
        "Se quiser, me conta um pouco mais (por exemplo, se é sobre plano, forma de pagamento, nota fiscal "
        "ou cancelamento) que eu agilizo por aqui."
    ),
    "technical": (
        "Olá! Vou te ajudar com isso. Para eu entender melhor, pode me contar:\n"
        "1. O que você estava tentando fazer?\n"
        "2. Aparece alguma mensagem na tela? Se puder, mande um print.\n"
        "3. Está usando computador ou celular, e qual navegador?"
    ),
    "bug_report": (
        "Sinto muito pelo transtorno! Vou registrar isso para a nossa equipe técnica analisar.\n"
        "Para acelerar, pode me mandar:\n"
        "1. Um print ou vídeo da tela com o erro\n"
        "2. O passo a passo do que você fez até o erro aparecer\n"
        "3. O navegador ou aparelho que está usando"
    ),
    "feature_request": (
        "Oi! Adoramos a sua sugestão! 💡\n\n"
        "*Próximos passos*:\n"
        "1. ✅ Registramos sua ideia no nosso backlog\n"
        "2. 📊 Vamos avaliar junto com outras sugestões\n"
        "3. 🗳️ Você vai receber novidades sobre o desenvolvimento\n\n"
        "Enquanto isso, posso te mostrar alguma funcionalidade atual que ajude? Obrigado por nos ajudar a melhorar!"
    ),
    "onboarding": (
        "Olá! Vou te ajudar a dar os primeiros passos. Me conta em que parte você está (cadastro, "
        "configuração da conta, equipe ou primeira campanha) que eu te mostro o caminho."
    ),
    "general_inquiry": "Olá! Obrigado pela mensagem. Pode me contar um pouco mais para eu te ajudar?",
}

CATEGORY_REPLIES_EN = {
    "billing": "Hi! About your billing question: I'll check your subscription details and get back to you.",
    "technical": (
        "Hi! I'll help you with this. Could you tell me what you were trying to do, any message on screen "
        "(a screenshot helps) and which device and browser you use?"
    ),
    "bug_report": (
        "Sorry about that! I'll log it for our technical team. A screenshot, the steps that lead to the "
        "error and your browser or device will speed things up."
    ),
    "feature_request": "Thanks for the suggestion! We've logged it and will keep you posted.",
    "onboarding": "Hi! I'll help you get started. Which step are you on?",
    "general_inquiry": "Hi! Thanks for your message. Could you tell me a bit more so I can help?",
}


def scenario_for(text: str, category: str) -> Script | None:
    """The playbook scenario that answers this message, if one fits its category and words."""
    normalized = normalize(text)
    for script in _SCENARIOS_BY_CATEGORY.get(category, ()):
        if script.pattern.search(normalized):
            return script
    return None


def category_reply(category: str, language: str) -> str:
    """The safe per-category answer (asks for what the desk needs, promises nothing)."""
    replies = CATEGORY_REPLIES_EN if language == "en" else CATEGORY_REPLIES_PT
    return replies.get(category, replies["general_inquiry"])
