"""How Slack reads mrkdwn text: what an agent sees, and which parts are live mentions and links.

Slack parses every ``<…>`` span of a message's ``text``, of a ``mrkdwn`` text object in blocks
and of a slash-command answer: ``<!here>``, ``<!channel>`` and ``<!everyone>`` notify the whole
channel, ``<!subteam^S1>`` a user group, ``<@U1>`` one person, ``<#C1>`` links a channel and
``<https://x|label>`` shows ``label`` linking to ``https://x``. Only then are ``&lt;``,
``&gt;`` and ``&amp;`` turned back into ``<``, ``>`` and ``&`` (no other entity is decoded), so
escaped text shows exactly as written and is never markup. ``plain_text`` objects, user names
and file titles are shown as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_SPAN = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_DECODED = {"amp": "&", "lt": "<", "gt": ">"}
BROADCASTS = frozenset({"here", "channel", "everyone"})


@dataclass(frozen=True, slots=True)
class Live:
    """One live piece of markup: ``kind`` is broadcast, group, user, channel, date or link."""

    kind: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A mrkdwn text as Slack shows it, and the live markup in it."""

    text: str
    live: tuple[Live, ...]


def render(text: str) -> Rendered:
    """What Slack shows for ``text`` and what in it notifies or links."""
    live: list[Live] = []

    def span(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        piece = _live(target, label)
        live.append(piece)
        shown = piece.label or piece.target
        return "@" + shown if piece.kind in ("broadcast", "group", "user") else shown

    shown = _SPAN.sub(span, text)
    return Rendered(_ENTITY.sub(lambda m: _DECODED[m.group(1)], shown), tuple(live))


def _live(target: str, label: str) -> Live:
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in BROADCASTS:
            return Live("broadcast", command, label)
        if command == "subteam":
            return Live("group", argument, label)
        return Live("date" if command == "date" else "command", target[1:], label)
    if target.startswith("@"):
        return Live("user", target[1:], label)
    if target.startswith("#"):
        return Live("channel", target[1:], label)
    return Live("link", target, label)


def message_texts(message: dict[str, Any]) -> Iterator[str]:
    """Every text Slack parses in a message: its ``text`` (notifications too) and its blocks."""
    if message.get("text"):
        yield message["text"]
    yield from mrkdwn_texts(message.get("blocks"))


def mrkdwn_texts(node: Any) -> Iterator[str]:
    """The ``mrkdwn`` text objects anywhere in blocks or a view."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from mrkdwn_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from mrkdwn_texts(item)
