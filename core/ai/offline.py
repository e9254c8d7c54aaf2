"""The offline provider: pt-BR rules that classify, draft from the scripts or articles, and review.

It runs with no API key (a small desk can live on it) and is the last automatic step of
the fallback chain. It never fails on a text it can read, and it is honest about what it
does not know: a draft that only asks for details gets a low confidence, so it waits for
an agent instead of being sent.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from core.ai import lexicon as lx
from core.ai.normalize import language, normalize
from core.ai.schema import (
    Classification,
    ConversationSummary,
    DraftReply,
    FailureKind,
    ModelFailure,
    ModelRequest,
    ModelResult,
    QualityReview,
    Task,
)
from core.ai.scripts import GREETING_EN, GREETING_PT, THANKS_EN, THANKS_PT, category_reply
from core.ai.summary import extractive

PROVIDER = "offline"
MODEL = "offline-rules"

_GREETING = re.compile(
    r"^ ((oi|ola|opa|eai|e ai|bom dia|boa tarde|boa noite|hello|hi|hey|tudo bem|tudo bom|td bem|alo)\b ?)+$"
)
_THANKS = re.compile(r"\b(obrigad|valeu|resolveu|resolvido|deu certo|funcionou|thanks|thank you)\b")
_CAPS_WORD = re.compile(r"\b[A-ZÀ-Ý]{4,}\b")


def sentiment(text: str, normalized: str | None = None) -> float:
    """0 furious .. 0.5 neutral .. 1 delighted, from the lexicon, intensifiers, shouting and "!!!"."""
    norm = normalized if normalized is not None else normalize(text)
    score = sum(weight for pattern, weight in lx.SENTIMENT if pattern.search(norm))
    if score < 0:
        if lx.INTENSIFIER.search(norm):
            score *= 1.2
        if "!!" in text or _CAPS_WORD.search(text):
            score -= 0.1
    return round(min(max(0.5 + score, 0.0), 1.0), 2)


def immediate_reason(normalized: str, mood: float) -> str | None:
    """The playbook's reason for an immediate human, most serious first; None when the AI may go on."""
    if lx.SECURITY.search(normalized) or lx.OTHERS_DATA.search(normalized):
        return "security_concern"
    if (
        lx.LOSS.search(normalized)
        and lx.DATA_OBJECT.search(normalized)
        and not lx.NOT_DATA_LOSS.search(normalized)
    ):
        return "data_loss_reported"
    if business_stopped(normalized):
        return "business_stopped"
    if lx.REFUND.search(normalized) or (lx.DISPUTE.search(normalized) and lx.CHARGE.search(normalized)):
        return "billing_dispute"
    if lx.LEGAL.search(normalized) or lx.ERASURE.search(normalized):
        return "legal_compliance_question"
    if mood < 0.3:
        return "angry_customer_sentiment"
    return None


def business_stopped(normalized: str) -> bool:
    """The customer cannot operate: account or store suspended or blocked, no sales, payouts withheld."""
    return bool(lx.BUSINESS_STOPPED.search(normalized)) and not lx.NOT_BUSINESS_STOPPED.search(normalized)


def erasure_request(text: str) -> bool:
    """The customer asks to have their personal data erased or no longer kept (an LGPD request)."""
    return bool(lx.ERASURE.search(normalize(text)))


def _category_scores(normalized: str, reason: str | None) -> dict[str, float]:
    scores = {
        category: sum(weight for pattern, weight in patterns if pattern.search(normalized))
        for category, patterns in lx.CATEGORY_WEIGHTS.items()
    }
    if reason == "legal_compliance_question":
        scores["general_inquiry"] += 4.0
    elif reason == "security_concern":
        if lx.EXPOSURE.search(normalized):
            scores["bug_report"] += 3.0
        elif lx.SCAM.search(normalized):
            scores["general_inquiry"] += 3.0
        else:
            scores["technical"] += 3.0
    elif reason == "billing_dispute":
        scores["billing"] += 3.0
    elif reason == "data_loss_reported":
        # lost by the customer's own hand is a how-to-recover question; vanished by itself, a bug
        scores["technical" if "sem querer" in normalized else "bug_report"] += 2.0
    elif reason == "business_stopped":
        # payouts withheld are a money matter; a suspended account or a store that cannot sell, the platform's
        scores["billing" if lx.PAYOUTS.search(normalized) else "technical"] += 3.0
    elif reason == "angry_customer_sentiment":
        scores["general_inquiry"] += 1.5  # a complaint about the service, unless it names what broke
    if lx.ERROR_REPORT.search(normalized):
        scores["bug_report"] += 3.0  # an error on a billing or login page is still a bug report
    if lx.AI_BEHAVIOUR.search(normalized):
        scores["technical"] += 2.0
    return scores


def _urgency(normalized: str, category: str, reason: str | None, mood: float) -> str:
    if reason == "business_stopped":
        return "critical"
    if reason == "data_loss_reported":
        return "critical" if lx.BROAD_LOSS.search(normalized) else "high"
    if reason == "security_concern":
        return (
            "critical" if lx.SECURITY_BREACH.search(normalized) and not lx.SCAM.search(normalized) else "high"
        )
    if lx.OUTAGE.search(normalized):
        return "critical"
    if reason in ("billing_dispute", "angry_customer_sentiment"):
        return "high"
    if reason == "legal_compliance_question":
        return "high" if lx.LEGAL_THREAT.search(normalized) else "medium"
    if category == "feature_request":
        return "low"
    if category == "bug_report":
        return "high" if lx.IMPACT.search(normalized) else "medium"
    if lx.PROBLEM.search(normalized) or mood < 0.4:
        return "medium"
    return "low"


