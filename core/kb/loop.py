"""The knowledge base's learning loop, always with a human: proposals in, people decide.

Proposals come from a resolved ticket rated above 4 (CSAT), from a question asked more
than 5 times in 7 days (FAQ), from **Salvar como artigo** on a resolved thread, and from
``/suporte kb novo``. Each is posted to the review channel with **Publicar**, **Editar**
and **Descartar**; nothing reaches the knowledge base until a person presses Publicar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from core.common.clock import Clock
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.common.journal import Journal
from core.common.ptbr_text import normalize
from core.kb import texts
from core.kb.articles import MAX_TITLE, ArticleError, check_draft, slugify
from core.kb.effects import ShowCandidate
from core.kb.model import Article, Candidate, CandidateDraft, CandidateOrigin, CandidateState
from core.kb.ports import ArticleStore, KbCandidates, ReviewBoard
from core.tickets.model import Direction, Message, TicketStatus
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Store


class KbLoopTx(Journal, Tickets, Messages, KbCandidates, Protocol):
    """What the knowledge base's review loop needs from a unit of work."""


CSAT_THRESHOLD = 4
"""A rating above this (the playbook's ``customer_satisfaction > 4.0``) proposes an article."""
FAQ_MIN_ASKED = 6
"""The playbook's "asked more than 5 times this week"."""
FAQ_WINDOW = timedelta(days=7)
CONVERSATION_LIMIT = 60
DEFAULT_CATEGORY = "getting_started"
SOURCE = "review:"
SYSTEM = "system:"
"""Authors of the desk's own messages to customers (closing line, rating survey)."""


