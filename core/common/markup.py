"""Desk markup (Slack mrkdwn) kept apart from text that came from outside.

Slack reads ``<!here>``, ``<!channel>``, ``<@U123>``, ``<!subteam^S1>``, ``<#C123>`` and
``<https://x|label>`` in any text it shows as broadcasts, mentions and links. A customer's
message, name or file name, an AI answer or an idea must never become one: only the desk
writes markup. So desk markup has a type, :class:`Markup`, made by the desk's own texts and by
the Slack edge's builders of mentions and links (``handlers.slack.markup``: the core asks the
desk for them, ``AgentDesk.mention_user`` and the like); every other ``str`` is plain text,
escaped (``&``, ``<``, ``>``) where it becomes Slack text (``handlers.slack.text``).
Escaped text renders back character for character, so agents still read what was written.

Composing keeps the two apart: ``Markup("{}: {}").format(mention, customer_text)``, ``+`` and
``join`` escape the plain parts and keep the markup. An f-string or any other ``str`` method
gives a plain ``str``, escaped whole: a forgotten :class:`Markup` shows a literal ``<@U1>``,
never a live mention written by a customer.

Invisible controls are removed from all outside text: bidi overrides and isolates (an
``invoice\u202efdp.exe`` that shows as ``invoiceexe.pdf``) and zero-width characters, except
the joiner inside an emoji sequence (👨‍👩‍👧).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_INVISIBLE = re.compile(
    "[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
    # a zero-width joiner only joins emoji: anywhere else it hides a character boundary
    f"|(?<![{_EMOJI}\ufe0f])\u200d|\u200d(?![{_EMOJI}])"
)


def visible(text: str) -> str:
    """``text`` without bidi controls and zero-width characters (for plain-text fields too)."""
    return _INVISIBLE.sub("", text)


class Markup(str):
    """Text the desk wrote in Slack's markup: sent as is, never escaped again."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> Markup:
        """Fill the template, escaping every plain ``str`` argument."""
        return Markup(str.format(self, *(_safe(a) for a in args), **{k: _safe(v) for k, v in kwargs.items()}))

    def join(self, parts: Iterable[str]) -> Markup:  # type: ignore[override]
        return Markup(str.join(self, (escape(part) for part in parts)))

    def __add__(self, other: str) -> Markup:  # type: ignore[override]
        if not isinstance(other, str):
            return NotImplemented
        return Markup(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Markup:
        if not isinstance(other, str):
            return NotImplemented
        return Markup(str.__add__(escape(other), self))


def escape(text: str) -> Markup:
    """Plain text as markup that shows exactly that text (minus invisible controls)."""
    if isinstance(text, Markup):
        return text
    cleaned = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(cleaned)


def quote(text: str) -> Markup:
    """``text`` as a Slack block quote, every line of it."""
    return Markup("\n").join(Markup("> ") + line for line in text.splitlines() or [""])


def shorten(text: str, limit: int) -> Markup:
    """``text`` escaped and cut to ``limit`` characters *as Slack counts them* (escapes included).

    Escaping can make a text four times longer (``<`` is ``&lt;``), and Slack refuses a section
    over 3,000 characters; the cut never splits an escape, a mention or a link.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    return Markup(re.sub(r"&[a-z]*$|<[^>]*$", "", escaped[: limit - 1]) + "…")


def _safe(value: Any) -> Any:
    """Format arguments: text is escaped, numbers and dates keep their format specs."""
    return escape(value) if isinstance(value, str) else value
