"""Signed webhook builders: what Meta and Slack would POST to the app, byte-for-byte signable.

Tests use these to drive the app's real webhook endpoints (signature checks included) instead of
calling handlers directly. Payload shapes follow the recorded fixtures in ../shared/fixtures
(pywa's captured Meta deliveries and bolt-python's Slack payloads).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

_counter = itertools.count(1)


def _uid() -> str:
    return f"{next(_counter)}{uuid.uuid4().hex[:12].upper()}"


def _now() -> str:
    return str(int(time.time()))


def to_bytes(body: dict[str, Any] | bytes | str) -> bytes:
    """Serialise once, and sign/send exactly these bytes (re-serialising would break the signature)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, separators=(",", ":")).encode()


# ====================================================================== signatures


def sign_whatsapp(body: bytes, app_secret: str) -> dict[str, str]:
    """Headers Meta sends: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw body)>``."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def sign_slack(
    body: bytes, signing_secret: str, timestamp: int | None = None, *, content_type: str = "application/json"
) -> dict[str, str]:
    """Slack request signing: ``v0=hex(HMAC-SHA256(secret, f"v0:{ts}:{body}"))`` plus the timestamp.

    ``timestamp`` defaults to now; pass an old one to test the 5-minute replay window.
    """
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def slack_event_headers(
    body: bytes,
    signing_secret: str,
    timestamp: int | None = None,
    *,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """Signed headers for an Events API delivery; ``retry_num`` adds Slack's redelivery headers."""
    headers = sign_slack(body, signing_secret, timestamp, content_type="application/json")
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def slack_action_headers(body: bytes, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Signed headers for an interactivity delivery (form-encoded ``payload=...``)."""
    return sign_slack(body, signing_secret, timestamp, content_type="application/x-www-form-urlencoded")


# ====================================================================== WhatsApp payloads


def new_wamid() -> str:
    """A unique inbound-looking message id."""
    return f"wamid.FAKEIN{_uid()}"


def wa_bsuid(wa_id: str) -> str:
    """The deterministic fake business-scoped user id (BSUID) the builders give a phone number.

    pywa 4.5 *requires* ``contacts[].user_id`` (it reads ``data["user_id"]``), so every builder
    includes one; tests can predict it with this function. Format follows Meta's ``CC.<digits>``.
    """
    country = "BR" if wa_id.startswith("55") else "US"
    digits = int(hashlib.sha256(wa_id.encode()).hexdigest(), 16) % 10**20
    return f"{country}.{digits:020d}"


def wa_contact(
    wa_id: str, name: str | None, *, user_id: str | None = None, bsuid: bool = True
) -> dict[str, Any]:
    """One ``contacts[]`` entry. ``user_id`` defaults to ``wa_bsuid(wa_id)``; ``bsuid=False`` omits it
    (the pre-BSUID shape, which pywa 4.5 fails to parse)."""
    contact: dict[str, Any] = {"wa_id": wa_id}
    if name is not None:
        contact["profile"] = {"name": name}
    if bsuid:
        contact["user_id"] = user_id or wa_bsuid(wa_id)
    return contact


def wa_text_obj(
    wa_id: str,
    text: str,
    *,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """One ``messages[]`` entry of type text (``reply_to`` = the quoted wamid, as ``context.id``)."""
    msg: dict[str, Any] = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else _now(),
        "text": {"body": text},
        "type": "text",
    }
    if reply_to:
        msg["context"] = {"from": wa_id, "id": reply_to}
    return msg


def wa_media_obj(
    wa_id: str,
    kind: str,
    media_id: str,
    mime_type: str,
    *,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """One ``messages[]`` entry for image/document/audio/video/sticker, shaped like Meta's."""
    if kind not in ("image", "document", "audio", "video", "sticker"):
        raise ValueError(f"unsupported media kind {kind!r}")
    media: dict[str, Any] = {
        "mime_type": mime_type,
        "sha256": sha256 or f"{uuid.uuid4().hex[:20]}=",
        "id": str(media_id),
    }
    if caption is not None and kind in ("image", "video", "document"):
        media["caption"] = caption
    if kind == "document":
        media["filename"] = filename or "file"
    if kind == "audio":
        media["voice"] = voice
    if kind == "sticker":
        media["animated"] = False
    return {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else _now(),
        "type": kind,
        kind: media,
    }


def wa_status_obj(
    wamid: str,
    status: str,
    recipient_id: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    timestamp: int | str | None = None,
) -> dict[str, Any]:
    """One ``statuses[]`` entry. A ``failed`` status without ``errors`` gets 131026 (undeliverable)."""
    st: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(timestamp) if timestamp is not None else _now(),
        "recipient_id": recipient_id,
    }
    if status in ("sent", "delivered", "read"):
        st["conversation"] = {"id": f"CONV{_uid()}", "origin": {"type": "service"}}
        st["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    if status == "failed":
        st["errors"] = errors if errors is not None else [wa_error(131026, "Message undeliverable")]
    elif errors is not None:
        st["errors"] = errors
    return st


def wa_error(code: int, title: str, details: str | None = None) -> dict[str, Any]:
    """An ``errors[]`` entry as found in failed statuses."""
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details or title},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }


