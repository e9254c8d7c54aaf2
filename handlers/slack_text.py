"""Slack message text as a customer should read it on WhatsApp.

Slack sends ``&amp;``-escaped text with links and mentions in angle brackets. Bold,
italic and strike use the same ``*``/``_``/``~`` marks on both platforms, so only the
escapes and the bracketed forms need translating.
"""

from __future__ import annotations

import html
import re

_BRACKETED = re.compile(r"<([^<>]+)>")


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
