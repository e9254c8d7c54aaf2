"""HTTP endpoint for Slack (events, interactivity and slash commands) in front of Bolt.

Bolt verifies the signature and the 5-minute timestamp window, but it trusts the shape of
what it reads: a body that is not UTF-8, JSON that is not an object, a ``payload=`` that is
not JSON, an ``event`` that is not an object or a timestamp that is not a number make it
raise, and the caller would get a 500 (which Slack retries). This adapter answers those
with a 4xx before Bolt sees them; everything else is Bolt's to judge.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"

# Fields Bolt dereferences before any listener runs, by the type Slack always sends
# (the object fields are never null; the others may be).
_OBJECT_FIELDS = ("event", "view", "container", "message", "previous_message")
_OBJECT_OR_ID_FIELDS = ("user", "team", "channel", "enterprise")
_LIST_OF_OBJECT_FIELDS = ("actions", "authorizations")
# Payload types whose listeners Bolt picks by ``actions[0]``.
_ACTION_TYPES = ("block_actions", "interactive_message")


class SlackEndpoint:
    """aiohttp handler for ``POST /slack/events``."""

    def __init__(self, app: AsyncApp, signing_secret: str | None) -> None:
        self._app = app
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def handle(self, request: web.Request) -> web.Response:
        """Refuse what Bolt cannot read, hand the rest to Bolt and translate its answer back."""
        raw = await request.read()
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="body is not UTF-8")
        headers = request.headers
        if not _signature_headers_readable(headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)):
            return web.Response(status=401, text="invalid signature headers")
        if self._verifier is None:  # Socket Mode: Slack never posts here
            return web.Response(status=401, text="HTTP mode is off (SLACK_APP_TOKEN is set)")
        if not self._verifier.is_valid_request(raw, dict(headers)):
            # checked before the shape, so an unsigned request learns nothing about our parser
            return web.Response(status=401, text="invalid or expired signature")
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=dict(headers))
        except (ValueError, RecursionError, AttributeError, TypeError, KeyError, IndexError):
            # Bolt parses and reads the body while building the request: not JSON, not a form,
            # or JSON that is not an object
            return web.Response(status=400, text="body is not a Slack payload")
        if not _well_formed(bolt_request.body):
            return web.Response(status=400, text="body is not a Slack payload")
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))


def _signature_headers_readable(timestamp: str | None, signature: str | None) -> bool:
    """Headers Bolt can check: it compares the signature as ASCII and the timestamp as an integer.

    Missing headers are fine here: Bolt answers those with its own 401.
    """
    if signature is not None and not signature.isascii():
        return False
    if timestamp is None:
        return True
    try:
        int(timestamp)
    except ValueError:
        return False
    return True


def _well_formed(body: Any, depth: int = 0) -> bool:
    """Whether the fields Bolt reads unchecked have the types Slack sends (objects, id strings, lists),
    in the payload and in the objects Bolt looks into (the event, its message, the authorizations)."""
    if not isinstance(body, dict):
        return False
    for key in _OBJECT_FIELDS:
        if key in body and not isinstance(body[key], dict):
            return False
    for key in _OBJECT_OR_ID_FIELDS:
        value = body.get(key)
        if value is not None and not isinstance(value, dict | str):
            return False
        if isinstance(value, dict) and value.get("id") is not None and not isinstance(value["id"], str):
            return False  # Bolt takes user.id, team.id... as the ids it stores and compares
    for key in _LIST_OF_OBJECT_FIELDS:
        value = body.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            return False
    view = body.get("view")
    if isinstance(view, dict) and "callback_id" in view and not isinstance(view.get("type"), str):
        return False  # Bolt reads view["type"] of every submitted or closed view
    if body.get("type") in _ACTION_TYPES:
        actions = body.get("actions")  # Bolt reads actions[0] of every action payload
        if not actions or (
            body["type"] == "block_actions" and not isinstance(actions[0].get("action_id"), str)
        ):
            return False
    if depth == 2:
        return True
    inner = [body.get(key) for key in ("event", "message", "previous_message")] + list(
        body.get("authorizations") or []
    )
    return all(_well_formed(part, depth + 1) for part in inner if part is not None)
