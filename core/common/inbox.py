"""The raw unit of inbound work: platform adapters produce it, storage keeps it until processed.

It lives in core because both sides need it and neither may import the other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One unit of inbound work: a single message, status or other update from a webhook."""

    source: str
    kind: str
    dedup_key: str
    payload: dict
