"""The offline provider's knowledge of pt-BR support messages: keyword families and a sentiment lexicon.

Patterns are regular expressions over :func:`core.ai.normalize.normalize` output (folded,
spellings expanded, padded with spaces), written as word stems and short phrase families
("cobr" covers cobrou, cobraram, cobrança) so they generalise to messages never seen.
English patterns sit beside the Portuguese ones for the customers who write English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]


class Family:
    """A compiled pattern that does not scan a text holding none of the words every match starts with.

    Most families match a few stems ("cobr", "fatura", "estorn"...) and most messages hold
    none of them: a substring test per stem is far cheaper than the regular expression's
    walk over a long complaint. Only a pattern whose every alternative starts with literal
    text gets the shortcut; the answer is the same either way.
    """

    __slots__ = ("last", "needles", "regex")

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern)
        self.needles = _needles(sre_parse.parse(pattern, self.regex.flags))
        self.last: tuple[str | None, re.Match[str] | None] = (None, None)

    @property
    def pattern(self) -> str:
        """The regular expression's source (families are built from one another)."""
        return self.regex.pattern

    def search(self, text: str) -> re.Match[str] | None:
        """Like :meth:`re.Pattern.search`; the same text object asked again gets the answer kept.

        One triage asks a family about the same normalised text up to three times (the
        model's features, the hard rules, the category's keywords); the answer is kept for
        the last text by identity, one tuple swapped whole, so threads never read half of it.
        """
        text_seen, found = self.last
        if text_seen is text:
            return found
        if self.needles is not None and not any(needle in text for needle in self.needles):
            found = None
        else:
            found = self.regex.search(text)
        self.last = (text, found)
        return found


class Unless:
    """A family that does not count where its exclusions match (the rules' reading of it).

    The model weighs a family as the rules read it: with many suspended accounts among the
    labelled rows, a bare ``desativ`` pushed "como desativo o acesso do funcionário" to a person.
    """

    __slots__ = ("family", "unless")

    def __init__(self, family: Family, unless: Family) -> None:
        self.family, self.unless = family, unless

    def search(self, text: str) -> re.Match[str] | None:
        """Like :meth:`re.Pattern.search`, None where an exclusion matches."""
        return None if self.unless.search(text) else self.family.search(text)


def _needles(items: Iterable[tuple[object, object]]) -> tuple[str, ...] | None:
    """The literal texts one of which starts every match (after zero-width checks), or None."""
    literal: list[str] = []
    for op, arg in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT) and not literal:
            continue
        if op is sre.LITERAL:
            literal.append(chr(arg))  # type: ignore[arg-type]
            continue
        if not literal and op is sre.BRANCH:
            found: list[str] = []
            for alternative in arg[1]:  # type: ignore[index]
                needles = _needles(alternative)
                if needles is None:
                    return None
                found += needles
            return tuple(found)
        if not literal and op is sre.SUBPATTERN:
            return _needles(arg[-1])  # type: ignore[index]
        break
    return ("".join(literal),) if literal else None


Weighted = tuple[Family, float]


def _weighted(pairs: Iterable[tuple[str, float]]) -> list[Weighted]:
    return [(Family(pattern), weight) for pattern, weight in pairs]


def _any(*patterns: str) -> Family:
    return Family("|".join(f"(?:{p})" for p in patterns))


# ---------------------------------------------------------------- immediate-escalation families

