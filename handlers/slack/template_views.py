"""Block Kit for response templates: the agent's "reply with a template" modal and the supervisors' editor.

Only drawing lives here; :mod:`handlers.slack.templates` decides when each view is shown
and reads what comes back. Block ids are the contract between the two.
"""

from __future__ import annotations

import json
from typing import Any

from core.common import labels
from core.templates import filling as templates
from core.templates import texts as templates_texts
from core.templates.model import ResponseTemplate
from core.templates.responses import Prepared

SEND_CALLBACK = "template.send"
CHOOSE_ACTION = "template.choose"
PICK_BLOCK = "template"
TEXT_BLOCK = "text:"  # + template id, so switching templates resets the text box
GAP_BLOCK = "gap:"  # + placeholder name
VALUE_ACTION = "value"

LIST_CALLBACK = "templates.list"
SAVE_CALLBACK = "templates.save"
NEW_ACTION = "templates.new"
EDIT_ACTION = "templates.edit"
FORM_FIELDS = ("id", "title", "category", "tone", "body")
DELETE_BLOCK = "delete"
DELETE_VALUE = "delete"

MAX_OPTIONS = 100  # Slack's limit for a static select


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text[: templates.MAX_TITLE]), "value": value}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _text_input(
    block_id: str, label: str, *, initial: str | None = None, multiline: bool = False, optional: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE_ACTION, "multiline": multiline}
    if initial:
        element["initial_value"] = initial[: templates.MAX_BODY]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }


def _select(block_id: str, label: str, options: list[dict[str, Any]], initial: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": VALUE_ACTION, "options": options}
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _modal(
    callback_id: str, title: str, blocks: list[dict[str, Any]], metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title[:24]),
        "close": _plain(templates_texts.TEMPLATE_CANCEL),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def send_view(
    ticket_id: int, choices: list[ResponseTemplate], prepared: Prepared | None, notice: str | None = None
) -> dict[str, Any]:
    """Pick a template; once picked, the filled text to edit and a field for each gap (the highlight)."""
    options = [
        _option(f"{t.title} · {labels.of(labels.CATEGORY, t.category)}", t.id) for t in choices[:MAX_OPTIONS]
    ]
    picker: dict[str, Any] = {
        "type": "static_select",
        "action_id": CHOOSE_ACTION,
        "placeholder": _plain(templates_texts.TEMPLATE_PICK_PLACEHOLDER),
        "options": options,
    }
    chosen = prepared.template.id if prepared else None
    for option in options:
        if option["value"] == chosen:
            picker["initial_option"] = option
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": PICK_BLOCK,
            "dispatch_action": True,
            "label": _plain(templates_texts.TEMPLATE_PICK_LABEL),
            "element": picker,
        }
    ]
    if notice:
        blocks.append(_context(notice))
    if prepared is None:
        blocks.append(_context(templates_texts.TEMPLATE_PICK_HINT))
        view = _modal(SEND_CALLBACK, templates_texts.TEMPLATE_MODAL_TITLE, blocks, {"ticket": ticket_id})
        return view
    gaps = prepared.filled.gaps
    if gaps:
        blocks.append(_context(templates_texts.template_gaps_hint([templates.label(name) for name in gaps])))
        blocks.extend(
            _text_input(
                GAP_BLOCK + name, templates_texts.template_gap_label(templates.label(name)), optional=True
            )
            for name in gaps
        )
    text = _text_input(TEXT_BLOCK + prepared.template.id, templates_texts.TEMPLATE_TEXT_LABEL, multiline=True)
    text["element"]["initial_value"] = prepared.filled.text[: templates.MAX_BODY]
    text["hint"] = _plain(templates_texts.TEMPLATE_TEXT_HINT)
    blocks.append(text)
    view = _modal(SEND_CALLBACK, templates_texts.TEMPLATE_MODAL_TITLE, blocks, {"ticket": ticket_id})
    view["submit"] = _plain(templates_texts.TEMPLATE_SEND)
    return view


def list_view(all_templates: list[ResponseTemplate]) -> dict[str, Any]:
    """The supervisors' list: every template with an edit button, and a button for a new one."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": NEW_ACTION,
                    "text": _plain(templates_texts.TEMPLATES_NEW),
                    "style": "primary",
                }
            ],
        }
    ]
    if not all_templates:
        blocks.append(_context(templates_texts.TEMPLATES_NONE))
    for t in all_templates[:95]:  # Slack shows at most 100 blocks
        preview = " ".join(t.body.split())[:140]
        category = labels.of(labels.CATEGORY, t.category)
        tone = labels.of(labels.TEMPLATE_TONE, t.tone)
        blocks.append(
            {
                "type": "section",
                "block_id": f"template:{t.id}",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{t.title}* · `{t.id}`\n{category} · {tone}\n_{preview}_",
                },
                "accessory": {
                    "type": "button",
                    "action_id": EDIT_ACTION,
                    "value": t.id,
                    "text": _plain(templates_texts.TEMPLATES_EDIT),
                },
            }
        )
    return _modal(LIST_CALLBACK, templates_texts.TEMPLATES_MODAL_TITLE, blocks, {})


def form_view(template: ResponseTemplate | None) -> dict[str, Any]:
    """Create (``template`` None) or edit a template; the id cannot change once saved."""
    blocks: list[dict[str, Any]] = []
    if template is None:
        blocks.append(_text_input("id", templates_texts.TEMPLATE_FIELD_ID))
    else:
        blocks.append(_context(f"`{template.id}`"))
    blocks.append(
        _text_input(
            "title", templates_texts.TEMPLATE_FIELD_TITLE, initial=template.title if template else None
        )
    )
    categories = [_option(label, key) for key, label in labels.CATEGORY.items()]
    blocks.append(
        _select(
            "category",
            templates_texts.TEMPLATE_FIELD_CATEGORY,
            categories,
            template.category if template else None,
        )
    )
    tones = [_option(label, key) for key, label in labels.TEMPLATE_TONE.items()]
    blocks.append(
        _select("tone", templates_texts.TEMPLATE_FIELD_TONE, tones, template.tone if template else None)
    )
    body = _text_input(
        "body",
        templates_texts.TEMPLATE_FIELD_BODY,
        initial=template.body if template else None,
        multiline=True,
    )
    blocks.append(body)
    blocks.append(_context(templates_texts.template_placeholders_hint(list(templates.AUTOMATIC))))
    if template is not None:
        blocks.append(_delete_box())
    title = templates_texts.TEMPLATE_FORM_EDIT if template else templates_texts.TEMPLATE_FORM_NEW
    view = _modal(SAVE_CALLBACK, title, blocks, {"edit": template.id if template else None})
    view["submit"] = _plain(templates_texts.TEMPLATE_FORM_SAVE)
    return view


def _delete_box() -> dict[str, Any]:
    """An unticked box: deleting is a deliberate tick followed by Salvar, never one stray click."""
    option = {
        "text": _plain(templates_texts.TEMPLATE_DELETE_OPTION),
        "value": DELETE_VALUE,
        "description": _plain(templates_texts.TEMPLATE_DELETE_HINT),
    }
    return {
        "type": "input",
        "block_id": DELETE_BLOCK,
        "label": _plain(templates_texts.TEMPLATE_FIELD_DELETE),
        "optional": True,
        "element": {"type": "checkboxes", "action_id": VALUE_ACTION, "options": [option]},
    }
