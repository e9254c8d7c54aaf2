"""What crises need: their records, and a board in the crisis channel."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from core.crisis.model import Audience, Crisis, CrisisDraft, CrisisStatus, Scenario


class CrisisRecords(Protocol):
    """Declared crises, the draft waiting for confirmation, and who a crisis reaches."""

    async def add_crisis(self, crisis: Crisis) -> None:
        """Record a declared crisis."""
        ...

    async def get_crisis(self, crisis_id: str) -> Crisis | None:
        """A crisis by id."""
        ...

    async def set_crisis_status(
        self, crisis_id: str, status: CrisisStatus, resolved_at: datetime | None
    ) -> None:
        """Move a crisis on; ``resolved_at`` closes it (and ends its SLA suspension)."""
        ...

    async def set_crisis_thread(self, crisis_id: str, thread_ref: str) -> None:
        """Remember the crisis's thread on the desk."""
        ...

    async def hold_crisis_draft(
        self, token: str, user: str, draft: CrisisDraft, at: datetime, keep: timedelta
    ) -> None:
        """Keep a previewed draft until its confirmation (drafts older than ``keep`` are dropped)."""
        ...

    async def take_crisis_draft(self, token: str, user: str) -> CrisisDraft | None:
        """Remove and return the draft this user previewed under ``token`` (None: no such draft)."""
        ...

    async def audience_customers(self, audience: Audience, now: datetime) -> tuple[list[int], int]:
        """The customers an audience names, and how many pasted phones match no customer."""
        ...


class CrisisBoard(Protocol):
    """Where a crisis is followed (a Slack thread in the crisis channel)."""

    async def post_crisis(self, crisis: Crisis, scenario: Scenario) -> str:
        """Post the crisis message (facts, stakeholders called); returns the thread ref."""
        ...

    async def update_crisis(self, thread_ref: str, crisis: Crisis, scenario: Scenario) -> None:
        """Redraw the crisis message (its status)."""
        ...

    async def post_update(self, thread_ref: str, text: str) -> str:
        """Post a line in the crisis thread; returns its ref."""
        ...
