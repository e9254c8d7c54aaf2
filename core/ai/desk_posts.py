"""How the AI's work appears in a ticket's thread: the triage line and alert, drafts, and answers it sent.

Registered with :meth:`core.delivery.EffectRunner.extend` for the AI's desk effects; each
reads the current rows, so a retried effect shows what is true when it runs. The triage
line leads the one post the AI makes about a customer's message (its alert, draft or
answer): one Slack call per message instead of two, and the line cannot be shown without
what the AI did, nor twice when that post is retried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from core.ai import texts
from core.ai.effects import ShowAIReply, ShowDraft, ShowEscalationAlert, ShowTriage
from core.ai.model import DraftRecord, DraftState, DraftView, TriageRecord
from core.ai.offline import erasure_request
from core.ai.ports import AiRecords
from core.ai.responder import said
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.common.markup import Markup
from core.delivery.ports import AgentDesk
from core.tickets.ports import Messages
from core.unit_of_work import Store


class DeskPostsTx(Messages, AiRecords, Protocol):
    """What the AI's desk posts needs from a unit of work."""


class AIDeskPosts:
    """Draws the AI's effects on the desk."""

    def __init__(
        self,
        store: Store[DeskPostsTx],
        desk: AgentDesk,
        thread_of: Callable[[int], Awaitable[str]],
        oncall_group: str = "",
    ) -> None:
        self._store = store
        self._desk = desk
        self._thread_of = thread_of
        self._group = oncall_group

    def handlers(self) -> Mapping[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effect types this class carries out, for the effect runner."""
        return {
            ShowTriage: self.show,
            ShowEscalationAlert: self.show,
            ShowDraft: self.show,
            ShowAIReply: self.show,
        }

    async def show(self, effect: Effect) -> None:
        """Carry out one of the AI's desk effects in the ticket's thread (opened first if need be)."""
        thread_ref = await self._thread_of(effect.ticket_id)
        match effect:
            case ShowTriage():
                await self._triage(effect, thread_ref)
            case ShowEscalationAlert():
                await self._alert(effect, thread_ref)
            case ShowDraft():
                await self._draft(effect, thread_ref)
            case ShowAIReply():
                await self._reply(effect, thread_ref)
            case _:
                raise PermanentError(f"not an AI effect: {effect.kind}")

    async def _triage_of(self, ticket_id: int, message_id: int) -> TriageRecord:
        """The triage that read the message (its own, or that of the burst it was sent in)."""
        async with self._store.snapshot() as tx:
            triage = await tx.triage_covering(ticket_id, message_id)
        if triage is None:
            raise PermanentError(f"no triage for message {message_id}")
        return triage

    async def _triage(self, effect: ShowTriage, thread_ref: str) -> None:
        """The line alone: rows queued before the line moved into the AI's post about the message."""
        triage = await self._triage_of(effect.ticket_id, effect.message_id)
        await self._desk.post_context(thread_ref, triage_line(triage))

    async def _alert(self, effect: ShowEscalationAlert, thread_ref: str) -> None:
        triage = await self._triage_of(effect.ticket_id, effect.message_id)
        async with self._store.snapshot() as tx:  # the lines it read: its first and those after it
            read = await tx.messages_after(effect.ticket_id, triage.message_id - 1, triage.messages_read)
        text = f"{said(read)} {triage.transcript or ''}"
        detail = texts.AI_ERASURE_DETAIL if erasure_request(text) else None
        mention = self._desk.mention_group(self._group) if self._group else ""
        alert = texts.ai_escalation_alert(mention, triage.reason, detail)
        await self._desk.post_in_thread(thread_ref, Markup("{}\n{}").format(triage_line(triage), alert))

    async def _draft(self, effect: ShowDraft, thread_ref: str) -> None:
        async with self._store.snapshot() as tx:
            draft = await tx.get_draft(effect.draft_id)
            if draft is None:
                raise PermanentError(f"draft {effect.draft_id} not found")
            triage = await tx.triage_covering(draft.ticket_id, draft.message_id)
            sent = await tx.get_message(draft.sent_message_id) if draft.sent_message_id else None
        view = draft_view(draft, self._desk, triage, sent.text if sent else None)
        if draft.desk_ref:
            await self._desk.update_draft(draft.desk_ref, view)
            return
        ref = await self._desk.post_draft(thread_ref, view)
        async with self._store.transaction() as tx:
            current = await tx.get_draft(draft.id)
            if current is not None:
                current.desk_ref = ref
                await tx.save_draft(current)
                if current.sent_message_id is not None:  # sent before its post was recorded
                    await tx.set_message_refs(current.sent_message_id, desk_ref=ref)

    async def _reply(self, effect: ShowAIReply, thread_ref: str) -> None:
        async with self._store.snapshot() as tx:
            message = await tx.get_message(effect.message_id)
        if message is None:
            raise PermanentError(f"message {effect.message_id} not found")
        if message.desk_ref:
            return  # shown before a crash
        model = (message.author or "ai:").partition(":")[2]
        shown = texts.ai_reply_shown(model, message.text or "")
        if effect.answers:
            triage = await self._triage_of(effect.ticket_id, effect.answers)
            shown = Markup("{}\n{}").format(triage_line(triage), shown)
        ref = await self._desk.post_in_thread(thread_ref, shown)
        async with self._store.transaction() as tx:
            await tx.set_message_refs(message.id, desk_ref=ref)


def triage_line(triage: TriageRecord) -> str:
    """The one compact line saying what the AI made of a customer's message and what it did."""
    decision, _, flag = triage.decision.partition(":")
    return texts.ai_triage_line(
        triage.category,
        triage.urgency,
        triage.sentiment,
        triage.confidence,
        triage.model,
        triage.cost_usd,
        decision,
        triage.tier,
        triage.tier_reason,
        injection=flag == "injection",
        why=triage.why,
        messages_read=triage.messages_read,
    )


def draft_view(
    draft: DraftRecord, desk: AgentDesk, triage: TriageRecord | None, sent_text: str | None = None
) -> DraftView:
    """The draft under its message's triage line; once decided, what was sent and who did what."""
    decided = None
    edited = sent_text is not None and sent_text != draft.text
    if draft.state is DraftState.STALE:
        decided = texts.AI_DRAFT_STALE_LINE
    elif draft.state is not DraftState.PENDING and draft.decided_by:
        who = desk.mention_user(draft.decided_by)
        decided = (
            texts.ai_draft_sent(who, edited=edited)
            if draft.state is DraftState.SENT
            else texts.ai_draft_discarded(who)
        )
    return DraftView(
        draft_id=draft.id,
        ticket_id=draft.ticket_id,
        text=sent_text if edited and sent_text else draft.text,
        model=draft.model,
        confidence=draft.confidence,
        sources=tuple(draft.sources),
        likely_resolved=triage.likely_resolved if triage else None,
        decided_line=decided,
        triage_line=triage_line(triage) if triage else None,
    )
