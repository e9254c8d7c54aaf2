"""Bolt listeners for AI drafts: Enviar, Editar (a modal prefilled with the draft) and Descartar."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from core.ai import texts as ai_texts
from core.ai.drafts import DraftDecision, DraftDesk
from core.ai.model import DraftState
from core.templates.filling import label
from handlers.slack.access import SlackAccess
from handlers.slack.ai_blocks import (
    DRAFT_DISCARD,
    DRAFT_EDIT,
    DRAFT_INPUT,
    DRAFT_INPUT_BLOCK,
    DRAFT_MODAL,
    DRAFT_SEND,
    edit_modal,
)
from handlers.slack.ids import button_id, record_id
from handlers.slack.ticket_blocks import mention


def _refusal(decision: DraftDecision) -> str:
    draft = decision.draft
    if draft is None:
        return ai_texts.AI_DRAFT_NOT_FOUND
    if decision.stale:
        return ai_texts.ai_draft_stale(decision.stale)
    if draft.state is DraftState.STALE:
        return ai_texts.AI_DRAFT_STALE_BEFORE
    if decision.gaps:
        return ai_texts.ai_draft_gaps([label(name) for name in decision.gaps])
    return ai_texts.ai_draft_already_decided(
        mention(draft.decided_by or "?"), sent=draft.state is DraftState.SENT
    )


def _draft_id(action: dict) -> int | None:
    return button_id(action)


def register(app: AsyncApp, drafts: DraftDesk, access: SlackAccess, support_channel: str) -> None:
    """Attach the draft listeners to a Bolt app; only the desk's agents may act on drafts."""

    async def tell(client: Any, body: dict, text: str) -> None:
        channel = (body.get("channel") or {}).get("id") or support_channel
        await client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text)

    async def allowed(client: Any, body: dict, what: str) -> bool:
        user = body["user"]["id"]
        if await access.is_agent(user):
            return True
        await access.refuse(user, what)
        await tell(client, body, ai_texts.AI_DRAFT_AGENTS_ONLY)
        return False

    @app.action(DRAFT_SEND)
    async def send(ack: Any, body: dict, client: Any, action: dict) -> None:
        await ack()
        draft_id = _draft_id(action)
        if draft_id is None or not await allowed(client, body, f"{DRAFT_SEND} {draft_id}"):
            return
        decision = await drafts.send(draft_id, body["user"]["id"])
        if not decision.applied:
            await tell(client, body, _refusal(decision))

    @app.action(DRAFT_DISCARD)
    async def discard(ack: Any, body: dict, client: Any, action: dict) -> None:
        await ack()
        draft_id = _draft_id(action)
        if draft_id is None or not await allowed(client, body, f"{DRAFT_DISCARD} {draft_id}"):
            return
        decision = await drafts.discard(draft_id, body["user"]["id"])
        if not decision.applied:
            await tell(client, body, _refusal(decision))

    @app.action(DRAFT_EDIT)
    async def edit(ack: Any, body: dict, client: Any, action: dict) -> None:
        await ack()
        draft_id = _draft_id(action)
        if draft_id is None or not await allowed(client, body, f"{DRAFT_EDIT} {draft_id}"):
            return
        decision = await drafts.edit(draft_id, body["user"]["id"])
        if not decision.applied or decision.draft is None:
            await tell(client, body, _refusal(decision))
            return
        draft = decision.draft
        await client.views_open(trigger_id=body["trigger_id"], view=edit_modal(draft.id, draft.text))

    @app.view(DRAFT_MODAL)
    async def submitted(ack: Any, body: dict, view: dict) -> None:
        values = view.get("state", {}).get("values", {})
        text = (values.get(DRAFT_INPUT_BLOCK, {}).get(DRAFT_INPUT, {}) or {}).get("value") or ""
        draft_id = record_id(view.get("private_metadata"), f"view {DRAFT_MODAL}")
        if draft_id is None:
            await ack(response_action="errors", errors={DRAFT_INPUT_BLOCK: ai_texts.AI_DRAFT_NOT_FOUND})
            return
        if not text.strip():
            await ack(response_action="errors", errors={DRAFT_INPUT_BLOCK: ai_texts.AI_DRAFT_EMPTY})
            return
        if not await access.is_agent(body["user"]["id"]):
            await access.refuse(body["user"]["id"], f"{DRAFT_MODAL} {draft_id}")
            await ack(response_action="errors", errors={DRAFT_INPUT_BLOCK: ai_texts.AI_DRAFT_AGENTS_ONLY})
            return
        decision = await drafts.send(draft_id, body["user"]["id"], text)
        if not decision.applied:
            await ack(response_action="errors", errors={DRAFT_INPUT_BLOCK: _refusal(decision)})
            return
        await ack()
