"""What the models are asked for and must answer, as pydantic models the answers are validated against.

The classification follows the playbook's schema (category, urgency, complexity,
estimated resolution time, requires_human, suggested response type) plus the message's
sentiment and language, the playbook's immediate-escalation reason and the signals the
tier rules look at. A model's answer that does not fit is a failure of that model, and
the fallback chain moves on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, Field

from core.kb.model import ArticleHit
from core.tickets.model import FileData

Category = Literal["billing", "technical", "onboarding", "feature_request", "bug_report", "general_inquiry"]
Urgency = Literal["low", "medium", "high", "critical"]
Complexity = Literal["simple", "moderate", "complex"]
ResolutionTime = Literal["minutes", "hours", "days"]
ResponseType = Literal["step_by_step", "explanation", "escalation", "documentation_link"]
EscalationReason = Literal[
    "billing_dispute",
    "data_loss_reported",
    "security_concern",
    "legal_compliance_question",
    "angry_customer_sentiment",
    "business_stopped",
]
Signal = Literal[
    "complex_integration_issue",
    "ai_model_behavior_concern",
    "platform_bug_confirmed",
    "feature_request_evaluation",
    "data_recovery_needed",
    "system_performance_issue",
]

CATEGORIES: tuple[str, ...] = get_args(Category)
URGENCIES: tuple[str, ...] = get_args(Urgency)
REASONS: tuple[str, ...] = get_args(EscalationReason)


class Classification(BaseModel):
    """The triage of one customer message (temperature 0.1, validated before use)."""

    category: Category
    urgency: Urgency
    complexity: Complexity
    estimated_resolution_time: ResolutionTime
    requires_human: bool
    suggested_response_type: ResponseType
    sentiment: float = Field(ge=0.0, le=1.0, description="0 = furious, 0.5 = neutral, 1 = delighted")
    language: str = Field(min_length=2, max_length=8, description="pt-BR, en, es...")
    escalation_reason: EscalationReason | None = None
    signals: list[Signal] = Field(default_factory=list)
    # required, with no default: OpenAI's strict structured outputs refuse a schema carrying "default"
    confidence: float = Field(ge=0.0, le=1.0)


class DraftReply(BaseModel):
    """An answer to send to the customer, in the customer's language."""

    text: str = Field(min_length=1, max_length=4000)


class QualityReview(BaseModel):
    """The quality check of a draft and the resolution prediction, in one answer."""

    confidence: float = Field(ge=0.0, le=1.0)
    likely_resolved: bool
    suggest_human_followup: bool


class ConversationSummary(BaseModel):
    """A conversation summarised for the specialists who take an escalated ticket."""

    summary: str = Field(min_length=1, max_length=2000)


class Task(StrEnum):
    """The step of the pipeline a model call serves (logged with each call)."""

    TRANSCRIBE = "transcribe"
    CLASSIFY = "classify"
    DRAFT = "draft"
    REVIEW = "review"
    SUMMARIZE = "summarize"


@dataclass(frozen=True, slots=True)
class Subject:
    """The facts a request is about, kept structured beside the prompt.

    Remote models read the prompt built from these; the offline provider reads them
    directly (it has no use for prose instructions).
    """

    text: str = ""
    plan: str | None = None
    language: str = "pt-BR"
    classification: Classification | None = None
    draft: str | None = None
    sources: tuple[ArticleHit, ...] = ()
    script: str | None = None


@dataclass(frozen=True, slots=True)
class ModelRequest:
    """One call to a language model: instructions, the data (customer text fenced as data), a schema."""

    task: Task
    instructions: str
    content: str
    subject: Subject
    schema: type[BaseModel] | None = None
    temperature: float = 0.2
    max_tokens: int = 800
    audio: FileData | None = None


@dataclass(frozen=True, slots=True)
class ModelResult:
    """What a model answered (raw text) and what the call cost in tokens."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class FailureKind(StrEnum):
    """Why a model call did not produce a usable answer (each moves the chain to its next step)."""

    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"
    MALFORMED = "malformed_json"
    SCHEMA = "schema_failure"
    EMPTY = "empty"
    UNSAFE = "unsafe_output"
    UNSUPPORTED = "unsupported"
    ERROR = "error"


class ModelFailure(Exception):
    """Raised by a LanguageModel adapter (or the chain's validation) when a call is unusable."""

    def __init__(self, kind: FailureKind, detail: str = "") -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One logged model call: who answered, what it cost, how long it took and how it ended."""

    step: str
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_ms: float
    outcome: str
    detail: str = ""
    """Why a failed call failed, in the provider's words (empty when it succeeded)."""


@dataclass(slots=True)
class CallLog:
    """The calls made while handling one customer message, in order."""

    calls: list[CallRecord] = field(default_factory=list)

    @property
    def cost_usd(self) -> float:
        """Total cost of the calls so far."""
        return sum(call.cost_usd for call in self.calls)
