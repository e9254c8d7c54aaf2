"""The playbook's SupportEscalationEngine: when a person must step in now, and which tier a ticket needs.

Immediate human escalation: billing_dispute, data_loss_reported, security_concern,
legal_compliance_question, angry_customer_sentiment (sentiment < 0.3), and business_stopped
(the desk's own decision: a customer who cannot sell at all, an account suspended or
blocked, payouts withheld, the platform down for them, is critical). Tier 2: complex
integration, AI model behaviour concern, more than 2 earlier interactions on the same
problem, premium plans (scale, enterprise). Tier 3: confirmed platform bug, feature
request evaluation, data recovery, performance issue, or a complexity score above 0.9
(above 0.8 is recorded as "high_complexity"). The higher tier wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.ai.schema import Classification

IMMEDIATE_REASONS = (
    "billing_dispute",
    "data_loss_reported",
    "security_concern",
    "legal_compliance_question",
    "angry_customer_sentiment",
    "business_stopped",
)
ANGRY_BELOW = 0.3
PREMIUM_PLANS = frozenset({"scale", "enterprise"})
HIGH_COMPLEXITY = 0.8
ENGINEERING_COMPLEXITY = 0.9
MAX_TIER_1_ATTEMPTS = 2

_TIER_2_SIGNALS = ("complex_integration_issue", "ai_model_behavior_concern")
_TIER_3_SIGNALS = (
    "platform_bug_confirmed",
    "feature_request_evaluation",
    "data_recovery_needed",
    "system_performance_issue",
)
_COMPLEXITY_BASE = {"simple": 0.3, "moderate": 0.6, "complex": 0.85}


@dataclass(frozen=True, slots=True)
class EscalationDecision:
    """Whether a person is needed now (and why), the tier the ticket belongs to, and the factors seen."""

    immediate_reason: str | None
    tier: int
    tier_reason: str | None
    complexity_score: float
    factors: tuple[str, ...] = field(default=())

    @property
    def requires_human(self) -> bool:
        """A person must take over now; the AI sends nothing but an honest hand-off."""
        return self.immediate_reason is not None


def complexity_score(classification: Classification) -> float:
    """0..1 from the model's complexity, nudged up by each tier signal and by critical urgency."""
    score = _COMPLEXITY_BASE[classification.complexity] + 0.03 * len(classification.signals)
    if classification.urgency == "critical":
        score += 0.05
    return round(min(score, 1.0), 2)


def decide(
    classification: Classification,
    *,
    plan: str | None,
    same_problem_interactions: int,
    extra_reason: str | None = None,
) -> EscalationDecision:
    """Apply the playbook's rules to one classified message.

    ``extra_reason`` is an immediate reason found outside the model (the deterministic
    safety net), so a model that misses a dispute or an invasion does not keep the AI in charge.
    """
    factors: list[str] = []
    reason = classification.escalation_reason or extra_reason
    if reason is None and classification.sentiment < ANGRY_BELOW:
        reason = "angry_customer_sentiment"
    if reason is None and classification.requires_human:
        reason = "model_requested_human"
    score = complexity_score(classification)
    if score > HIGH_COMPLEXITY:
        factors.append("high_complexity")

    tier, tier_reason = 1, None
    tier_2: list[str] = [signal for signal in classification.signals if signal in _TIER_2_SIGNALS]
    if (plan or "").lower() in PREMIUM_PLANS:
        tier_2.append("premium_customer_request")
    if same_problem_interactions > MAX_TIER_1_ATTEMPTS:
        tier_2.append("multiple_failed_tier_1_attempts")
    tier_3: list[str] = [signal for signal in classification.signals if signal in _TIER_3_SIGNALS]
    if score > ENGINEERING_COMPLEXITY:
        tier_3.append("engineering_consultation_needed")
    if tier_3:
        tier, tier_reason = 3, tier_3[0]
    elif tier_2:
        tier, tier_reason = 2, tier_2[0]
    factors.extend(tier_2 + tier_3)
    return EscalationDecision(reason, tier, tier_reason, score, tuple(factors))
