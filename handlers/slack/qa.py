"""QA in Slack: review cards in the QA channel, the **Avaliar** button and the weighted scoring modal.

Cards are drawn by the outbox (:class:`core.feedback.effects.QueueReview`): posted the first time,
redrawn once scored. Only supervisors may open or submit the scoring; anyone else is told
privately and the refusal is audited.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from core.escalation import texts as escalation_texts
from core.feedback import texts as feedback_texts
from core.feedback.effects import QueueReview
from core.feedback.qa import WEIGHTS, QualityDesk
from core.tickets import texts as tickets_texts
from handlers.slack import markup
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.desk import SlackDesk, split_ref, thread_ref
from handlers.slack.ids import button_id, record_id

REVIEW_BUTTON = "qa.review"
SCORE_VIEW = "qa.score"
NOTES_BLOCK = "notes"


class SlackReviewCards:
    """Carries out :class:`QueueReview`: the review's card in the QA channel, posted or redrawn."""

    def __init__(self, client: SafeWebClient, quality: QualityDesk, desk: SlackDesk) -> None:
        self._client = client
        self._quality = quality
        self._desk = desk

    async def run(self, effect: QueueReview) -> None:
        card = await self._quality.review_card(effect.review_id, effect.ticket_id)
        review = card.review
        ticket = feedback_texts.qa_ticket(card.ticket_id)
        if card.thread_ref:
            ticket = markup.link(await self._desk.permalink(card.thread_ref), ticket)
        handler = feedback_texts.qa_handler(review.handled_by, markup.user)
        text = feedback_texts.qa_card(ticket, review.reason, handler, review.category)
        blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        if review.scores is not None and review.score is not None and review.reviewer:
            line = feedback_texts.qa_scored(
                markup.user(review.reviewer), review.score, review.scores, review.notes
            )
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line}]})
        else:
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"qa:{review.id}",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": feedback_texts.QA_BUTTON},
                            "action_id": REVIEW_BUTTON,
                            "value": str(review.id),
                            "style": "primary",
                        }
                    ],
                }
            )
        if review.desk_ref:
            channel, ts = split_ref(review.desk_ref)
            await self._client.call("chat.update", channel=channel, ts=ts, text=text, blocks=blocks)
            return
        posted = await self._client.call("chat.postMessage", channel=effect.channel, text=text, blocks=blocks)
        await self._quality.card_posted(review.id, thread_ref(posted["channel"], posted["ts"]))


def scoring_modal(review_id: int) -> dict[str, Any]:
    """One 1-5 choice per playbook criterion (its weight in the label), and optional notes."""
    options = [
        {"text": {"type": "plain_text", "text": feedback_texts.QA_SCALE[n]}, "value": str(n)}
        for n in range(5, 0, -1)
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": name,
            "label": {"type": "plain_text", "text": feedback_texts.qa_criterion(name, weight)},
            "element": {"type": "static_select", "action_id": name, "options": options},
        }
        for name, weight in WEIGHTS.items()
    ]
    blocks.append(
        {
            "type": "input",
            "block_id": NOTES_BLOCK,
            "optional": True,
            "label": {"type": "plain_text", "text": feedback_texts.QA_NOTES},
            "element": {
                "type": "plain_text_input",
                "action_id": NOTES_BLOCK,
                "multiline": True,
                "max_length": 2000,
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": SCORE_VIEW,
        "private_metadata": str(review_id),
        "title": {"type": "plain_text", "text": feedback_texts.QA_TITLE},
        "submit": {"type": "plain_text", "text": feedback_texts.QA_SUBMIT},
        "close": {"type": "plain_text", "text": escalation_texts.ESCALATE_CANCEL},
        "blocks": blocks,
    }


def _picked(values: dict, name: str) -> int | None:
    option = ((values.get(name) or {}).get(name) or {}).get("selected_option") or {}
    value = str(option.get("value", ""))
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def register(app: AsyncApp, quality: QualityDesk, access: SlackAccess) -> None:
    """Attach the **Avaliar** button and the scoring modal's submission (supervisors only)."""

    @app.action(REVIEW_BUTTON)
    async def open_scoring(ack: Any, body: dict, client: Any, action: dict) -> None:
        await ack()
        user = body["user"]["id"]
        review_id = button_id(action)
        if review_id is None or not body.get("trigger_id"):
            return
        if not await access.is_supervisor(user):
            await access.refuse(user, f"{REVIEW_BUTTON} {review_id}")
            channel = (body.get("channel") or {}).get("id")
            if channel:
                await client.chat_postEphemeral(
                    channel=channel, user=user, text=tickets_texts.SUPERVISORS_ONLY
                )
            return
        await client.views_open(trigger_id=body["trigger_id"], view=scoring_modal(review_id))

    @app.view(SCORE_VIEW)
    async def submitted(ack: Any, body: dict, view: dict) -> None:
        user = body["user"]["id"]
        values = (view.get("state") or {}).get("values") or {}
        review_id = record_id(view.get("private_metadata"), f"view {SCORE_VIEW}")
        first = next(iter(WEIGHTS))
        if not await access.is_supervisor(user):
            await access.refuse(user, f"{SCORE_VIEW} {review_id}")
            await ack(response_action="errors", errors={first: tickets_texts.SUPERVISORS_ONLY})
            return
        scores = {name: _picked(values, name) for name in WEIGHTS}
        missing = {name: feedback_texts.QA_PICK_ONE for name, score in scores.items() if score is None}
        if missing or review_id is None:
            await ack(response_action="errors", errors=missing or {first: feedback_texts.QA_PICK_ONE})
            return
        notes = str(((values.get(NOTES_BLOCK) or {}).get(NOTES_BLOCK) or {}).get("value") or "")
        review = await quality.score(review_id, user, {k: v for k, v in scores.items() if v}, notes)
        if review is None:
            await ack(response_action="errors", errors={first: feedback_texts.QA_UNKNOWN})
            return
        await ack()
