"""Block Kit for the AI's drafts: the draft post with Enviar / Editar / Descartar, and the edit modal."""

from __future__ import annotations

from typing import Any

from core.ai import texts as ai_texts
from core.ai.model import DraftView
from core.common.markup import Markup, shorten
from handlers.slack import markup

DRAFT_SEND = "ai.draft.send"
DRAFT_EDIT = "ai.draft.edit"
DRAFT_DISCARD = "ai.draft.discard"
DRAFT_MODAL = "ai.draft.edit_modal"
DRAFT_INPUT_BLOCK = "draft"
DRAFT_INPUT = "text"
_SECTION_LIMIT = 2900  # Slack refuses section text over 3000 characters


def draft_text(view: DraftView) -> str:
    """Plain-text fallback of a draft post, under its message's triage line."""
    title = f"Rascunho da IA para o ticket #{view.ticket_id}"
    return f"{view.triage_line}\n{title}" if view.triage_line else title


def draft_blocks(view: DraftView) -> list[dict[str, Any]]:
    """The draft, who wrote it and how sure it is, its sources, and the buttons (or who decided)."""
    body = shorten(view.text, _SECTION_LIMIT)
    context = [ai_texts.ai_draft_meta(view.model, view.confidence, view.likely_resolved)]
    if view.sources:
        names = [markup.link(hit.url, hit.title) if hit.url else hit.title for hit in view.sources]
        context.append(f"{ai_texts.AI_DRAFT_SOURCES}: " + Markup(", ").join(names))
    blocks: list[dict[str, Any]] = []
    if view.triage_line:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": view.triage_line}]})
    blocks += [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": Markup("{}\n{}").format(ai_texts.AI_DRAFT_HEADER, body)},
        },
        # one element: Slack runs a context's elements together on one line
        {"type": "context", "elements": [{"type": "mrkdwn", "text": Markup("\n").join(context)}]},
    ]
    if view.decided_line:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": view.decided_line}]})
        return blocks
    value = str(view.draft_id)
    blocks.append(
        {
            "type": "actions",
            "block_id": f"draft:{view.draft_id}",
            "elements": [
                _button(ai_texts.BUTTON_DRAFT_SEND, DRAFT_SEND, value, "primary"),
                _button(ai_texts.BUTTON_DRAFT_EDIT, DRAFT_EDIT, value),
                _button(ai_texts.BUTTON_DRAFT_DISCARD, DRAFT_DISCARD, value, "danger"),
            ],
        }
    )
    return blocks


def edit_modal(draft_id: int, text: str) -> dict[str, Any]:
    """The **Editar** modal, prefilled with the draft."""
    return {
        "type": "modal",
        "callback_id": DRAFT_MODAL,
        "private_metadata": str(draft_id),
        "title": {"type": "plain_text", "text": ai_texts.AI_DRAFT_MODAL_TITLE},
        "submit": {"type": "plain_text", "text": ai_texts.AI_DRAFT_MODAL_SUBMIT},
        "blocks": [
            {
                "type": "input",
                "block_id": DRAFT_INPUT_BLOCK,
                "label": {"type": "plain_text", "text": ai_texts.AI_DRAFT_MODAL_LABEL},
                "element": {
                    "type": "plain_text_input",
                    "action_id": DRAFT_INPUT,
                    "multiline": True,
                    "initial_value": text[:3000],
                },
            }
        ],
    }


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button