CHARGE = _any(
    r"\bcobr",
    r"\bfatura",
    r"\bcartao",
    r"\bdebit",
    r"\bpagamento",
    r"\bpag(ou|uei|amos|aram)\b",
    r"\breais\b",
    r"\$",
    r"\bboleto",
    r"\bpix\b",
    r"\bassinatura",
    r"\bmensalidade",
    r"\bvalor",
    r"\bcharge",
    r"\bbill",
    r"\bcard\b",
    r"\bpaid\b",
)
REFUND = _any(r"\bestorn", r"\breembols", r"dinheiro de volta", r"\bchargeback", r"\brefund", r"\bmoney back")
# A charge the customer contests (not: asking for a refund, which only the whole story qualifies).
_CONTESTED = (
    r"\bchargeback",
    r"\bcontest",
    r"\b(cobr|debit|descont|fatura|valor|pagamento|compra|assinatura)\w*\b.{0,25}\bindevid",
    r"\bindevid\w*\b.{0,25}\b(cobr|debit|descont)",
    r"\bduas vezes\b",
    r"\b2 vezes\b",
    r"\bem dobro\b",
    r"\b(cobranca|pagamento|compra|fatura|debito)s? (em )?duplic",
    r"\bduplicidade\b",
    r"\bnao reconhec",
    r"\bnao autoriz\w*\b.{0,30}\b(cobr|compra|debit|assinatura|renovac|pagamento)",
    r"\bsem (minha )?autoriza",
    r"\bcobr\w* (a mais|errad|de novo|novamente)",
    r"\bvalor errado",
    r"\bcobranca errada",
    r"\bnao (pedi|contratei|assinei|solicitei)\b",
    r"\bfraude no cartao",
    r"\btwice\b",
    r"\bdouble charged",
    r"\bdid not authori[sz]e",
    r"\bdidn t authori[sz]e",
)
CONTESTED = _any(*_CONTESTED)
# Any money matter a person must see: a contested charge, or money asked back.
DISPUTE = _any(
    r"\bestorn",
    r"\breembols",
    r"dinheiro de volta",
    r"\bdevolv\w* (o |a |meu |minha )?(dinheiro|valor)",
    r"\brefund",
    r"\bmoney back",
    *_CONTESTED,
)
DATA_OBJECT = _any(
    r"\bcontatos?\b",
    r"\bconversas?\b",
    r"\bdados\b",
    r"\bhistoric",
    r"\bcatalogo",
    r"\bprodutos\b",
    r"\barquivos?\b",
    r"\bmensagens\b",
    r"\bclientes\b",
    r"\brelatorios?\b",
    r"\bregistros?\b",
    r"\bbackup",
    r"\bfotos?\b",
    r"\bimagens?\b",
    r"\bposts?\b",
    r"\bcampanhas?\b",
    r"\bpedidos?\b",
    r"\blistas?\b",
    r"\bagendamentos?\b",
    r"\btemplates?\b",
    r"\bcontato\b",
    r"\bconversa\b",
    r"\binformacoes\b",
    r"\btudo\b",
    r"\bleads\b",
    r"\bcadastros\b",
    r"\bplanilha",
    r"\bdata\b",
    r"\bcontacts\b",
    r"\bhistory\b",
)
LOSS = _any(
    r"\bsum(iu|iram|indo|idos|idas)\b",
    r"\bdesaparec",
    r"\bperd(i|emos|eu|eram|ido|idos|idas)\b",
    r"\bapag(ou|aram|ado|ados|adas|uei)\b",
    r"\bexclu(iu|iram|ido|idos|idas|i)\b",
    r"\bdelet(ou|aram|ado|ados|ei)\b",
    r"\bzer(ou|aram)\b",
    r"\bnao (tem|tenho|aparece|acho) mais\b",
    r"\bnao encontro mais\b",
    r"\brecuper",
    r"\blost\b",
    r"\bdisappeared\b",
    r"\bdeleted\b",
    r"\bgone\b",
)
NOT_DATA_LOSS = _any(
    r"\bperd\w* (vendas?|clientes?|tempo|dinheiro|o acesso|acesso|a senha|minha senha)",
    # a control that moved, or the customer's picture: a how-to, not records gone
    r"\b(opcao|opcoes|botao|menu|aba|icone|campo|funcao|recurso|atalho|foto (do|de) (meu )?perfil)\b.{0,30}\b(sum|desaparec)",
    r"\b(sum|desaparec)\w*\b.{0,12}\b(a |o )?(opcao|botao|menu|aba|icone|campo|funcao|recurso|atalho|foto (do|de) (meu )?perfil)\b",
)
# Records gone: a loss word next to the thing lost, not anywhere in a long story ("atendentes perdidos").
DATA_LOSS = Family(
    rf"(?:{LOSS.pattern}).{{0,40}}(?:{DATA_OBJECT.pattern})|(?:{DATA_OBJECT.pattern}).{{0,40}}(?:{LOSS.pattern})"
)
# A refund owed whose term has passed ("o prazo de 10 dias para o crédito já venceu", after the
# product went back): the company missed what it owes, which the labelling guide's case B makes a
# dispute, told without dispute words. Money must be going back (a coupon's credit that expired is not).
_PASSED = r"(passou|passaram|venceu|vencid[oa]|expirou|expirad[oa]|estourou|excedid\w*|ultrapass\w*|esgot\w*)"
_OWED_BACK = (
    r"(estorno|reembolso|credito|ressarcimento|restituicao|devolucao do (valor|dinheiro)|dinheiro de volta)"
)
REFUND_OVERDUE = _any(
    rf"\bprazo\b(?! de entrega).{{0,40}}\b{_OWED_BACK}\b.{{0,60}}\b{_PASSED}\b",
    rf"\b{_OWED_BACK}\b.{{0,60}}\bprazo\b(?! de entrega).{{0,40}}\b{_PASSED}\b",
    rf"\b{_PASSED}\b.{{0,30}}\bprazo\b.{{0,40}}\b{_OWED_BACK}\b",
)
MONEY_GOING_BACK = _any(
    r"\bdevolv",
    r"\bdevoluc",
    r"\bde volta\b",
    r"\bvolt(aram|ou)\b",
    r"\bestorn",
    r"\breembols",
    r"\bressarc",
    r"\brestitu",
    r"\bcancel",
)
# A refund already done, or the customer's own client asking how to refund: nothing is contested.
SETTLED_REFUND = _any(
    r"\b(reembolso|estorno|dinheiro)\b.{0,25}\b(foi feito|foi realizado|foi aprovado|caiu|ja caiu|chegou|ja chegou"
    r"|ja recebi|recebi|certinho|deu certo)",
    r"\bcomo (eu )?(faco|fazer|faz|devolvo|estorno)\b.{0,20}\b(estorno|reembolso|devolucao)\b",
)
SECURITY = _any(
    r"\b(alguem|outra pessoa|outro usuario|terceiros?|estranho)\b.{0,30}\b(entrou|entraram|acessou|acessaram"
    r"|invadiu|logou|mexeu|mexeram|usando|usou|mudou|alterou|trocou|trocaram|mudaram|alteraram)",
    r"\binvad",
    r"\bhacke(ad\w*|aram|ou|rs?)\b",
    r"\bhacked\b",
    r"\braque",
    r"\bacesso (nao autorizado|indevido|estranho|suspeito)",
    r"\blogin (de|em|no|na) outr",
    r"\blogin (suspeito|estranho)",
    r"\bgolpe",
    r"\bphishing",
    r"\bfraud",
    r"\bclonad",
    r"\bclonaram",
    r"\bvaz(ou|aram|ada|ado|amento|ando)\b",
    r"\bsenha (foi )?(alterada|trocada|mudada|mudou)",
    r"\bpedi\w* (a |minha |sua |meu |o )?(senha|codigo)",
    r"\b(apareceram|aparecem|aparecendo|aparece|apareceu)\b.{0,40}\b(outra|outro) (empresa|conta|cliente|usuario|loja)",
    r"\bconta (de|da|do) outr\w* (empresa|pessoa|cliente|loja)",
    r"\bnao fui eu\b",
    r"\bsuspeit",
    r"\b(clicar|clique|cliquei|acessar) (num|no|em um|em|neste|nesse|naquele) link",
    r"\be de voces\b",
    r"\b(mensagem|email|sms|ligacao)\w* (estranh|suspeit|falsa|falso)",
    r"\bsomeone (logged|accessed|got) ",
    r"\bex.?(funcionari|colaborador|socio|employee)\w*\b.{0,40}\b(entra|acess|logad|loga|mexe|usa|logging|using)",
    r"\bhacked\b",
    r"\bscam\b",
    r"\bbreach",
)
SECURITY_BREACH = _any(
    r"\b(alguem|outra pessoa|outro usuario|terceiros?|estranho)\b.{0,30}\b(entrou|entraram|acessou|acessaram"
    r"|invadiu|logou)",
    r"\binvad",
    r"\bhacke(ad\w*|aram|ou|rs?)\b",
    r"\bvaz",
    r"\bapareceram|\baparecem|\baparecendo|\bapareceu",
    r"\bbreach",
)
SCAM = _any(
    r"\bgolpe",
    r"\bphishing",
    r"\bpedi\w* (a |minha |sua |meu |o )?(senha|codigo)",
    r"\bscam\b",
    r"\b(clicar|clique|cliquei|acessar) (num|no|em um|em|neste|nesse|naquele) link",
    r"\be de voces\b",
    r"\bpedi\w* (para |pra )?(confirmar|informar|atualizar|enviar|passar) (os |meus |seus |minhas )?(dados|senha|cartao)",
    r"\b(mensagem|email|sms|ligacao)\w* (estranh|suspeit|falsa|falso)",
)
EXPOSURE = _any(
    r"\b(apareceram|aparecem|aparecendo|apareceu|aparece)\b.{0,40}\b(outra|outro) (empresa|conta|cliente|usuario|loja)",
    r"\bconta (de|da|do) outr\w* (empresa|pessoa|cliente|loja)",
)
LEGAL = _any(
    r"\blgpd\b",
    r"\bgdpr\b",
    r"\bdpa\b",
    r"\btratamento de dados",
    r"\bprotecao de dados",
    r"\bprocon\b",
    r"\badvogad",
    r"(?<!pessoa )\bjuridic",
    r"\b(vou|vamos|irei|iremos|posso) processar\b",
    r"\bprocessar (voces|a empresa|essa empresa|esta empresa|a loja)\b",
    r"\b(entrar|entrarei|entro|abrir|mover|colocar) (com )?(um |uma )?(processo|acao judicial|acao contra)",
    r"\bprocesso (judicial|contra)\b",
    r"\bjustica\b",
    r"\bjudicia",
    r"\bjuizado\b",
    r"\banpd\b",
    r"\bconsumidor ?gov",
    r"\bdanos morais\b",
    r"\bpequenas causas",
    r"\bextrajudicial",
    r"\bministerio publico",
    r"\bpolitica de privacidade",
    r"\bcompliance\b",
    r"\bencarregado de dados",
    r"\bdpo\b",
    r"\b(exclu|apag|delet|remov)\w* .{0,25}\bmeus dados",
    r"\bmeus dados pessoais",
    r"\bonde (ficam|sao|estao) (armazenad|guardad|hospedad)",
    r"\b(armazenad|hospedad)\w* .{0,20}\bdados",
    r"\bdados pessoais\b",
    r"\bdireito (de|a) (acesso|exclusao|portabilidade|correcao|esquecimento)",
    r"\btitular (dos|de) dados",
    r"\blawyer",
    r"\blawsuit",
    r"\bprivacy policy",
)
# A data subject asking to have their data erased or no longer kept (LGPD art. 18, VI), in any wording:
# an erasing verb said to the company (not "apaguei", something the customer did) before or after
# "meus dados", "minhas informações", "meu cadastro"...
_ERASE = r"(apaguem|apague|apaga|apagar|excluam|exclua|excluir|deletem|delete|deletar|removam|remova|remover|eliminem|elimine|eliminar|tirem|tirar|descartem|descartar)"
_MINE = r"(meus?|minhas?)\b.{0,15}\b(dados|informac\w*|infos?|registros?|cadastro|historico)"
ERASURE = _any(
    rf"\b{_ERASE}\b.{{0,30}}\b{_MINE}\b",
    rf"\b{_MINE}\b.{{0,30}}\b{_ERASE}\b",
    rf"\b(exclusao|remocao|eliminacao|apagamento)\b.{{0,12}}\bd[aeo]s? {_MINE}\b",
    r"\b(meu (numero|telefone|contato))\b.{0,25}\b(do cadastro|da base|de voces|do sistema|da lista)\b.{0,30}\b(apag|exclu|delet|remov|elimin|tir)",
    r"\b(apag|exclu|delet|remov|elimin|tir)\w*\b.{0,30}\b(meu (numero|telefone))\b.{0,20}\b(do cadastro|da base|de voces|do sistema|da lista)\b",
    r"\b(nao quero|nao autorizo|nao permito|parem de|pare de|deixem de)\b.{0,30}\b(guard|armazen|usar|utiliz|trat|ter|manter)\w*\b.{0,20}\b(meus?|minhas?)\b",
    # the same request in English and Spanish
    r"\b(delete|erase|remove|wipe)\b.{0,30}\b(my|all my|our)\b.{0,25}\b(data|information|info|details)\b",
    r"\b(borr|elimin)\w*\b.{0,30}\b(mis|todos mis|nuestros)\b.{0,20}\b(datos|informacion)\b",
)

