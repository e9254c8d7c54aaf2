"""Block Kit for crises: the declaration modal, its confirmation, the update modal, the thread message."""

from __future__ import annotations

from typing import Any

from core.ai.schema import CATEGORIES
from core.broadcast.texts import when
from core.common import labels
from core.common.markup import Markup
from core.crisis import texts
from core.crisis.model import (
    AudienceKind,
    AudiencePreview,
    Crisis,
    CrisisDraft,
    CrisisStatus,
    Scenario,
    Severity,
)
from handlers.slack import markup
from handlers.slack.ticket_blocks import _button

DRAFT_VIEW = "crisis.draft"
CONFIRM_VIEW = "crisis.confirm"
UPDATE_VIEW = "crisis.update_view"
UPDATE = "crisis.update"
SCENARIO = "crisis.scenario"
MESSAGE_BLOCK = "message:"
"""The message block's id is this plus the scenario it was filled for: a new id makes Slack show
the new scenario's text (it keeps what was typed in a block whose id stays the same)."""
DESCRIPTION_MAX = 500
MESSAGE_MAX = 1000
"""The customer message, description in place (a template variable holds at most 1024 characters)."""


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def _select(
    block: str, label: str, options: list[dict[str, Any]], *, optional: bool = False, initial: str = ""
) -> dict[str, Any]:
    """A select showing ``initial`` (a required one shows its first option when none is given)."""
    element: dict[str, Any] = {"type": "static_select", "action_id": block, "options": options}
    shown = next((o for o in options if o["value"] == initial), None)
    if shown is None and not optional:
        shown = options[0]
    if shown is not None:
        element["initial_option"] = shown
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _text(
    block: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    hint: str = "",
    max_length: int = 3000,
    action_id: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id or block,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    input_block: dict[str, Any] = {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        input_block["hint"] = {"type": "plain_text", "text": hint}
    return input_block


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], metadata: str = ""
) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": texts.BUTTON_CANCEL},
        "blocks": blocks,
    }


def draft_modal(
    scenarios: dict[str, Scenario], chosen: str = "", entries: dict[str, str] | None = None
) -> dict[str, Any]:
    """Scenario, severity, description, audience (with its fields), message and template.

    ``chosen`` is the scenario picked (the first one when the form opens); the message starts as
    ``entries["message"]`` or else that scenario's text. ``entries`` (block -> value) carries what was
    already filled in when the form is redrawn for another scenario.
    """
    chosen = chosen or next(iter(scenarios))
    entries = entries or {}
    scenario_options = [
        _option(
            f"{labels.of(labels.CRISIS_SCENARIO, key)} · resposta {texts.response_time(s.response_minutes)}",
            key,
        )
        for key, s in scenarios.items()
    ]
    scenario = _select("scenario", texts.LABEL_SCENARIO, scenario_options, initial=chosen)
    scenario["dispatch_action"] = True  # picking one redraws the form with its message
    scenario["element"]["action_id"] = SCENARIO
    return _modal(
        DRAFT_VIEW,
        texts.MODAL_TITLE,
        texts.BUTTON_NEXT,
        [
            scenario,
            _select(
                "severity",
                texts.LABEL_SEVERITY,
                [_option(labels.of(labels.SEVERITY, s), s.value) for s in Severity],
                initial=entries.get("severity", ""),
            ),
            _text(
                "description",
                texts.LABEL_DESCRIPTION,
                initial=entries.get("description", ""),
                max_length=DESCRIPTION_MAX,
            ),
            _select(
                "audience",
                texts.LABEL_AUDIENCE,
                [_option(labels.of(labels.AUDIENCE, k), k.value) for k in AudienceKind],
                initial=entries.get("audience", ""),
            ),
            _text("plan", texts.LABEL_PLAN, initial=entries.get("plan", ""), optional=True, max_length=60),
            _text(
                "number", texts.LABEL_NUMBER, initial=entries.get("number", ""), optional=True, max_length=4
            ),
            _select(
                "category",
                texts.LABEL_CATEGORY,
                [_option(labels.of(labels.CATEGORY, c), c) for c in CATEGORIES],
                optional=True,
                initial=entries.get("category", ""),
            ),
            _text(
                "phones", texts.LABEL_PHONES, initial=entries.get("phones", ""), optional=True, multiline=True
            ),
            _text(
                MESSAGE_BLOCK + chosen,
                texts.LABEL_MESSAGE,
                initial=entries.get("message") or texts.scenario_message(chosen),
                optional=True,
                multiline=True,
                hint=texts.HINT_MESSAGE,
                max_length=MESSAGE_MAX,
                action_id="message",
            ),
            _text(
                "template",
                texts.LABEL_TEMPLATE,
                initial=entries.get("template", ""),
                optional=True,
                hint=texts.HINT_TEMPLATE,
                max_length=512,
            ),
        ],
    )


