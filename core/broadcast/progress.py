"""Carries out :class:`~core.broadcast.effects.ShowBroadcast`: the progress message on the desk.

The effect reads the broadcast and its tally when it runs, so a redraw delayed by a Slack
429 shows the latest counts, and redraws of one broadcast go in order (one outbox lane).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from core.broadcast.effects import ShowBroadcast
from core.broadcast.ports import BroadcastBoard, BroadcastRecords
from core.common.effects import Effect
from core.common.errors import PermanentError
from core.unit_of_work import Store


class ProgressTx(BroadcastRecords, Protocol):
    """What a broadcast's progress card needs from a unit of work."""


class BroadcastProgress:
    """Posts a broadcast's progress message once, then updates it."""

    def __init__(self, store: Store[ProgressTx], board: BroadcastBoard) -> None:
        self._store = store
        self._board = board

    def handlers(self) -> dict[type[Effect], Callable[[Effect], Awaitable[None]]]:
        """The effects this class carries out, for the effect runner."""
        return {ShowBroadcast: self._show}  # type: ignore[dict-item]

    async def _show(self, effect: ShowBroadcast) -> None:
        async with self._store.snapshot() as tx:
            broadcast = await tx.get_broadcast(effect.broadcast_id)
            tally = await tx.broadcast_tally(effect.broadcast_id)
        if broadcast is None:
            raise PermanentError(f"broadcast {effect.broadcast_id} not found")
        if broadcast.progress_ref:
            await self._board.update_progress(broadcast.progress_ref, broadcast, tally)
            return
        ref = await self._board.post_progress(broadcast, tally)
        async with self._store.transaction() as tx:
            await tx.set_progress_ref(broadcast.id, ref)