LEGAL_THREAT = _any(
    r"\bprocon\b",
    r"\b(vou|vamos|irei) processar\b",
    r"\bprocessar (voces|a empresa)\b",
    r"\bprocesso (judicial|contra)\b",
    r"\bjustica\b",
    r"\bpequenas causas",
    r"\breclame aqui\b",
    r"\bconsumidor ?gov",
    r"\blawsuit",
)

# The customer's business has stopped (the desk's sixth immediate reason, critical): the account or
# store suspended, blocked or switched off by the platform, no way to sell, the money of the sales
# withheld, the platform down for them. "Como desativo o acesso do funcionário" is a how-to, not this.
_HOLD = r"(suspens|suspend|bloque|desativ|inativ|banid|bani|desabilit|derrubad|restring|blocked|banned|deactivated)"
_ACCOUNT = r"(minha conta|a conta|minhas contas|as contas|minha loja|a loja|meu cadastro|o cadastro|meu perfil|meu acesso|o acesso|meu cnpj|meu usuario|conta de vendedor|conta seller|my account|my store|our account|mi cuenta|mi tienda|meu numero|o numero|nosso numero)"
_MONEY = r"(valores|dinheiro|saldo|repasses?|recebiveis|pagamentos|vendas|payouts?)"
BUSINESS_STOPPED = _any(
    rf"\b{_ACCOUNT}\b.{{0,30}}\b(foi |esta |ta |estao |foram |continua |segue |ficou |sendo )?{_HOLD}\w*",
    rf"\b{_HOLD}\w*\b.{{0,12}}\b{_ACCOUNT}\b",
    r"\b(conta|loja|cadastro) (suspens|bloquead|desativad|inativ)\w*",
    r"\bnao (consigo|posso|estou conseguindo|esta dando para|da para|consigo mais|posso mais) (mais )?vender\b",
    r"\b(sem|impedid\w* de|proibid\w* de) (poder )?vender\b",
    r"\bnao (vendo|vendi|vendemos) nada\b",
    r"\b(cannot|can ?not|can't|unable to) sell\b",
    r"\bno (puedo|podemos) vender\b",
    r"\b(loja|negocio|vendas|empresa|operacao)\b.{0,20}\bparad[oa]s?\b",
    r"\b(estou|to|estamos|ficamos|fiquei) parad[oa]s?\b",
    rf"\b(retencao|retid|retem|reteve|reter|bloquei|congel|travad|segurando|segurad)\w*\b.{{0,40}}\b{_MONEY}\b",
    rf"\b{_MONEY}\b.{{0,40}}\b(retid|bloquead|travad|congelad|segurad|nao (cai|caiu|foi liberad|liberad))\w*",
    r"\b(fora do ar|nao abre|caiu)\b.{0,30}\bso (para|pra) mim\b",
    r"\b(perdendo|perco) (venda|vendas|clientes)\b.{0,20}\b(agora|hoje)\b",
)
PAYOUTS = Family(rf"\b{_MONEY}\b")
NOT_BUSINESS_STOPPED = _any(
    r"\bcomo (eu )?(desativ|bloque|suspend|encerr|inativ)",
    r"\b(desativ|bloque|remov|tir)\w* (o |a )?acesso (d|de|da|do|dela|dele)",
)
STOPPED = Unless(BUSINESS_STOPPED, NOT_BUSINESS_STOPPED)

