"""What the broadcast engine needs: its records, its send ledger, a board for progress."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.broadcast.model import Broadcast, BroadcastState, Claimed, Outcome, RecipientState, Tally, Via


class BroadcastRecords(Protocol):
    """A broadcast, its recipients and its progress."""

    async def add_broadcast(
        self,
        kind: str,
        key: str,
        body: str,
        template: str,
        created_by: str,
        at: datetime,
        progress_thread: str | None,
    ) -> tuple[int, bool]:
        """Create a running broadcast; its id and False when one with this key exists already."""
        ...

    async def add_recipients(self, broadcast_id: int, customer_ids: Sequence[int]) -> None:
        """Queue customers for a broadcast (each once)."""
        ...

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        ...

    async def set_broadcast_state(self, broadcast_id: int, state: BroadcastState, at: datetime) -> None:
        """Pause, resume, cancel or finish a broadcast."""
        ...

    async def skip_queued(self, broadcast_id: int, reason: str) -> None:
        """Give up on every recipient of a broadcast not yet claimed (a cancellation)."""
        ...

    async def set_progress_ref(self, broadcast_id: int, ref: str) -> None:
        """Remember where the broadcast's progress message is on the desk."""
        ...

    async def audience_facts(self, customer_ids: Sequence[int]) -> list[Claimed]:
        """What routing needs to know about these customers (for a preview; no broadcast yet)."""
        ...

    async def recipient_status(
        self,
        external_id: str,
        recipient_id: int | None,
        state: RecipientState,
        reason: str | None,
        detail: str | None,
        at: datetime,
    ) -> int | None:
        """Apply a delivery status to the recipient row it is about (by message id, else by
        tracker); the broadcast id when a row moved forward."""
        ...

    async def broadcast_tally(self, broadcast_id: int) -> Tally:
        """A broadcast's recipients counted by state and reason."""
        ...

    async def finish_idle_broadcasts(self, at: datetime) -> list[int]:
        """Mark running broadcasts with nobody left to send done; their ids."""
        ...

    async def next_recipient_due(self) -> datetime | None:
        """When the earliest waiting recipient of a running broadcast becomes due."""
        ...

    async def set_progress_thread(self, key: str, thread_ref: str) -> int | None:
        """Show the progress of the broadcast with this key in a thread; its id, if it exists."""
        ...

    async def broadcast_customer_ids(self, key: str) -> list[int]:
        """The customers the broadcast with this key was queued for."""
        ...


class BroadcastSends(Protocol):
    """The claim, send and record steps that make each broadcast message go out exactly once."""

    async def claimable_recipients(self, now: datetime, limit: int) -> list[Claimed]:
        """Recipients due now of running broadcasts, in order: queued ones, and unconfirmed ones
        past their grace once every webhook received before the grace ended has been applied
        (a status stored in time but still waiting in the inbox confirms its send)."""
        ...

    async def template_recipients_since(
        self, since: datetime, customer_ids: Sequence[int]
    ) -> tuple[int, set[int], datetime | None]:
        """Unique customers sent a template since ``since``; which of ``customer_ids`` are among
        them; and the oldest such send."""
        ...

    async def start_sends(self, sends: Sequence[tuple[int, Via]]) -> None:
        """Claim recipients for a send by these routes (committed before the send starts)."""
        ...

    async def defer_recipients(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Put recipients back in the queue until a time (the daily limit)."""
        ...

    async def finish_recipients(self, outcomes: Sequence[Outcome], at: datetime) -> None:
        """Record what became of sends (or skips)."""
        ...

    async def unconfirm_sending(self, until: datetime) -> int:
        """At start: claimed rows a dead process was sending wait for their status until ``until``."""
        ...


class BroadcastBoard(Protocol):
    """Where supervisors follow a broadcast (a Slack message with a progress bar and its buttons)."""

    async def post_progress(self, broadcast: Broadcast, tally: Tally) -> str:
        """Post the progress message (in the broadcast's thread, if it has one); returns its ref."""
        ...

    async def update_progress(self, ref: str, broadcast: Broadcast, tally: Tally) -> None:
        """Redraw the progress message."""
        ...