def wa_value(
    contacts: list[dict[str, Any]] | None,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    *,
    phone_number_id: str = "PHONE_ID",
    display_phone_number: str = "15550000000",
) -> dict[str, Any]:
    """One change ``value`` (metadata + contacts + messages and/or statuses)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone_number, "phone_number_id": phone_number_id},
    }
    if contacts:
        value["contacts"] = contacts
    if messages:
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return value


def wa_webhook(*values: dict[str, Any], waba_id: str = "WABA_ID") -> dict[str, Any]:
    """A full webhook body carrying each value as a ``messages`` change of one entry."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"value": v, "field": "messages"} for v in values]}],
    }


def wa_text_message(
    wa_id: str,
    name: str,
    text: str,
    *,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    user_id: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one inbound text message."""
    return wa_webhook(
        wa_value(
            [wa_contact(wa_id, name, user_id=user_id)],
            [wa_text_obj(wa_id, text, wamid=wamid, timestamp=timestamp, reply_to=reply_to)],
            phone_number_id=phone_number_id,
        )
    )


def wa_media_message(
    wa_id: str,
    name: str,
    kind: str,
    media_id: str,
    mime_type: str,
    *,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    user_id: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one inbound media message (register the bytes with FakeGraphAPI.add_media)."""
    return wa_webhook(
        wa_value(
            [wa_contact(wa_id, name, user_id=user_id)],
            [
                wa_media_obj(
                    wa_id,
                    kind,
                    media_id,
                    mime_type,
                    caption=caption,
                    filename=filename,
                    voice=voice,
                    wamid=wamid,
                    timestamp=timestamp,
                )
            ],
            phone_number_id=phone_number_id,
        )
    )


def wa_list_reply(
    wa_id: str,
    name: str,
    row_id: str,
    title: str,
    *,
    description: str | None = None,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
) -> dict[str, Any]:
    """A full webhook body: the customer picked a row of an interactive list we sent."""
    reply: dict[str, Any] = {"id": row_id, "title": title}
    if description is not None:
        reply["description"] = description
    message = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else _now(),
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": reply},
    }
    return wa_webhook(wa_value([wa_contact(wa_id, name)], [message], phone_number_id=phone_number_id))


def wa_status(
    wamid: str,
    status: str,
    recipient_id: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    name: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one delivery status (sent / delivered / read / failed).

    Carries the recipient in ``contacts`` as current Meta deliveries do (pywa 4.5 requires it).
    """
    return wa_webhook(
        wa_value(
            [wa_contact(recipient_id, name, user_id=user_id)],
            statuses=[wa_status_obj(wamid, status, recipient_id, errors=errors, timestamp=timestamp)],
            phone_number_id=phone_number_id,
        )
    )


# ====================================================================== Slack payloads


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
        "trigger_id": trigger_id or f"{_uid()}.{team_id}.fake",
        "team": {"id": team_id, "domain": "fake"},
        "channel": {"id": channel, "name": channel.lower()},
        "message": message,
        "state": {"values": {}},
        "response_url": f"https://hooks.slack.invalid/actions/{team_id}/{_uid()}",
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
        "event_id": event_id or f"Ev{_uid()}",
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
            "trigger_id": trigger_id or f"{_uid()}.{team_id}.fake",
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
        "trigger_id": f"{_uid()}.{team_id}.fake",
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": _uid(),
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
        "trigger_id": f"{_uid()}.{team_id}.fake",
        "team": {"id": team_id, "domain": "fake"},
        "view": {"hash": _uid(), "state": {"values": {}}, **view},
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
