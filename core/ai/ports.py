"""What the AI core needs from outside: its records in storage, and a language model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.ai.model import DraftRecord, ResolvedTicket, TriageHistory, TriageRecord
from core.ai.schema import CallRecord, ModelRequest, ModelResult
from core.kb.model import ArticleHit


class AiRecords(Protocol):
    """What the AI core keeps: triages, model calls, drafts, and the history it learns from."""

    async def triage_covering(self, ticket_id: int, message_id: int) -> TriageRecord | None:
        """The AI's triage of a customer message, if it ran: its own, or that of the burst it was sent in."""
        ...

    async def record_triage(self, triage: TriageRecord) -> None:
        """Store the AI's triage of a message (once: the message id is its key)."""
        ...

    async def record_ai_call(
        self, ticket_id: int, message_id: int | None, call: CallRecord, at: datetime
    ) -> None:
        """Log one model call with its tokens, cost, latency and outcome."""
        ...

    async def add_draft(
        self,
        ticket_id: int,
        message_id: int,
        text: str,
        model: str,
        confidence: float,
        sources: Sequence[ArticleHit],
        at: datetime,
    ) -> int:
        """Store a draft waiting for an agent; returns its id."""
        ...

    async def get_draft(self, draft_id: int) -> DraftRecord | None:
        """A draft by id."""
        ...

    async def save_draft(self, draft: DraftRecord) -> None:
        """Persist a draft's state, decision and desk ref."""
        ...

    async def resolved_tickets(self, limit: int) -> list[ResolvedTicket]:
        """The latest resolved tickets, newest first, as ``atende ai train`` learns from them."""
        ...

    async def triage_history(self, customer_id: int, ticket_id: int, since: datetime) -> TriageHistory:
        """When the customer was first seen, the categories of their triaged messages since ``since``,
        and per category how many of their other tickets since then were about it."""
        ...

    async def last_event_at(self, ticket_id: int, action: str) -> datetime | None:
        """When this action was last recorded on the ticket's audit trail."""


class LanguageModel(Protocol):
    """A model the AI core asks to transcribe, classify, draft or review (Gemini, OpenAI, offline rules).

    ``generate`` returns the raw answer and its token counts, or raises
    :class:`core.ai.schema.ModelFailure` saying why it could not (timeout, HTTP error,
    malformed or empty answer, audio it cannot hear); the core validates the answer
    against ``request.schema`` itself.
    """

    provider: str
    model: str

    async def generate(self, request: ModelRequest) -> ModelResult:
        """Answer one request."""
