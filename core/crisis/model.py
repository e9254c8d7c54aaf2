"""A crisis, its scenario and the audience it reaches (values only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.broadcast.model import Preview


class CrisisStatus(StrEnum):
    """Where a crisis stands, as the status updates say it (pt-BR, as agents and customers read it)."""

    INVESTIGATING = "investigando"
    IDENTIFIED = "identificado"
    MONITORING = "monitorando"
    RESOLVED = "resolvido"


class Severity(StrEnum):
    """How bad it is."""

    CRITICAL = "critica"
    HIGH = "alta"
    MEDIUM = "media"
    LOW = "baixa"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of crisis and what it calls for."""

    key: str
    response_minutes: int
    """0: immediate."""
    stakeholders: tuple[str, ...]
    suspend_sla: bool = False


class AudienceKind(StrEnum):
    """The audiences the crisis modal offers."""

    ALL = "all"
    PLAN = "plan"
    ACTIVE = "active"
    CATEGORY = "category"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Audience:
    """An audience as chosen; only the fields its kind uses matter."""

    kind: AudienceKind
    plan: str = ""
    days: int = 0
    category: str = ""
    hours: int = 0
    phones: tuple[str, ...] = field(default_factory=tuple)
    """Canonical WhatsApp addresses (a pasted list)."""


@dataclass(frozen=True, slots=True)
class CrisisDraft:
    """What the supervisor filled in, checked, before confirmation."""

    scenario: str
    severity: Severity
    description: str
    audience: Audience
    message: str
    template: str

    @property
    def text(self) -> str:
        """The customer message with the description in place."""
        return message_for(self.message, self.description)


@dataclass(frozen=True, slots=True)
class Crisis:
    """A declared crisis."""

    id: str
    scenario: str
    severity: Severity
    description: str
    audience: str
    template: str
    status: CrisisStatus
    sla_suspended: bool
    thread_ref: str | None
    declared_by: str
    declared_at: datetime
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AudiencePreview:
    """Who a draft reaches and what the engine would do with them."""

    customer_ids: list[int]
    unknown_phones: int
    preview: Preview


DESCRIPTION_MARK = "{descricao}"


def message_for(template: str, description: str) -> str:
    """The customer message with the description in place."""
    return template.replace(DESCRIPTION_MARK, description.strip())
