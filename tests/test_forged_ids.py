"""Ids that come back from Slack (button values, view metadata) may be forged: each is refused cleanly.

``"²"`` passes ``str.isdigit()`` but not ``int()``, ``"١٢"`` is a number in another script, and a
number past SQLite's 64-bit integers cannot be looked up. None of them may cause a 500 (which
Slack shows the user as an error and retries) or touch any record: the listener ignores the
click and logs one line naming the button or view.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from core.backlog import texts as backlog_texts
from core.feedback.qa import WEIGHTS
from core.queue import texts as queue_texts
from handlers.slack import ai_blocks as ai
from handlers.slack.broadcast import CANCEL, PAUSE, RESUME
from handlers.slack.escalation import REASON_BLOCK, TIER_BLOCK
from handlers.slack.escalation import VIEW as ESCALATE_VIEW
from handlers.slack.kb import DISCARD, EDIT, EDIT_VIEW, PUBLISH
from handlers.slack.lgpd import ERASE
from handlers.slack.qa import REVIEW_BUTTON, SCORE_VIEW
from handlers.slack.template_views import CHOOSE_ACTION, PICK_BLOCK, SEND_CALLBACK, TEXT_BLOCK, VALUE_ACTION
from handlers.slack.ticket_blocks import (
    CLAIM,
    ESCALATE,
    IN_PROGRESS,
    KB_SAVE,
    RELEASE,
    REOPEN,
    RESOLVE,
    TEMPLATE,
    WAITING,
)
from testing.slack_payloads import slack_block_action, slack_view_submission
from tests.conftest import CHANNEL, Desk, StartDesk

BOSS = "UBOSS"  # a supervisor, so every permission check passes and only the id is wrong
FORGED = ["²", "١٢", "9" * 30]
BUTTONS = [
    CLAIM,
    RELEASE,
    RESOLVE,
    WAITING,
    IN_PROGRESS,
    REOPEN,
    ESCALATE,
    TEMPLATE,
    KB_SAVE,
    PUBLISH,
    DISCARD,
    EDIT,
    PAUSE,
    RESUME,
    CANCEL,
    REVIEW_BUTTON,
    ai.DRAFT_SEND,
    ai.DRAFT_EDIT,
    ai.DRAFT_DISCARD,
    ERASE,
]


def _picked(value: str) -> dict:
    return {"type": "static_select", "selected_option": {"value": value}}


# each view filled in completely, so only its metadata can be wrong
VIEWS = {
    ESCALATE_VIEW: {
        TIER_BLOCK: {TIER_BLOCK: _picked("2")},
        REASON_BLOCK: {REASON_BLOCK: {"type": "plain_text_input", "value": "cliente sem acesso"}},
    },
    EDIT_VIEW: {},
    SCORE_VIEW: {name: {name: _picked("4")} for name in WEIGHTS},
    ai.DRAFT_MODAL: {ai.DRAFT_INPUT_BLOCK: {ai.DRAFT_INPUT: {"type": "plain_text_input", "value": "Oi!"}}},
}


async def logged(caplog: pytest.LogCaptureFixture, line: str) -> bool:
    """Whether ``line`` was logged; Bolt answers Slack at ``ack()``, the listener may log just after."""
    for _ in range(500):
        if line in caplog.text:
            return True
        await asyncio.sleep(0.01)
    return False


async def forged(desk: Desk, caplog: pytest.LogCaptureFixture, raw: bytes, line: str) -> str:
    """Post a forged interaction; it is answered 200 and ``line`` is logged. Returns the answer's body."""
    caplog.clear()
    response = await desk.slack_event(raw, content_type="application/x-www-form-urlencoded")
    assert response.status == 200, line
    assert await logged(caplog, line), line
    return await response.text()


async def _changes(desk: Desk) -> list[tuple]:
    """Everything the desk audits (a claim, an escalation, a publication...)."""
    return await desk.rows("SELECT action, detail FROM events")


async def test_a_button_with_a_forged_id_is_ignored_with_a_log_line(
    start_desk: StartDesk, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await start_desk(slack_supervisors=BOSS, ai_enabled=True)
    before = await _changes(desk)
    caplog.set_level(logging.WARNING)
    for action_id in BUTTONS:
        for value in FORGED:
            raw = slack_block_action(action_id, value, user_id=BOSS, channel=CHANNEL, message_ts="1.000100")
            await forged(desk, caplog, raw, f"ignored button {action_id}")
    await desk.settle()
    assert await _changes(desk) == before
    assert desk.slack.modals() == [] and desk.slack.ephemerals == []


async def test_a_view_with_forged_metadata_keeps_the_modal_open_with_a_note_and_a_log_line(
    start_desk: StartDesk, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await start_desk(slack_supervisors=BOSS, ai_enabled=True)
    before = await _changes(desk)
    caplog.set_level(logging.WARNING)
    for callback_id, values in VIEWS.items():
        for value in FORGED:
            raw = slack_view_submission(callback_id, values, user_id=BOSS, private_metadata=value)
            answer = await forged(desk, caplog, raw, f"ignored view {callback_id}")
            assert json.loads(answer)["response_action"] == "errors", (callback_id, value)
    await desk.settle()
    assert await _changes(desk) == before


async def test_a_template_view_naming_a_ticket_past_sqlite_integers_is_refused(
    start_desk: StartDesk, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    caplog.set_level(logging.WARNING)
    values = {
        PICK_BLOCK: {CHOOSE_ACTION: _picked("feature_001")},
        TEXT_BLOCK + "feature_001": {VALUE_ACTION: {"type": "plain_text_input", "value": "Oi!"}},
    }
    metadata = json.dumps({"ticket": 10**30})
    raw = slack_view_submission(SEND_CALLBACK, values, user_id=BOSS, private_metadata=metadata)
    response = await desk.slack_event(raw, content_type="application/x-www-form-urlencoded")

    assert response.status == 200
    assert json.loads(await response.text())["response_action"] == "errors"
    assert "ignored template view" in caplog.text
    assert desk.graph.sent_texts() == []


async def test_a_typed_number_that_is_not_plain_digits_gets_the_usage_line(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    for typed in FORGED:
        assert (await desk.command(f"ticket #{typed}", user=BOSS))["text"] == queue_texts.TICKET_USAGE
        assert (await desk.command(f"ideias juntar 1 {typed}", user=BOSS))[
            "text"
        ] == backlog_texts.IDEAS_USAGE
        answer = await desk.command(f"ideias entregue {typed}", user=BOSS)
        assert answer["text"] == backlog_texts.idea_not_found(typed)
