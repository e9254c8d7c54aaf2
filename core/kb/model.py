"""Help articles, proposals for new ones and search hits (values only)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """A knowledge-base article found for a query, best first; ``url`` when a help centre shows it."""

    slug: str
    title: str
    category: str
    body: str
    score: float
    url: str | None = None


class ImportOutcome(StrEnum):
    """What importing one article did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Article:
    """One help article. ``source`` says where it came from (a file path, or a reviewed candidate)."""

    slug: str
    title: str
    category: str
    body: str
    source: str
    subcategory: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    estimated_time: str | None = None

    @property
    def content_hash(self) -> str:
        """Changes whenever anything a reader or the index sees changes (the source does not count)."""
        fields = [self.slug, self.title, self.category, self.subcategory, list(self.tags)]
        fields += [self.estimated_time, self.body]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


class CandidateOrigin(StrEnum):
    """Why an article was proposed."""

    CSAT = "csat"
    """A resolved ticket the customer rated above 4."""
    FAQ = "faq"
    """A question asked more than 5 times in 7 days."""
    THREAD = "thread"
    """An agent pressed **Salvar como artigo** on a resolved thread."""
    MANUAL = "manual"
    """An agent wrote it with ``/suporte kb novo``."""


class CandidateState(StrEnum):
    """A proposal waits for a person; only a person publishes or discards it."""

    PENDING = "pending"
    PUBLISHED = "published"
    DISCARDED = "discarded"


@dataclass(slots=True)
class Candidate:
    """A proposed article, shown in the review channel until someone decides."""

    id: int
    origin: CandidateOrigin
    title: str
    category: str
    body: str
    proposed_by: str
    created_at: datetime
    ticket_id: int | None = None
    question_key: str | None = None
    subcategory: str | None = None
    tags: tuple[str, ...] = ()
    estimated_time: str | None = None
    state: CandidateState = CandidateState.PENDING
    review_ref: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    slug: str | None = None

    @property
    def draft(self) -> CandidateDraft:
        """What a reviewer edits and publishes."""
        return CandidateDraft(
            self.title, self.category, self.body, self.subcategory, self.tags, self.estimated_time
        )


@dataclass(frozen=True, slots=True)
class CandidateDraft:
    """What a person (or the loop) fills in for a proposal; checked by :func:`check_draft`."""

    title: str
    category: str
    body: str
    subcategory: str | None = None
    tags: tuple[str, ...] = ()
    estimated_time: str | None = None
