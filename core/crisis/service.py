"""Crises as use cases: preview, declare (only once confirmed), status updates, closing.

Declaring writes the crisis record, its broadcast (one row per recipient) and the effect that
opens the crisis thread in one transaction. The thread effect then points the broadcast's
progress message into that thread. Status updates can go to the same customers as the first
notice; ``resolvido`` closes the crisis and lifts the SLA suspension.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from core.broadcast.effects import ShowBroadcast
from core.broadcast.service import Broadcasts, BroadcastTx, NewBroadcast
from core.common import labels, ptbr
from core.common.clock import Clock
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.common.markup import Markup
from core.crisis import texts
from core.crisis.effects import PostCrisis, PostCrisisUpdate
from core.crisis.model import Audience, AudiencePreview, Crisis, CrisisDraft, CrisisStatus, Scenario
from core.crisis.ports import CrisisBoard, CrisisRecords
from core.sla.ports import SlaTimers
from core.unit_of_work import Store


class CrisisTx(BroadcastTx, SlaTimers, CrisisRecords, Protocol):
    """What crisis management needs from a unit of work."""


KIND = "crise"
DRAFT_KEEP = timedelta(days=1)
"""How long a previewed draft waits for its confirmation (a modal left open overnight expires)."""


def crisis_id(at: datetime) -> str:
    """``SUPPORT_CRISIS_YYYYMMDD_HHMMSS`` in São Paulo time (the playbook's id)."""
    return "SUPPORT_CRISIS_" + at.astimezone(ptbr.SAO_PAULO).strftime("%Y%m%d_%H%M%S")


class Crises:
    """Declares crises and carries their updates."""

    def __init__(
        self,
        store: Store[CrisisTx],
        clock: Clock,
        broadcasts: Broadcasts,
        board: CrisisBoard,
        scenarios: dict[str, Scenario],
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._broadcasts = broadcasts
        self._board = board
        self.scenarios = scenarios
        self._on_commit = on_commit

    async def preview(self, draft: CrisisDraft) -> AudiencePreview:
        """The recipients and the engine's plan for them; nothing is written."""
        async with self._store.snapshot() as tx:
            ids, unknown = await tx.audience_customers(draft.audience, self._clock.now())
        preview = await self._broadcasts.preview(ids, draft.template)
        return AudiencePreview(ids, unknown, preview)

    async def hold(self, draft: CrisisDraft, actor: str) -> str:
        """Keep a previewed draft until its confirmation; the token the confirmation view carries.

        Stored, not kept in memory: a restart between the preview and the confirmation loses nothing.
        """
        token = secrets.token_urlsafe(12)
        async with self._store.transaction() as tx:
            await tx.hold_crisis_draft(token, actor, draft, self._clock.now(), DRAFT_KEEP)
        return token

    async def confirm(self, token: str, actor: str) -> Crisis | None:
        """Declare the crisis this supervisor previewed and queue its notice; None when the draft is
        gone (expired, or confirmed already: a double click declares once)."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            draft = await tx.take_crisis_draft(token, actor)
            if draft is None:
                return None
            ids, _ = await tx.audience_customers(draft.audience, at)
            crisis = await self._declare_within(tx, draft, actor, ids, at)
        self._on_commit()
        return crisis

    async def declare(self, draft: CrisisDraft, actor: str, *, notify: bool) -> Crisis:
        """Record the crisis, open its thread, and (``notify``) queue the notice to the audience."""
        at = self._clock.now()
        async with self._store.transaction() as tx:
            ids = (await tx.audience_customers(draft.audience, at))[0] if notify else []
            crisis = await self._declare_within(tx, draft, actor, ids, at)
        self._on_commit()
        return crisis

    async def _declare_within(
        self, tx: CrisisTx, draft: CrisisDraft, actor: str, ids: list[int], at: datetime
    ) -> Crisis:
        scenario = self.scenarios[draft.scenario]
        new_id = crisis_id(at)
        suffix = 1
        while await tx.get_crisis(new_id) is not None:  # two declared in the same second
            suffix += 1
            new_id = f"{crisis_id(at)}_{suffix}"
        crisis = Crisis(
            id=new_id,
            scenario=scenario.key,
            severity=draft.severity,
            description=draft.description,
            audience=_describe(draft.audience),
            template=draft.template,
            status=CrisisStatus.INVESTIGATING,
            sla_suspended=scenario.suspend_sla,
            thread_ref=None,
            declared_by=actor,
            declared_at=at,
        )
        await tx.add_crisis(crisis)
        if ids:
            notice = NewBroadcast(KIND, crisis.id, tuple(ids), draft.text, draft.template, actor, None, False)
            await self._broadcasts.enqueue_within(tx, notice)
        await tx.record_event(
            None, actor, "crisis.declared", at, f"{crisis.id} {scenario.key} {draft.severity}"
        )
        await tx.add_effect(PostCrisis(0, crisis.id), at)
        return crisis

    async def update(
        self, crisis_id_: str, status: CrisisStatus, text: str, actor: str, *, notify: bool
    ) -> Crisis | None:
        """Post a status update in the thread and (``notify``) send it to the first notice's customers.

        ``resolvido`` closes the crisis: the SLA clocks resume, shifted by the time they were
        suspended. None when the crisis does not exist or is closed already.
        """
        at = self._clock.now()
        async with self._store.transaction() as tx:
            crisis = await tx.get_crisis(crisis_id_)
            if crisis is None or crisis.status is CrisisStatus.RESOLVED:
                return None
            resolved = status is CrisisStatus.RESOLVED
            await tx.set_crisis_status(crisis.id, status, at if resolved else None)
            if resolved and crisis.sla_suspended:
                await tx.resume_sla_after(crisis.declared_at, at)
            ids = await tx.broadcast_customer_ids(crisis.id) if notify else []
            if ids:
                notice = NewBroadcast(
                    KIND,
                    f"{crisis.id}:{status}:{at.isoformat()}",
                    tuple(ids),
                    text,
                    crisis.template,
                    actor,
                    crisis.thread_ref,
                    True,
                )
                await self._broadcasts.enqueue_within(tx, notice)
            line = texts.update_line(status, text, len(ids))
            effects: list[Effect] = [PostCrisisUpdate(0, crisis.id, line), PostCrisis(0, crisis.id)]
            if resolved:
                effects.insert(
                    1, PostCrisisUpdate(0, crisis.id, texts.resolved_line(at, crisis.sla_suspended))
                )
            await tx.add_effects(effects, at)
            await tx.record_event(None, actor, "crisis.update", at, f"{crisis.id} {status}")
            updated = await tx.get_crisis(crisis.id)
        self._on_commit()
        return updated

    async def get(self, crisis_id_: str) -> Crisis | None:
        """A crisis by id."""
        async with self._store.snapshot() as tx:
            return await tx.get_crisis(crisis_id_)

    def handlers(self) -> dict[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effects this class carries out, for the effect runner."""
        return {PostCrisis: self._post, PostCrisisUpdate: self._post_update}  # type: ignore[dict-item]

    async def _post(self, effect: PostCrisis) -> None:
        """Open the crisis thread (then show the notice's progress in it), or redraw its status."""
        crisis = await self._load(effect.crisis)
        scenario = self.scenarios.get(crisis.scenario) or Scenario(crisis.scenario, 0, ())
        if crisis.thread_ref:
            await self._board.update_crisis(crisis.thread_ref, crisis, scenario)
            return
        ref = await self._board.post_crisis(crisis, scenario)
        at = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.set_crisis_thread(crisis.id, ref)
            broadcast_id = await tx.set_progress_thread(crisis.id, ref)
            if broadcast_id is not None:
                await tx.add_effect(ShowBroadcast(0, broadcast_id), at)
        self._on_commit()

    async def _post_update(self, effect: PostCrisisUpdate) -> None:
        crisis = await self._load(effect.crisis)
        if not crisis.thread_ref:
            raise PermanentError(f"crisis {crisis.id} has no thread yet")  # retried: the thread comes first
        await self._board.post_update(crisis.thread_ref, effect.text)

    async def _load(self, crisis_id_: str) -> Crisis:
        crisis = await self.get(crisis_id_)
        if crisis is None:
            raise PermanentError(f"crisis {crisis_id_} not found")
        return crisis


def _describe(audience: Audience) -> str:
    """The audience as recorded on the crisis (a pasted list by its size, never its numbers)."""
    label = labels.of(labels.AUDIENCE, audience.kind)
    detail = {
        "plan": audience.plan,
        "active": ptbr.count(audience.days, "dia"),
        "category": f"{labels.of(labels.CATEGORY, audience.category)}, {audience.hours} h",
        "list": ptbr.count(len(audience.phones), "telefone"),
    }.get(audience.kind.value)
    return f"{label}: {detail}" if detail else label


def stakeholders_of(
    scenario: Scenario, groups: dict[str, str], mention: Callable[[str], Markup]
) -> list[str]:
    """Each stakeholder as a mention of its user group when one is configured, else by name in words."""
    return [
        mention(groups[name]) if name in groups else labels.of(labels.STAKEHOLDER, name)
        for name in scenario.stakeholders
    ]
