"""Slack interactivity and Events API bodies: clicks, messages, slash commands, modal submissions.

Shapes follow bolt-python's recorded Slack payloads in ../shared/fixtures. Sign the bytes with
``signing.slack_event_headers`` / ``signing.slack_action_headers``.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from .signing import unique_id


def slack_block_action(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel: str,
    message_ts: str,
    team_id: str = "T0001",
    block_id: str = "b",
    action_type: str = "button",
    thread_ts: str | None = None,
    user_name: str | None = None,
    api_app_id: str = "A0001",
    message_text: str = "",
    trigger_id: str | None = None,
    view: dict[str, Any] | None = None,
) -> bytes:
    """An interactivity POST body (``payload=<urlencoded JSON>``) for a click on a message button.

    ``action_type="static_select"`` sends ``selected_option`` instead of ``value``, as Slack does.
    With ``view`` the click happened inside that modal or App Home view instead of a message.
    """
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": f"{time.time():.6f}",
    }
    if action_type == "static_select":
        action["selected_option"] = {"text": {"type": "plain_text", "text": value}, "value": value}
    else:
        action["value"] = value
        action["text"] = {"type": "plain_text", "text": value, "emoji": True}
    message: dict[str, Any] = {
        "type": "message",
        "ts": message_ts,
        "text": message_text,
        "user": "UBOT",
        "bot_id": "BBOT",
        "blocks": [],
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    name = user_name or user_id.lower()
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": name, "name": name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "verification_token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id or f"{unique_id()}.{team_id}.fake",
        "team": {"id": team_id, "domain": "fake"},
        "channel": {"id": channel, "name": channel.lower()},
        "message": message,
        "state": {"values": {}},
        "response_url": f"https://hooks.slack.invalid/actions/{team_id}/{unique_id()}",
        "actions": [action],
    }
    if view is not None:
        for key in ("channel", "message", "response_url"):
            del payload[key]
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
    return urlencode({"payload": json.dumps(payload)}).encode()


def slack_message_event(
    channel: str,
    user: str,
    text: str,
    *,
    ts: str,
    thread_ts: str | None = None,
    files: list[dict[str, Any]] | None = None,
    event_id: str | None = None,
    team_id: str = "T0001",
    bot_id: str | None = None,
    subtype: str | None = None,
    parent_user_id: str | None = None,
    channel_type: str = "channel",
    api_app_id: str = "A0001",
) -> bytes:
    """An Events API ``event_callback`` body for a channel message (``files`` -> subtype file_share).

    ``bot_id`` marks it as posted by a bot (e.g. the app's own echo, which it must ignore).
    """
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "team": team_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        if parent_user_id:
            event["parent_user_id"] = parent_user_id
    if files:
        event["files"] = files
        event["upload"] = False
        event["display_as_bot"] = False
    if bot_id:
        event["bot_id"] = bot_id
    if subtype or files:
        event["subtype"] = subtype or "file_share"
    body = {
        "token": "verification_token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{unique_id()}",
        "event_time": int(float(ts)) if ts.replace(".", "", 1).isdigit() else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(body).encode()


def slack_url_verification(challenge: str = "fake-challenge") -> bytes:
    """The one-off Events API URL verification body."""
    return json.dumps(
        {"token": "verification_token", "challenge": challenge, "type": "url_verification"}
    ).encode()


def slack_command(
    text: str,
    *,
    user_id: str,
    channel: str = "CSUPPORT",
    command: str = "/suporte",
    team_id: str = "T0001",
    response_url: str = "https://hooks.slack.invalid/commands/none",
    trigger_id: str | None = None,
) -> bytes:
    """A slash-command POST body (form-encoded), as Slack sends when someone types ``/suporte TEXT``."""
    return urlencode(
        {
            "token": "verification_token",
            "team_id": team_id,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": trigger_id or f"{unique_id()}.{team_id}.fake",
        }
    ).encode()


def slack_view_submission(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    *,
    user_id: str,
    private_metadata: str = "",
    team_id: str = "T0001",
    view_id: str = "V000001",
) -> bytes:
    """An interactivity POST body for a submitted modal.

    ``values`` is ``{block_id: {action_id: element_state}}`` as Slack sends it, for example
    ``{"reason": {"reason": {"type": "plain_text_input", "value": "texto"}}}``.
    """
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "fake"},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0001",
        "token": "verification_token",
        "trigger_id": f"{unique_id()}.{team_id}.fake",
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": unique_id(),
            "blocks": [],
        },
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def slack_view_action(
    action_id: str,
    view: dict[str, Any],
    *,
    user_id: str,
    selected: str | None = None,
    value: str | None = None,
    block_id: str = "b",
    team_id: str = "T0001",
) -> bytes:
    """An interactivity POST body for an element used inside an open modal (``view`` as Slack stored it).

    ``selected`` makes it a static_select pick; ``value`` a button press.
    """
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": f"{time.time():.6f}"}
    if selected is not None:
        action["type"] = "static_select"
        action["selected_option"] = {"text": {"type": "plain_text", "text": selected}, "value": selected}
    else:
        action["type"] = "button"
        action["value"] = value or ""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id},
        "api_app_id": "A0001",
        "token": "verification_token",
        "container": {"type": "view", "view_id": view.get("id", "V000001")},
        "trigger_id": f"{unique_id()}.{team_id}.fake",
        "team": {"id": team_id, "domain": "fake"},
        "view": {"hash": unique_id(), "state": {"values": {}}, **view},
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