def _signals(normalized: str, category: str, reason: str | None) -> list[str]:
    found = []
    if category in ("technical", "bug_report") and lx.COMPLEX_INTEGRATION.search(normalized):
        found.append("complex_integration_issue")
    if lx.AI_BEHAVIOUR.search(normalized):
        found.append("ai_model_behavior_concern")
    if category == "bug_report" and lx.BUG_CONFIRMED.search(normalized):
        found.append("platform_bug_confirmed")
    if category == "feature_request":
        found.append("feature_request_evaluation")
    if reason == "data_loss_reported" or "recuper" in normalized:
        found.append("data_recovery_needed")
    if lx.PERFORMANCE.search(normalized):
        found.append("system_performance_issue")
    return found


def classify(text: str) -> Classification:
    """Triage one message with the rules (the playbook's schema, sentiment and language included)."""
    normalized = normalize(text)
    mood = sentiment(text, normalized)
    reason = immediate_reason(normalized, mood)
    scores = _category_scores(normalized, reason)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (category, best), (_, second) = ranked[0], ranked[1]
    if best < 1.0:
        category = "general_inquiry"
    urgency = _urgency(normalized, category, reason, mood)
    signals = _signals(normalized, category, reason)
    if "complex_integration_issue" in signals or len(text) > 500:
        complexity = "complex"
    elif urgency in ("medium", "high", "critical"):
        complexity = "moderate"
    else:
        complexity = "simple"
    greeting_or_thanks = bool(_GREETING.match(normalized)) or _is_thanks(normalized)
    if best < 1.0:
        confidence = 0.85 if greeting_or_thanks else 0.4
    else:
        confidence = min(0.95, 0.55 + 0.05 * best + 0.08 * (best - second))
    return Classification(
        category=category,  # type: ignore[arg-type]
        urgency=urgency,  # type: ignore[arg-type]
        complexity=complexity,  # type: ignore[arg-type]
        estimated_resolution_time={"simple": "minutes", "moderate": "hours", "complex": "days"}[complexity],  # type: ignore[arg-type]
        requires_human=reason is not None,
        suggested_response_type=_response_type(category, reason),  # type: ignore[arg-type]
        sentiment=mood,
        language=language(text),
        escalation_reason=reason,  # type: ignore[arg-type]
        signals=signals,  # type: ignore[arg-type]
        confidence=round(confidence, 2),
    )


def _response_type(category: str, reason: str | None) -> str:
    if reason is not None:
        return "escalation"
    if category in ("onboarding", "technical", "bug_report"):
        return "step_by_step"
    return "explanation"


def _is_thanks(normalized: str) -> bool:
    return bool(_THANKS.search(normalized)) and len(normalized.split()) <= 8


def draft(request: ModelRequest) -> DraftReply:
    """A reply grounded in what the pipeline found: an article, a playbook script, or the safe answer."""
    subject = request.subject
    normalized = normalize(subject.text)
    english = subject.language == "en"
    if _GREETING.match(normalized):
        return DraftReply(text=GREETING_EN if english else GREETING_PT)
    if _is_thanks(normalized):
        return DraftReply(text=THANKS_EN if english else THANKS_PT)
    if subject.sources:
        best = subject.sources[0]
        lead = (
            "Here is what our help centre says:" if english else "Encontrei isto na nossa central de ajuda:"
        )
        link = f"\n\n{best.url}" if best.url else ""
        return DraftReply(text=f"{lead} *{best.title}*\n\n{_excerpt(best.body)}{link}")
    if subject.script:
        return DraftReply(text=subject.script)
    category = subject.classification.category if subject.classification else "general_inquiry"
    return DraftReply(text=category_reply(category, subject.language))


def _excerpt(body: str, limit: int = 1500) -> str:
    """An article as WhatsApp shows it (``*bold*``), cut at a paragraph when it is long."""
    text = body.strip().replace("**", "*")
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip()


def review(request: ModelRequest) -> QualityReview:
    """How far the draft can be trusted: grounded answers high, questions back to the customer low."""
    subject = request.subject
    normalized = normalize(subject.text)
    answer = subject.draft or ""
    if _GREETING.match(normalized) or _is_thanks(normalized):
        return QualityReview(
            confidence=0.9, likely_resolved=_is_thanks(normalized), suggest_human_followup=False
        )
    if subject.sources and subject.sources[0].title in answer:
        return QualityReview(confidence=0.85, likely_resolved=True, suggest_human_followup=False)
    if subject.script and subject.script[:40] in answer:
        return QualityReview(confidence=0.8, likely_resolved=True, suggest_human_followup=False)
    return QualityReview(confidence=0.55, likely_resolved=False, suggest_human_followup=True)


class OfflineModel:
    """Implements :class:`core.ports.LanguageModel` with the rules above (no network, no cost)."""

    provider = PROVIDER
    model = MODEL

    async def generate(self, request: ModelRequest) -> ModelResult:
        answer: BaseModel
        match request.task:
            case Task.CLASSIFY:
                answer = classify(request.subject.text)
            case Task.DRAFT:
                answer = draft(request)
            case Task.REVIEW:
                answer = review(request)
            case Task.SUMMARIZE:
                answer = ConversationSummary(summary=extractive(request.subject.text.splitlines()) or "-")
            case _:
                raise ModelFailure(FailureKind.UNSUPPORTED, "the offline provider cannot hear audio")
        text = answer.model_dump_json()
        return ModelResult(text=text, prompt_tokens=0, completion_tokens=0)
