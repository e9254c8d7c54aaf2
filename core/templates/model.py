"""The saved answers agents pick from (values only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResponseTemplate:
    """A reply agents send from a ticket: pt-BR text with ``{named}`` placeholders (see core.templates)."""

    id: str
    title: str
    category: str
    tone: str
    body: str
