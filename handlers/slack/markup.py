"""Slack's mentions and links, written only here: ``<@U123>``, ``<!subteam^S123>``, ``<#C123>``,
``<https://x|label>``.

Each builder gives :class:`core.common.markup.Markup` (desk markup, sent as is) and refuses to
write markup around anything that is not a Slack id or a web/mail address: such a value comes
out as plain text, escaped. The core never writes these: it asks the desk
(``AgentDesk.mention_user``, ``mention_group``, ``link``) or is handed the rendered string.
"""

from __future__ import annotations

import re

from core.common.markup import Markup, escape

_SLACK_ID = re.compile(r"[A-Z0-9]+")
_LINK_TARGET = re.compile(r"(https?://|mailto:)\S+")


def user(user_id: str) -> Markup:
    """A mention of a Slack user (``<@U123>``); anything but an id stays plain text."""
    return Markup(f"<@{user_id}>") if _SLACK_ID.fullmatch(user_id) else escape(user_id)


def group(group_id: str) -> Markup:
    """A mention of a Slack user group (``<!subteam^S123>``), which notifies its members."""
    return Markup(f"<!subteam^{group_id}>") if _SLACK_ID.fullmatch(group_id) else escape(group_id)


def channel(channel_id: str) -> Markup:
    """A link to a Slack channel (``<#C123>``)."""
    return Markup(f"<#{channel_id}>") if _SLACK_ID.fullmatch(channel_id) else escape(channel_id)


def link(url: str, label: str) -> Markup:
    """``label`` linking to ``url`` (http, https or mailto); any other target shows the label alone."""
    if not _LINK_TARGET.fullmatch(url):
        return escape(label)
    target = escape(url).replace("|", "%7C")
    return Markup(f"<{target}|{escape(label)}>")