def confirm_view(token: str, draft: CrisisDraft, audience: AudiencePreview) -> dict[str, Any]:
    """The recipients, the split now / later, and the message exactly as customers will read it."""
    preview = audience.preview
    lines = texts.preview_lines(preview, audience.unknown_phones)
    if not preview.total:
        lines.append(texts.NOBODY)
    template = texts.template_line(draft.template)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        {"type": "divider"},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": texts.PREVIEW_HEADER + "\n>" + draft.text.replace("\n", "\n>"),
            },
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": template}]},
    ]
    submit = texts.BUTTON_CONFIRM if preview.now or preview.later else texts.BUTTON_CONFIRM_SILENT
    return _modal(CONFIRM_VIEW, texts.CONFIRM_TITLE, submit, blocks, metadata=token)


def update_modal(crisis: Crisis) -> dict[str, Any]:
    """New status, the update's text, and whether customers get it too."""
    statuses = [
        _option(labels.of(labels.CRISIS_STATUS, s), s.value) for s in CrisisStatus if s is not crisis.status
    ]
    notify: dict[str, Any] = {
        "type": "input",
        "block_id": "notify",
        "optional": True,
        "label": {"type": "plain_text", "text": texts.LABEL_NOTIFY},
        "element": {
            "type": "checkboxes",
            "action_id": "notify",
            "options": [_option(texts.NOTIFY_OPTION, "yes")],
        },
    }
    return _modal(
        UPDATE_VIEW,
        texts.UPDATE_TITLE,
        texts.BUTTON_SAVE,
        [
            _select("status", texts.LABEL_STATUS, statuses),
            _text("text", texts.LABEL_UPDATE_TEXT, multiline=True, max_length=MESSAGE_MAX),
            notify,
        ],
        metadata=crisis.id,
    )


def notice_view(text: str) -> dict[str, Any]:
    """A modal that only says something (an expired draft, a refusal)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": texts.MODAL_TITLE},
        "close": {"type": "plain_text", "text": "Fechar"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def crisis_blocks(crisis: Crisis, scenario: Scenario, stakeholders: list[str]) -> list[dict[str, Any]]:
    """The crisis thread's message: header, facts, who was called, and the update button while open."""
    header = texts.crisis_header(crisis.id, scenario, crisis.severity, crisis.status)
    facts = texts.crisis_facts(
        scenario, crisis.description, markup.user(crisis.declared_by), crisis.declared_at, stakeholders
    )
    facts.append(f"*Público:* {crisis.audience}")
    if crisis.resolved_at is not None:
        facts.append(f"*Encerrada:* {when(crisis.resolved_at)}")
    text = Markup("\n").join([header, *facts])
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if crisis.status is not CrisisStatus.RESOLVED:
        blocks.append(
            {"type": "actions", "elements": [_button(texts.BUTTON_UPDATE, UPDATE, crisis.id, "primary")]}
        )
    return blocks