# The customer says in so many words that they are outraged ("estou indignado", "venho manifestar minha
# profunda insatisfação"): the playbook's anger, however politely put. Not one negative word, and not the
# customer's own client ("minha cliente está revoltada" is a request for help with that client).
ANGER_STATED = _any(
    r"\bindignad",
    r"\bindignacao\b",
    r"\b(estou|to|fiquei|estamos|ficamos|fico|me sinto|sinto me)\b (muito |extremamente |totalmente |completamente |super )?"
    r"(revoltad|furios|irritad|puto|puta)\w*",
    r"\b(profunda|total|extrema|enorme|imensa) (insatisfacao|indignacao|descontentamento|revolta)\b",
    r"\b(i am|i'm) (so |very |extremely )?(furious|outraged|livid)\b",
    r"\b(estoy) (muy )?(indignad|furios|harto|harta)\w*",
)
ANGER_OF_OTHERS = _any(
    r"\b(cliente|clientes|compradora?|compradores|customer|customers|cliente dela|cliente dele)\b.{0,25}"
    r"\b(indignad|revoltad|furios|irritad|outraged|furious)",
)

# ---------------------------------------------------------------- sentiment (0 furious, 0.5 neutral, 1 delighted)

SENTIMENT = _weighted(
    [
        (r"\bpessim", -0.5),
        (r"\blixo\b", -0.5),
        (r"\bincompetent", -0.5),
        (r"\babsurd", -0.4),
        (r"\bridicul", -0.4),
        (r"\bvergonh", -0.4),
        (r"\bpalhacada", -0.5),
        (r"\bhorrivel", -0.4),
        (r"\bdecepciona", -0.35),
        (r"\braiva\b", -0.4),
        (r"\bdescaso", -0.4),
        (r"\bporcaria", -0.5),
        (r"\bmerda\b", -0.6),
        (r"\bodeio\b", -0.5),
        (r"\bcansei\b", -0.3),
        (r"\binsatisfeit", -0.35),
        (r"\brevoltad", -0.5),
        (r"\binaceitavel", -0.4),
        (r"\benganad", -0.4),
        (r"\broubo\b", -0.5),
        (r"\bladr(ao|oes)\b", -0.5),
        (r"\bfalar mal\b", -0.3),
        (r"\breclame aqui\b", -0.3),
        (r"\bnunca mais\b", -0.2),
        (r"\bninguem (me |nos )?(resolve|responde|ajuda|atende|retorna)", -0.3),
        (r"\bnada funciona\b", -0.3),
        (r"\bpior\b", -0.3),
        (r"\bvou cancelar\b", -0.15),
        (r"\bprejuizo", -0.25),
        (r"\bfrustrad", -0.3),
        (r"\birritad", -0.35),
        (r"\bchatead", -0.2),
        (r"\bdesrespeit|\bfalta de respeito", -0.4),
        (r"\bdescaso\b", -0.4),
        (r"\bsacanagem", -0.5),
        (r"\bpalhac", -0.4),
        (r"\bgolpistas?\b", -0.5),
        (r"\benrolac", -0.3),
        (r"\benrola(ndo|m)\b", -0.3),
        (r"\bfarsa\b", -0.4),
        (r"\bterceira vez\b|\bja (mandei|enviei|pedi) \d+ (vezes|mensagens|emails)", -0.15),
        (r"\bde novo\b", -0.05),
        (r"\bdemais\b", -0.05),
        (r"\bterrible\b", -0.45),
        (r"\bawful\b", -0.45),
        (r"\buseless\b", -0.45),
        (r"\bworst\b", -0.45),
        (r"\bridiculous\b", -0.4),
        (r"\bunacceptable\b", -0.4),
        (r"\bangry\b", -0.4),
        (r"\bobrigad", 0.3),
        (r"\botim", 0.25),
        (r"\bexcelente", 0.35),
        (r"\bador(o|ei|amos)\b", 0.3),
        (r"\bparabens\b", 0.3),
        (r"\bperfeit", 0.3),
        (r"\bresolveu\b", 0.2),
        (r"\bmaravilh", 0.3),
        (r"\bvaleu\b", 0.2),
        (r"\bamei\b", 0.3),
        (r"\bincrivel\b", 0.3),
        (r"\bthank", 0.3),
        (r"\bgreat\b", 0.25),
    ]
)
INTENSIFIER = Family(r"\b(muito|muita|super|extremamente|totalmente|completamente)\b")