class Refusal(StrEnum):
    """Why a reviewer's action did nothing."""

    NOT_FOUND = "not_found"
    ALREADY_DECIDED = "already_decided"
    INVALID = "invalid"
    NOTHING_TO_SAVE = "nothing_to_save"
    """The ticket is not resolved, or has no customer question and answer to make an article of."""
    ALREADY_PROPOSED = "already_proposed"


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The outcome of a review action; ``detail`` explains an INVALID refusal."""

    candidate: Candidate | None = None
    refusal: Refusal | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """The action was applied."""
        return self.refusal is None


class KnowledgeLoop:
    """Proposes, edits, publishes and discards articles; shows proposals through the review board."""

    def __init__(
        self,
        store: Store[KbLoopTx],
        articles: ArticleStore,
        board: ReviewBoard,
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._articles = articles
        self._board = board
        self._clock = clock
        self._on_commit = on_commit

    # ------------------------------------------------------------------ proposing

    async def on_csat(self, ticket_id: int, score: int) -> None:
        """The CSAT survey's good-rating hook: above 4 on a resolved ticket proposes its answer."""
        if score > CSAT_THRESHOLD:
            await self.propose_from_ticket(ticket_id, CandidateOrigin.CSAT, "csat")

    async def propose_from_ticket(self, ticket_id: int, origin: CandidateOrigin, actor: str) -> ReviewResult:
        """Draft an article from a resolved ticket's question and answers, for review.

        A ticket gives at most one proposal of each origin: pressing the button twice, or a
        second rating, changes nothing.
        """
        async with self._store.snapshot() as tx:
            ticket = await tx.get_ticket(ticket_id)
            if ticket is None or ticket.status is not TicketStatus.RESOLVED:
                return ReviewResult(refusal=Refusal.NOTHING_TO_SAVE)
            messages = await tx.recent_messages(ticket_id, CONVERSATION_LIMIT)
        question = next((m.text for m in messages if m.direction is Direction.INBOUND and m.text), None)
        answers = [m.text or "" for m in messages if _is_answer(m)]
        if not question or not answers:
            return ReviewResult(refusal=Refusal.NOTHING_TO_SAVE)
        draft = CandidateDraft(
            title=_title(question),
            category=await self._category_for(question),
            body=texts.kb_draft_from_ticket(question, answers),
        )
        candidate = await self._add(draft, origin, actor, ticket_id=ticket_id)
        if candidate is None:
            return ReviewResult(refusal=Refusal.ALREADY_PROPOSED)
        return ReviewResult(candidate=candidate)

    async def propose(self, draft: CandidateDraft, actor: str) -> ReviewResult:
        """``/suporte kb novo``: a person's own article, reviewed like any other proposal."""
        try:
            check_draft(draft)
        except ArticleError as error:
            return ReviewResult(refusal=Refusal.INVALID, detail=str(error))
        candidate = await self._add(draft, CandidateOrigin.MANUAL, actor)
        return ReviewResult(candidate=candidate)

    async def scan_questions(self) -> list[Candidate]:
        """Propose an FAQ for every question asked more than 5 times in the last 7 days.

        Questions count as the same when their wording normalises the same (case, accents,
        stopwords, stems, word order: :func:`core.common.ptbr_text.normalize`). A question already
        proposed within the window is not proposed again.
        """
        now = self._clock.now()
        since = now - FAQ_WINDOW
        async with self._store.snapshot() as tx:
            questions = await tx.first_questions_since(since)
        groups: dict[str, list[Message]] = defaultdict(list)
        for message in questions:
            key = normalize(message.text or "")
            if key:
                groups[key].append(message)
        proposed = []
        for key, asked in groups.items():
            if len(asked) < FAQ_MIN_ASKED:
                continue
            async with self._store.snapshot() as tx:
                if await tx.faq_proposed_since(key, since):
                    continue
            question = asked[-1].text or ""
            hits = await self._articles.search(question, 1)
            draft = CandidateDraft(
                title=_title(question),
                category=hits[0].category if hits else DEFAULT_CATEGORY,
                body=texts.kb_faq_draft([m.text or "" for m in asked], hits[0] if hits else None),
            )
            candidate = await self._add(draft, CandidateOrigin.FAQ, "faq", question_key=key)
            if candidate is not None:
                proposed.append(candidate)
        return proposed

    async def _category_for(self, question: str) -> str:
        hits = await self._articles.search(question, 1)
        return hits[0].category if hits else DEFAULT_CATEGORY

    async def _add(
        self,
        draft: CandidateDraft,
        origin: CandidateOrigin,
        actor: str,
        *,
        ticket_id: int | None = None,
        question_key: str | None = None,
    ) -> Candidate | None:
        now = self._clock.now()
        candidate = Candidate(
            id=0,
            origin=origin,
            proposed_by=actor,
            created_at=now,
            ticket_id=ticket_id,
            question_key=question_key,
            **asdict(draft),
        )
        async with self._store.transaction() as tx:
            stored = await tx.add_candidate(candidate)
            if stored is not None:
                await tx.add_effect(ShowCandidate(ticket_id or 0, stored.id), now)
                await tx.record_event(ticket_id, actor, "kb.proposed", now, f"{origin.value} #{stored.id}")
        if stored is not None:
            self._on_commit()
        return stored

    # ------------------------------------------------------------------ reviewing

    async def candidate(self, candidate_id: int) -> Candidate | None:
        """A proposal as it stands now."""
        async with self._store.snapshot() as tx:
            return await tx.get_candidate(candidate_id)

    async def edit(self, candidate_id: int, draft: CandidateDraft, actor: str) -> ReviewResult:
        """A reviewer changed the proposal's text in the **Editar** modal."""
        try:
            check_draft(draft)
        except ArticleError as error:
            return ReviewResult(refusal=Refusal.INVALID, detail=str(error))
        return await self._decide(
            candidate_id,
            actor,
            "kb.edited",
            lambda c: replace(c, **asdict(draft)),
        )

    async def discard(self, candidate_id: int, actor: str) -> ReviewResult:
        """**Descartar**: the proposal is closed and never published."""
        now = self._clock.now()
        return await self._decide(
            candidate_id,
            actor,
            "kb.discarded",
            lambda c: replace(c, state=CandidateState.DISCARDED, decided_by=actor, decided_at=now),
        )

    async def publish(self, candidate_id: int, actor: str) -> ReviewResult:
        """**Publicar**: the proposal becomes an article that search and the AI's drafts use."""
        async with self._store.snapshot() as tx:
            current = await tx.get_candidate(candidate_id)
        if (refused := _undecidable(current)) is not None:
            return refused
        assert current is not None
        try:
            check_draft(current.draft)
        except ArticleError as error:
            return ReviewResult(candidate=current, refusal=Refusal.INVALID, detail=str(error))
        slug = current.slug or await self._free_slug(current)
        now = self._clock.now()
        article = Article(slug=slug, source=f"{SOURCE}{current.id}", **asdict(current.draft))
        # the article first: a crash before the proposal is marked leaves it pending, and a
        # second Publicar rewrites the same article (same slug) instead of adding another
        await self._articles.upsert(article, now)
        return await self._decide(
            candidate_id,
            actor,
            "kb.published",
            lambda c: replace(c, state=CandidateState.PUBLISHED, decided_by=actor, decided_at=now, slug=slug),
        )

    async def _free_slug(self, candidate: Candidate) -> str:
        base = slugify(candidate.title)
        slug, n = base, 1
        while (existing := await self._articles.get(slug)) is not None and existing.source != (
            f"{SOURCE}{candidate.id}"
        ):
            n += 1
            slug = f"{base}-{n}"
        return slug

    async def _decide(
        self, candidate_id: int, actor: str, action: str, change: Callable[[Candidate], Candidate]
    ) -> ReviewResult:
        now = self._clock.now()
        async with self._store.transaction() as tx:
            current = await tx.get_candidate(candidate_id)
            if (refused := _undecidable(current)) is not None:
                return refused
            assert current is not None
            changed = change(current)
            await tx.save_candidate(changed)
            await tx.add_effect(ShowCandidate(current.ticket_id or 0, current.id), now)
            await tx.record_event(current.ticket_id, actor, action, now, f"#{current.id}")
        self._on_commit()
        return ReviewResult(candidate=changed)

    # ------------------------------------------------------------------ showing

    def handlers(self) -> dict[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effects this class carries out, for the effect runner."""
        return {ShowCandidate: self._show}  # type: ignore[dict-item]

    async def _show(self, effect: ShowCandidate) -> None:
        async with self._store.snapshot() as tx:
            candidate = await tx.get_candidate(effect.candidate_id)
        if candidate is None:
            raise PermanentError(f"proposal {effect.candidate_id} not found")
        if candidate.review_ref:
            await self._board.update_candidate(candidate.review_ref, candidate)
            return
        ref = await self._board.post_candidate(candidate)
        async with self._store.transaction() as tx:
            await _remember_ref(tx, candidate.id, ref)


async def _remember_ref(tx: KbLoopTx, candidate_id: int, ref: str) -> None:
    """Keep the review post's ref (re-read, so an edit made meanwhile is not overwritten)."""
    current = await tx.get_candidate(candidate_id)
    if current is not None:
        await tx.save_candidate(replace(current, review_ref=ref))


def _is_answer(message: Message) -> bool:
    """Words written to the customer by an agent or the AI (not the desk's closing line or survey)."""
    author = message.author or ""
    return message.direction is Direction.OUTBOUND and bool(message.text) and not author.startswith(SYSTEM)


def _undecidable(candidate: Candidate | None) -> ReviewResult | None:
    """The refusal for a proposal that is gone or already decided; None when it can be decided."""
    if candidate is None:
        return ReviewResult(refusal=Refusal.NOT_FOUND)
    if candidate.state is not CandidateState.PENDING:
        return ReviewResult(candidate=candidate, refusal=Refusal.ALREADY_DECIDED)
    return None


def _title(question: str) -> str:
    """A customer's question as an article title: one line, at most MAX_TITLE characters."""
    line = " ".join(question.split())
    return line if len(line) <= MAX_TITLE else line[: MAX_TITLE - 1].rstrip() + "…"
