"""Text crossing between Slack and the desk, both ways.

Outgoing (:func:`outgoing`): the one place where the desk's text becomes Slack text. Every
payload the desk sends to Slack (Web API calls, slash-command and modal answers) passes
through it: text that is not :class:`core.common.markup.Markup` is escaped, so a customer's
``<!channel>`` shows as written and pings no one, and bidi and zero-width controls are
removed from every string, plain-text fields included.

Incoming (:func:`to_customer_text`): an agent's Slack message as a customer should read it
on WhatsApp. Slack sends ``&amp;``-escaped text with links and mentions in angle brackets.
Bold, italic and strike use the same ``*``/``_``/``~`` marks on both platforms, so only the
escapes and the bracketed forms need translating.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from core.common.markup import Markup, escape, visible

_BRACKETED = re.compile(r"<([^<>]+)>")
_ESCAPE = re.compile(r"&(amp|lt|gt);")
_ESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
_MARKUP_FIELDS = ("text", "initial_comment")
"""Payload fields Slack reads as mrkdwn (mentions, links): escaped unless desk markup."""


def to_slack(text: str) -> str:
    """Desk markup as is; any other text escaped so Slack shows it exactly, never as markup."""
    return visible(text) if isinstance(text, Markup) else str(escape(text))


def outgoing(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """A Web API or response payload with every outside string made safe for Slack.

    ``text`` and ``initial_comment``, and the ``mrkdwn`` text objects of blocks and views, go
    through :func:`to_slack`; every other string (plain-text objects, input values, user
    names, file names and titles) only loses its invisible controls.
    """
    if not payload:
        return payload
    safe = {key: _walk(value) for key, value in payload.items()}
    for key in _MARKUP_FIELDS:
        if isinstance(payload.get(key), str):
            safe[key] = to_slack(payload[key])
    if isinstance(payload.get("files"), str):  # files.completeUploadExternal: [{"id", "title"}] as JSON
        safe["files"] = json.dumps(_walk(json.loads(payload["files"])))
    return safe


def _walk(node: Any) -> Any:
    """``node`` with its mrkdwn text objects escaped and every string's invisible controls removed."""
    if isinstance(node, dict):
        walked = {key: _walk(value) for key, value in node.items()}
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            walked["text"] = to_slack(node["text"])
        return walked
    if isinstance(node, list):
        return [_walk(item) for item in node]
    return visible(node) if isinstance(node, str) else node


def from_slack(text: str) -> str:
    """What a person typed in Slack: its three escapes undone, mentions and links left as they are."""
    return _ESCAPE.sub(lambda match: _ESCAPED[match.group(1)], text)


def to_customer_text(text: str) -> str:
    """``<https://x.com|site>`` -> ``site (https://x.com)``, ``<mailto:a@b|a@b>`` -> ``a@b``.

    HTML escapes are undone last, so an escaped ``&lt;`` never looks like a link.
    """
    return html.unescape(_BRACKETED.sub(_replace, text))


def _replace(match: re.Match[str]) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith(("@", "#", "!")):
        return label or ""  # mentions mean nothing to the customer
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if target.startswith("tel:"):
        return label or target.removeprefix("tel:")
    if label and label != target:
        return f"{label} ({target})"
    return target