# ---------------------------------------------------------------- categories

CATEGORY_WEIGHTS: dict[str, list[Weighted]] = {
    "billing": _weighted(
        [
            (r"\bcobr", 2.0),
            (r"\bfatura", 2.0),
            (r"\bboleto", 2.5),
            (r"\bpix\b", 2.5),
            (r"\bcartao", 1.5),
            (r"\bcartao de credito", 1.5),
            (r"\bparcel", 2.0),
            (r"\banuidade", 2.0),
            (r"\bpagamento", 1.0),
            (r"\bpag(ar|o|uei|amento)\b", 1.0),
            (r"\bplanos?\b", 1.5),
            (r"\bupgrade", 2.0),
            (r"\bdowngrade", 2.0),
            (r"\bassinatura", 2.5),
            (r"\bmensalidade", 2.5),
            (r"\bnota fiscal", 3.0),
            (r"\bnf ?e?\b", 2.0),
            (r"\bpreco", 2.0),
            (r"\bquanto custa", 2.5),
            (r"\bcusta\b", 1.5),
            (r"\bvalor", 1.0),
            (r"\bdesconto", 1.5),
            (r"\bcupom", 1.5),
            (r"\breembols", 2.0),
            (r"\bestorn", 2.0),
            (r"\bcancel", 1.0),
            (r"\breais\b", 1.0),
            (r"\bmensal\b|\banual\b", 1.0),
            (r"\brenova", 1.5),
            (r"\bvenc(eu|imento|ido)", 1.5),
            (r"\btrial\b|\bperiodo de teste|\bgratis\b", 1.0),
            (r"\blimites? do plano", 1.5),
            (r"\bbilling\b", 3.0),
            (r"\binvoice", 3.0),
            (r"\bpayment", 2.0),
            (r"\bprice", 2.0),
            (r"\bsubscription", 2.5),
            (r"\bcharged?\b", 2.0),
            (r"\brefund", 2.0),
            (r"\bhow much\b|\bper month\b|\bmonthly\b|\byearly\b|\bplans?\b", 1.5),
            (r"\bfactura|\bprecio|\bcuanto cuesta|\bsuscripcion|\btarjeta\b|\bcobr(o|aron|an)\b", 2.0),
        ]
    ),
    "technical": _weighted(
        [
            (r"\bintegra", 2.0),
            (r"\bconect", 2.0),
            (r"\bdesconect", 2.0),
            (r"\bwhatsapp\b", 1.5),
            (r"\binstagram\b", 1.5),
            (r"\bfacebook\b", 1.0),
            (r"\bqr ?code\b|\bqrcode\b", 2.0),
            (r"\bapi\b", 1.0),
            (r"\bwebhook", 2.0),
            (r"\blent(o|a|idao)\b", 2.0),
            (r"\bdemor", 2.0),
            (r"\bfora do ar\b", 3.0),
            (r"\bnao carrega", 2.0),
            (r"\bnao abre\b", 1.5),
            (r"\b(ia|inteligencia artificial)\b", 1.5),
            (r"\bchatbot|\brobo\b|\bbot\b", 1.5),
            (r"\bnuvemshop|\bshopify|\bwoocommerce|\bmercado ?livre|\bifood|\bhotmart|\btray\b", 1.5),
            (r"\bsincroniz", 2.0),
            (r"\btoken\b", 1.0),
            (r"\bcomo (conecto|integro|vinculo|ligo)\b", 2.0),
            (r"\brecuper", 1.5),
            (r"\b(apaguei|exclui|deletei) sem querer", 2.0),
            (r"\bsistema\b", 2.0),
            (r"\bgenerico|\bgenericos|\bqualidade (do|dos|da) (conteudo|post|texto)", 1.5),
            (r"\b(posts?|conteudos?|textos?|legendas?) .{0,20}\b(ruins?|fracos?|genericos?|estranhos?)", 1.5),
            (r"\bgerando\b|\bgera\b", 1.0),
            (r"\bidioma|\bespanhol|\bingles\b", 1.0),
            (r"\b(entrou|acessou|invadiu|logou)\b", 1.0),
            (r"\bdominio\b|\bdns\b|\bpixel\b", 1.5),
            (r"\bnotificac", 1.0),
            (r"\bnao (recebo|chegam|chega) (as )?mensagens", 1.5),
            (r"\bconnect", 2.0),
            (r"\bintegration", 2.0),
            (r"\bslow\b", 2.0),
            (r"\bcan ?t (log ?in|sign in|access)|\bcannot (log ?in|sign in|access)|\blocked out\b", 2.5),
            (r"\bno puedo (entrar|acceder|iniciar sesion)|\bcontrasena\b|\blento\b|\bse desconect", 2.0),
            (r"\bdown\b", 1.5),
        ]
    ),
    "bug_report": _weighted(
        [
            (r"\berros?\b", 2.5),
            (r"\bbug", 3.0),
            (
                r"\bno (se )?guarda|\bse borra|\bsale (un )?error|\bno funciona el boton|\bwon t save|\bdoesn t save",
                2.5,
            ),
            (r"\bnao funciona", 2.0),
            (r"\bnao faz nada", 2.5),
            (
                r"\bpar(ou|aram) de (funcionar|disparar|enviar|sincronizar|responder|aparecer|publicar|chegar)",
                2.5,
            ),
            (r"\btrav(a|ou|ando|ada)\b", 2.0),
            (r"\bquebr", 2.0),
            (r"\bfalh(a|ou|ando)\b", 1.5),
            (r"\bnao (foi|foram) (enviad|entregu|disparad|publicad)", 2.5),
            (r"\bnao (esta|estao) (enviando|salvando|aparecendo|funcionando|disparando|publicando)", 2.0),
            (r"\bsum(iu|iram)\b", 2.0),
            (r"\bdesaparec", 2.0),
            (r"\bbotao\b", 1.0),
            (r"\bpagina\b", 0.5),
            (r"\btela (branca|preta)\b", 2.0),
            (r"\bsafari\b|\bchrome\b|\bfirefox\b|\bedge\b", 1.0),
            (r"\bnao salva", 2.0),
            (r"\bem branco\b", 1.5),
            (r"\bduplic(ou|ando|adas|ados)\b", 1.0),
            (r"\b(500|404|502|503)\b", 1.0),
            (r"\bexport", 0.5),
            (r"\bcarregando infinito|\bfica carregando", 1.5),
            (r"\b(apareceram|aparecem|apareceu)\b.{0,40}\b(outra|outro) (empresa|conta|cliente)", 3.0),
            (r"\bbroken\b|\bcrash", 2.5),
            (r"\berror\b", 2.5),
            (r"\bdoesn t work|\bnot working", 2.0),
        ]
    ),
    "onboarding": _weighted(
        [
            (r"\bcadastr", 2.5),
            (r"\bprimeiro acesso", 3.0),
            (r"\bcome(car|co|cando)\b", 2.0),
            (r"\bprimeiros passos", 3.0),
            (r"\btutorial", 2.5),
            (r"\bpasso a passo", 2.0),
            (
                r"\bcomo (faco|crio|uso|configuro|adiciono|cadastro|coloco|mudo|altero|troco|ativo|convido|edito)\b",
                1.0,
            ),
            (r"\bnao consigo (entrar|acessar|login|fazer login|logar)", 2.5),
            (r"\blogin\b", 2.0),
            (r"\bentrar na (plataforma|conta)", 2.0),
            (r"\bsenha\b", 2.0),
            (r"\bconfirma(cao|r) (do |de |o )?email", 2.5),
            (r"\blink de (confirmacao|ativacao|acesso)", 2.5),
            (r"\bativ(ar|acao) (da |a |minha )?conta", 2.0),
            (
                r"\b(adicion|convid|inclu|cadastr|colocar)\w* .{0,25}\b(usuario|membro|equipe|colaborador|funcionario|atendente|soci[oa]|vendedor|gerente|pessoa)",
                2.5,
            ),
            (
                r"\bonde (fica|encontro|configuro|vejo|acho|mudo|altero|troco|edito|coloco|cadastro|adiciono)\b",
                1.5,
            ),
            (r"\bperfil\b", 1.0),
            (r"\bdepartamento", 1.5),
            (r"\b(remov|tir|exclu|desativ|bloque)\w* (o |a )?acesso (d|de|da|do|dela|dele)", 2.5),
            (r"\bfuncionari|\bcolaborador", 1.0),
            (r"\bperfil (do|da) (negocio|empresa)", 1.5),
            (r"\bprimeira (campanha|vez)", 2.0),
            (r"\bcriar (a |uma |minha )?conta", 2.0),
            (r"\bverifica\w* (o |do |de )?email", 2.0),
            (r"\bconfigura(r|cao) (a |da |minha )?conta", 1.5),
            (r"\bcriar (a |minha |uma )?primeira", 2.0),
            (r"\bsign ?up\b|\bonboarding\b|\bget started\b|\blog in\b|\bpassword\b", 2.5),
            (r"\bhow (do|can) i (set ?up|connect|add|create|start)|\bset ?up\b", 2.5),
            (r"\bcrear (una |mi )?cuenta|\bregistrarme|\bcomo (configuro|conecto|agrego|empiezo)\b", 2.5),
        ]
    ),
    "feature_request": _weighted(
        [
            (r"\bsugest|\bsugerir|\bsugiro", 3.0),
            (
                r"\bcould you add|\bit would help if|\bseria (bueno|genial|util) (que|si|poder|tener)|\bpodrian (agregar|anadir)",
                3.0,
            ),
            (
                r"\bseria (otimo|bom|legal|interessante|util|incrivel|bacana) (se|poder|ter|ver|conseguir)",
                3.5,
            ),
            (r"\bgostaria que (tivesse|voces|a plataforma|o sistema|existisse)", 2.5),
            (r"\bpoderiam (adicionar|criar|ter|colocar|incluir|fazer)", 3.0),
            (r"\bvoces (tem|teriam|vao ter|pretendem|planejam|oferecem)\b", 1.5),
            (r"\btem previsao", 2.0),
            (r"\bfalta (uma|um|a opcao|opcao)", 1.5),
            (r"\bmodo escuro|\bdark mode|\btema escuro", 2.0),
            (r"\bnova (funcionalidade|funcao|opcao)|\bnovo recurso", 2.0),
            (r"\bintegracao com\b", 1.0),
            (r"\bapi publica", 2.0),
            (r"\broadmap", 2.0),
            (r"\bqueria poder\b|\bseria possivel ter", 2.0),
            (
                r"\b(queria|gostaria) que (o sistema |a plataforma |voces |o app )?(tivesse|tivessem|tenha|fizesse)",
                2.5,
            ),
            (r"\bvai ter\b|\bvao lancar", 1.5),
            (r"\bwould be (nice|great)|\bfeature request|\bplease add", 3.0),
        ]
    ),
    "general_inquiry": _weighted(
        [
            (r"^ (oi|ola|bom dia|boa tarde|boa noite|hello|hi|hey)\b", 0.5),
            (r"\bfuncionam\b|\bhorario|\batendimento (no|aos|de) (sabado|domingo|feriado)", 2.5),
            (r"\b(sabado|domingo|feriado)\b", 1.0),
            (r"\bobrigad|\bvaleu\b|\bresolveu\b|\bthank", 2.0),
            (r"\btelefone\b|\bendereco\b|\bcnpj de voces", 1.0),
            (r"\bservico\b|\batendimento\b|\bsuporte\b", 1.0),
            (r"\bgolpe\b|\bphishing\b|\bscam\b", 2.5),
            (r"\bsao confiaveis|\bempresa de voces", 1.0),
        ]
    ),
}

