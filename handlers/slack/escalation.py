"""The **Escalar** button and its modal (tier and reason), turned into one ``SupportDesk.escalate`` call."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from core.common import labels
from core.escalation import texts as escalation_texts
from core.escalation.tiers import TOP_TIER
from core.tickets import texts as tickets_texts
from core.tickets.service import SupportDesk
from handlers.slack.access import SlackAccess
from handlers.slack.ids import button_id, record_id
from handlers.slack.ticket_blocks import ESCALATE
from handlers.slack.ticket_listeners import refusal_text

VIEW = "ticket.escalate.modal"
TIER_BLOCK = "tier"
REASON_BLOCK = "reason"
REASON_MAX = 2000


def escalation_modal(ticket_id: int) -> dict[str, Any]:
    """The modal: which tier and why (a tier at or below the ticket's is refused on submit)."""
    options = [
        {"text": {"type": "plain_text", "text": labels.of(labels.TIER, tier)}, "value": str(tier)}
        for tier in range(2, TOP_TIER + 1)
    ]
    return {
        "type": "modal",
        "callback_id": VIEW,
        "private_metadata": str(ticket_id),
        "title": {"type": "plain_text", "text": escalation_texts.ESCALATE_TITLE},
        "submit": {"type": "plain_text", "text": escalation_texts.ESCALATE_SUBMIT},
        "close": {"type": "plain_text", "text": escalation_texts.ESCALATE_CANCEL},
        "blocks": [
            {
                "type": "input",
                "block_id": TIER_BLOCK,
                "label": {"type": "plain_text", "text": escalation_texts.ESCALATE_TIER_LABEL},
                "element": {
                    "type": "static_select",
                    "action_id": TIER_BLOCK,
                    "options": options,
                    "initial_option": options[0],
                },
            },
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": {"type": "plain_text", "text": escalation_texts.ESCALATE_REASON_LABEL},
                "hint": {"type": "plain_text", "text": escalation_texts.ESCALATE_REASON_HINT},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_BLOCK,
                    "multiline": True,
                    "max_length": REASON_MAX,
                },
            },
        ],
    }


def register(app: AsyncApp, support: SupportDesk, access: SlackAccess) -> None:
    """Attach the button and the modal's submission to a Bolt app; only agents may escalate."""

    @app.action(ESCALATE)
    async def open_modal(ack: Any, body: dict, client: Any, action: dict) -> None:
        await ack()
        ticket_id = button_id(action)
        if ticket_id is None or not body.get("trigger_id"):
            return
        if not await access.is_agent(body["user"]["id"]):
            await access.refuse(body["user"]["id"], f"{ESCALATE} ticket {ticket_id}")
            channel = (body.get("channel") or {}).get("id")
            if channel:
                await client.chat_postEphemeral(
                    channel=channel, user=body["user"]["id"], text=tickets_texts.AGENTS_ONLY
                )
            return
        await client.views_open(trigger_id=body["trigger_id"], view=escalation_modal(ticket_id))

    @app.view(VIEW)
    async def submitted(ack: Any, body: dict, view: dict) -> None:
        values = (view.get("state") or {}).get("values") or {}
        ticket_id = record_id(view.get("private_metadata"), f"view {VIEW}")
        tier_value = ((values.get(TIER_BLOCK) or {}).get(TIER_BLOCK) or {}).get("selected_option") or {}
        reason = str(((values.get(REASON_BLOCK) or {}).get(REASON_BLOCK) or {}).get("value") or "").strip()
        tier = record_id(tier_value.get("value"))
        if ticket_id is None or tier is None:
            await ack(response_action="errors", errors={TIER_BLOCK: escalation_texts.ALREADY_AT_TIER})
            return
        if not reason:
            await ack(response_action="errors", errors={REASON_BLOCK: escalation_texts.REASON_REQUIRED})
            return
        if not await access.is_agent(body["user"]["id"]):
            await access.refuse(body["user"]["id"], f"{ESCALATE} ticket {ticket_id}")
            await ack(response_action="errors", errors={TIER_BLOCK: tickets_texts.AGENTS_ONLY})
            return
        result = await support.escalate(ticket_id, tier, reason, body["user"]["id"])
        if not result.ok:
            await ack(response_action="errors", errors={TIER_BLOCK: refusal_text(result)})
            return
        await ack()
