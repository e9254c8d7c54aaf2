"""What agents do with an AI draft: send it as it is, send it edited, or discard it.

A sent draft becomes the agent's own message to the customer (the author is the agent:
a person reviewed it, so it counts as a human answer), shown on the draft in the thread,
where its delivery marks appear too. A draft answers one moment of the conversation: once
the ticket moved on (resolved, the customer wrote again, a person answered) it is stale,
and pressing Enviar or Editar marks it so (its buttons go) instead of sending it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.ai import texts
from core.ai.effects import ShowDraft
from core.ai.model import DraftRecord, DraftState
from core.ai.ports import AiRecords
from core.common.clock import Clock
from core.common.journal import Journal
from core.templates import filling as templates
from core.tickets.effects import MarkRead, SendToCustomer
from core.tickets.model import DeliveryState, Direction, Message, MessageKind, TicketStatus
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Store


class DraftsTx(Journal, Tickets, Messages, AiRecords, Protocol):
    """What the AI's drafts needs from a unit of work."""


@dataclass(frozen=True, slots=True)
class DraftDecision:
    """Outcome of an agent's action on a draft: applied, or refused (gone, already decided, or with gaps)."""

    draft: DraftRecord | None
    applied: bool
    gaps: tuple[str, ...] = ()
    """Placeholders still in the text (a template draft the agent must complete in **Editar**)."""
    stale: str | None = None
    """Why the draft no longer fits the conversation (it was marked stale; nothing was sent)."""

    @property
    def found(self) -> bool:
        """The draft exists."""
        return self.draft is not None


async def send(
    tx: DraftsTx, draft_id: int, agent: str, at: datetime, text: str | None = None
) -> DraftDecision:
    """Send the draft (or the agent's edit of it) to the customer as the agent's message."""
    draft = await tx.get_draft(draft_id)
    if draft is None or draft.state is not DraftState.PENDING:
        return DraftDecision(draft, applied=False)
    if (stale := await _mark_if_stale(tx, draft, agent, at)) is not None:
        return DraftDecision(draft, applied=False, stale=stale)
    body = (text or "").strip() or draft.text
    gaps = templates.placeholders(body)
    if gaps:  # nothing with an unfilled placeholder reaches a customer
        return DraftDecision(draft, applied=False, gaps=gaps)
    message = await tx.add_message(
        draft.ticket_id,
        Direction.OUTBOUND,
        MessageKind.TEXT,
        at,
        text=body,
        desk_ref=draft.desk_ref,
        author=agent,
        delivery=DeliveryState.PENDING,
    )
    await tx.add_effect(SendToCustomer(draft.ticket_id, message.id), at)
    last_inbound = await tx.last_inbound_message(draft.ticket_id)
    if last_inbound is not None and last_inbound.external_id:
        await tx.add_effect(MarkRead(draft.ticket_id, last_inbound.external_id), at)
    draft.state, draft.decided_by, draft.decided_at = DraftState.SENT, agent, at
    draft.sent_message_id = message.id
    edited = body != draft.text
    await _decided(tx, draft, agent, "ai.draft_edited_sent" if edited else "ai.draft_sent", at)
    return DraftDecision(draft, applied=True)


async def edit(tx: DraftsTx, draft_id: int, agent: str, at: datetime) -> DraftDecision:
    """May the agent start editing the draft? Only while it waits and still fits the conversation."""
    draft = await tx.get_draft(draft_id)
    if draft is None or draft.state is not DraftState.PENDING:
        return DraftDecision(draft, applied=False)
    if (stale := await _mark_if_stale(tx, draft, agent, at)) is not None:
        return DraftDecision(draft, applied=False, stale=stale)
    return DraftDecision(draft, applied=True)


async def stale_reason(tx: DraftsTx, draft: DraftRecord) -> str | None:
    """Why a waiting draft no longer answers the conversation, or None while it still does.

    The ticket moved on when it was resolved, when the customer wrote again after the message
    the draft answers, or when a person answered the customer since (the AI's own notices,
    such as the hand-off line sent with the draft, do not count).
    """
    ticket = await tx.get_ticket(draft.ticket_id)
    if ticket is not None and ticket.status is TicketStatus.RESOLVED:
        return texts.AI_DRAFT_STALE_RESOLVED
    since = await tx.messages_after(draft.ticket_id, draft.message_id)
    if any(m.direction is Direction.INBOUND and m.kind is not MessageKind.REACTION for m in since):
        return texts.AI_DRAFT_STALE_NEWER
    if any(_by_a_person(m) for m in since):
        return texts.AI_DRAFT_STALE_ANSWERED
    return None


def _by_a_person(message: Message) -> bool:
    """An agent's message to the customer: agents write as their Slack id; the AI as ``ai:<model>``,
    the desk's own lines (closing, surveys) as ``system:<what>``."""
    author = message.author or ""
    return message.direction is Direction.OUTBOUND and bool(author) and ":" not in author


async def _mark_if_stale(tx: DraftsTx, draft: DraftRecord, agent: str, at: datetime) -> str | None:
    """Mark a draft the conversation left behind as stale (redrawn without buttons); returns why."""
    reason = await stale_reason(tx, draft)
    if reason is not None:
        draft.state, draft.decided_by, draft.decided_at = DraftState.STALE, agent, at
        await _decided(tx, draft, agent, "ai.draft_stale", at)
    return reason


async def discard(tx: DraftsTx, draft_id: int, agent: str, at: datetime) -> DraftDecision:
    """Drop the draft; nothing goes to the customer."""
    draft = await tx.get_draft(draft_id)
    if draft is None or draft.state is not DraftState.PENDING:
        return DraftDecision(draft, applied=False)
    draft.state, draft.decided_by, draft.decided_at = DraftState.DISCARDED, agent, at
    await _decided(tx, draft, agent, "ai.draft_discarded", at)
    return DraftDecision(draft, applied=True)


async def _decided(tx: DraftsTx, draft: DraftRecord, agent: str, action: str, at: datetime) -> None:
    await tx.save_draft(draft)
    await tx.record_event(draft.ticket_id, agent, action, at, draft.model)
    await tx.add_effect(ShowDraft(draft.ticket_id, draft.id), at)


class DraftDesk:
    """The draft use cases for the Slack listeners: one transaction each, then the outbox wakes."""

    def __init__(
        self, store: Store[DraftsTx], clock: Clock, on_commit: Callable[[], None] = lambda: None
    ) -> None:
        self._store = store
        self._clock = clock
        self._on_commit = on_commit

    async def send(self, draft_id: int, agent: str, text: str | None = None) -> DraftDecision:
        """An agent pressed **Enviar**, or submitted the **Editar** modal."""
        return await self._run(lambda tx: send(tx, draft_id, agent, self._clock.now(), text))

    async def edit(self, draft_id: int, agent: str) -> DraftDecision:
        """An agent pressed **Editar**: applied when the modal may open with the draft."""
        return await self._run(lambda tx: edit(tx, draft_id, agent, self._clock.now()))

    async def discard(self, draft_id: int, agent: str) -> DraftDecision:
        """An agent pressed **Descartar**."""
        return await self._run(lambda tx: discard(tx, draft_id, agent, self._clock.now()))

    async def _run(self, action: Callable[[DraftsTx], Awaitable[DraftDecision]]) -> DraftDecision:
        async with self._store.transaction() as tx:
            decision = await action(tx)
        if decision.applied or decision.stale:
            self._on_commit()
        return decision