# A brand-new account: its access problems are onboarding, an existing account's are technical.
NEW_ACCOUNT = _any(
    r"\b(me )?cadastrei (ontem|hoje|agora|agorinha|semana passada)",
    r"\bacabei de (me cadastrar|criar|fazer (o |meu )?cadastro|abrir (a |minha )?conta)",
    r"\b(criei|abri|fiz) (a |minha |uma )?(conta|cadastro) (ontem|hoje|agora|semana passada)",
    r"\bconta (nova|recem criada)\b",
    r"\bprimeiro acesso\b",
    r"\bnao consigo (me cadastrar|criar (a |minha |uma )?conta|concluir o cadastro|terminar o cadastro)",
)

# Setting something up, asked as a how-to with no problem reported: getting started (onboarding).
HOW_TO_SET_UP = _any(
    r"\bcomo (eu )?(faco|faz|consigo|posso|devo)? ?(para |pra )?(conectar|integrar|vincular|ligar|configurar)\b",
    r"\bcomo (conecto|integro|vinculo|configuro)\b",
    r"\besqueci (a |minha |meu )?(senha|login)\b.{0,30}\bcomo\b",
    r"\bhow (do|can) i (connect|link|set up|reset)\b",
)

INTEGRATION_CONTEXT = _any(r"\bintegra", r"\btoken\b", r"\bapi\b", r"\bwebhook", r"\bsincroniz")
PROBLEM_REPORTED = _any(
    r"\bnao (aparece|funciona|carrega|conecta|chega|abre|consigo)\b",
    r"\berro",
    r"\bparou\b",
    r"\bdesconect",
    r"\bfalh",
    r"\btrav",
)

