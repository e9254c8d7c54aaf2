"""What the knowledge base needs: an index to search, an article store, embeddings, a review board."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.kb.model import Article, ArticleHit, Candidate, ImportOutcome
from core.tickets.model import (
    Message,
)


class KbCandidates(Protocol):
    """Proposed help articles waiting for a person, and the questions that proposed them."""

    async def add_candidate(self, candidate: Candidate) -> Candidate | None:
        """Store a proposed article (its ``id`` is ignored); None when this ticket already has
        one of this origin."""
        ...

    async def get_candidate(self, candidate_id: int) -> Candidate | None:
        """A proposed article by id."""
        ...

    async def save_candidate(self, candidate: Candidate) -> None:
        """Persist a proposal's changed fields (text, state, decision, review post)."""
        ...

    async def faq_proposed_since(self, question_key: str, since: datetime) -> bool:
        """Whether a frequent-question proposal with this key was made since ``since``."""
        ...

    async def first_questions_since(self, since: datetime) -> list[Message]:
        """The first customer text of every ticket opened since ``since``, oldest first."""
        ...


class KnowledgeBase(Protocol):
    """Searchable help articles that ground the AI's drafts and the agents' answers."""

    async def search(self, query: str, limit: int = 3) -> list[ArticleHit]:
        """The articles that best answer ``query``, best first (empty when nothing fits)."""
        ...


class Embedder(Protocol):
    """Turns texts into vectors whose closeness means closeness of meaning (Gemini embeddings)."""

    model: str

    async def embed(self, texts: Sequence[str], *, query: bool) -> list[list[float]]:
        """One vector per text, in order; ``query`` marks a search query rather than a document.

        Raises :class:`core.common.errors.TransientError` when the service cannot answer now.
        """
        ...


class ArticleStore(KnowledgeBase, Protocol):
    """The knowledge base as the learning loop uses it: search, read and publish articles."""

    async def get(self, slug: str) -> Article | None:
        """An article by slug."""
        ...

    async def upsert(self, article: Article, at: datetime) -> ImportOutcome:
        """Add or replace the article with this slug."""
        ...


class ReviewBoard(Protocol):
    """Where people review proposed articles (a Slack channel with Publicar / Editar / Descartar)."""

    async def post_candidate(self, candidate: Candidate) -> str:
        """Show a proposal with its buttons; returns a ref for redrawing it."""
        ...

    async def update_candidate(self, ref: str, candidate: Candidate) -> None:
        """Redraw a proposal (edited, published or discarded)."""
        ...