# ---------------------------------------------------------------- urgency, complexity and tier signals

OUTAGE = _any(
    r"\bfora do ar\b",
    r"\bnao carrega nada\b",
    r"\bnada carrega\b",
    r"\bparou tudo\b",
    r"\btudo parado\b",
    r"\bninguem consegue\b",
    r"\btodos os (meus )?clientes\b.{0,30}\bnao",
    r"\bsistema caiu\b",
    r"\bcaiu\b",
    r"\bis down\b",
    r"\boutage\b",
)
BROAD_LOSS = _any(r"\btodos\b", r"\btodas\b", r"\btudo\b", r"\bnada\b", r"\binteir", r"\ball\b")
IMPACT = _any(
    r"\bpagamento",
    r"\bvendas?\b",
    r"\bclientes\b",
    r"\bnao (foi|foram) (enviad|entregu|disparad)",
    r"\burgente",
    r"\bparad[oa]\b",
    r"\bprejuizo",
    r"\bhoje\b",
    r"\bproducao\b",
    r"\bagora\b",
    r"\burgent",
)
PROBLEM = _any(
    r"\bnao (consigo|aparece|chegou|chega|funciona|carrega|recebi|recebo|entra|abre|salva)",
    r"\berro",
    r"\bproblema",
    r"\bdesconect",
    r"\bdemor",
    r"\bvenc",
    r"\bcontinuo\b",
    r"\bcancel",
    r"\bsum",
    r"\bde novo\b",
    r"\bnovamente\b",
    r"\bfalh",
    r"\bparou\b",
    r"\btrav",
    r"\bcan t\b|\bcannot\b",
    r"\bnao reconhe",
    r"\bperdi\b",
    r"\bapaguei\b",
    r"\bsenha\b",
)
COMPLEX_INTEGRATION = _any(
    r"\bapi\b",
    r"\bwebhook",
    r"\berp\b",
    r"\bcrm\b",
    r"\bzapier|\bmake\.com|\bn8n\b",
    r"\bintegra\w* .{0,30}\b(personaliz|propri|custom)",
    r"\bsso\b|\bsaml\b",
    r"\bmigra(r|cao)\b",
    r"\bvarias integrac",
    r"\bendpoint",
)
AI_BEHAVIOUR = _any(
    r"\b(ia|inteligencia artificial|chatbot|robo|bot)\b.{0,60}\b(errad|invent|ofens|estranh|mentir|alucin|respond\w* (errado|mal)|grosse)",
    r"\b(ia|chatbot|robo|bot)\b.{0,40}\b(espanhol|ingles|outro idioma|outra lingua)",
)
PERFORMANCE = _any(
    r"\blent(o|a|idao)\b", r"\bdemor", r"\bfora do ar\b", r"\bnao carrega", r"\btimeout", r"\bslow\b"
)
BUG_CONFIRMED = _any(
    r"\berro \d{3}\b", r"\bbug\b", r"\btodos os (usuarios|clientes)\b", r"\bem (todos|varios) os navegadores"
)
ERROR_REPORT = _any(
    r"\berros?\b", r"\bbug", r"\btrav(a|ou|ando)\b", r"\bnao funciona", r"\berror\b", r"\bcrash"
)
INJECTION = _any(
    r"\bignor\w* (as |todas as |suas |tuas |essas |estas )?(instruc|regras|orientac|ordens)",
    r"\besquec\w* (as |todas as |suas )?(instruc|regras)",
    r"\bprompt\b",
    r"\bvoce agora e\b",
    r"\ba partir de agora voce\b",
    r"\bfinja (que|ser)\b",
    r"\bfaca de conta\b",
    r"\bmodo (desenvolvedor|dev|admin)",
    r"\bjailbreak",
    r"\b(repita|mostre|revele|diga) (suas|as|tuas) (instrucoes|regras)",
    r"\bsistema:",
    r"\bignore (all |the )?(previous|above) (instructions|rules)",
    r"\bpretend (to be|you are)\b",
    r"\byou are now\b",
    r"\bact as\b",
    r"\bdeveloper mode\b",
    r"\bsystem prompt\b",
)
OTHERS_DATA = _any(
    r"\b(passe|passa|mande|manda|envie|envia|informe|mostre|quero|preciso|diga|liste)\w*\b.{0,30}"
    r"\b(dados|telefones?|numeros?|emails?|enderecos?|cpf|conversas?|contatos?)\b.{0,30}"
    r"\b(de outr|do cliente|da cliente|de um cliente|de outros clientes|dos outros|da empresa [a-z]|do [a-z]+ da silva)",
)
