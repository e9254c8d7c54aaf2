"""The BroadcastSends port on SQLite: claiming due recipients, recording sends and their outcomes.

A batch is claimed (``claimable_recipients``), marked as being sent (``start_sends``) before the
platform is called, and its outcomes recorded after (``finish_recipients``); at start,
``unconfirm_sending`` makes the rows a dead process was sending wait for their status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.broadcast.model import (
    BroadcastState,
    Claimed,
    Outcome,
    RecipientState,
    Via,
)
from storage.sqlite.broadcasts import LAST_INBOUND, claimed_from
from storage.sqlite.rows import Statements, from_epoch, to_epoch

# When the oldest webhook not applied yet arrived: every one before it has been. An unconfirmed
# send is sent again only once its grace ended before that, since its status may be in the inbox.
_SETTLED = (
    "MIN(?1, COALESCE((SELECT received_at FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT 1), ?1))"
)

# The due rows in id order: the queued ones walk the (state, id) index in that order and stop at
# the limit, so a claim costs its batch, not the rows still queued behind it; the columns (and the
# customer's last message) are read for the claimed rows alone.
_DUE = (
    "SELECT * FROM (SELECT r.id FROM broadcast_recipients r {indexed}"
    " JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.state = '{state}' AND r.not_before <= {due}"
    f" AND b.state = '{BroadcastState.RUNNING.value}' ORDER BY r.id LIMIT ?2)"
)

_CLAIMABLE = (
    "SELECT r.id, r.broadcast_id, r.customer_id, r.attempts, c.channel, c.address,"
    f" c.opted_out_at IS NOT NULL AS opted_out, {LAST_INBOUND} AS last_inbound, b.body, b.template,"
    " b.kind, c.name FROM ("
    + _DUE.format(
        indexed="INDEXED BY broadcast_recipients_queue", state=RecipientState.QUEUED.value, due="?1"
    )
    + " UNION ALL "
    + _DUE.format(indexed="", state=RecipientState.UNCONFIRMED.value, due=_SETTLED)
    + ") d JOIN broadcast_recipients r ON r.id = d.id JOIN broadcasts b ON b.id = r.broadcast_id"
    " JOIN customers c ON c.id = r.customer_id ORDER BY r.id LIMIT ?2"
)

# Template sends that count against the daily limit: those made in the window, and those
# under way (claimed by another batch, or of unknown outcome), which may be made any moment.
_COUNTED = (
    f"(sent_at >= ? OR state IN ('{RecipientState.SENDING.value}', '{RecipientState.UNCONFIRMED.value}'))"
)


class SqliteBroadcastSends:
    """Implements :class:`core.broadcast.ports.BroadcastSends`."""

    async def claimable_recipients(self: Statements, now: datetime, limit: int) -> list[Claimed]:
        return [claimed_from(row) for row in await self._all(_CLAIMABLE, (to_epoch(now), limit))]

    async def template_recipients_since(
        self: Statements, since: datetime, customer_ids: Sequence[int]
    ) -> tuple[int, set[int], datetime | None]:
        row = await self._one(
            "SELECT COUNT(DISTINCT customer_id) AS n, MIN(sent_at) AS oldest FROM broadcast_recipients"
            f" WHERE via = ? AND {_COUNTED}",
            (Via.TEMPLATE.value, to_epoch(since)),
        )
        reached: set[int] = set()
        unique = list(dict.fromkeys(customer_ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = await self._all(
                f"SELECT DISTINCT customer_id FROM broadcast_recipients WHERE via = ? AND {_COUNTED}"
                f" AND customer_id IN ({','.join('?' * len(chunk))})",
                (Via.TEMPLATE.value, to_epoch(since), *chunk),
            )
            reached.update(int(r["customer_id"]) for r in rows)
        assert row is not None
        return int(row["n"]), reached, from_epoch(row["oldest"])

    async def start_sends(self: Statements, sends: Sequence[tuple[int, Via]]) -> None:
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, via = ?, attempts = attempts + 1 WHERE id = ?",
            [(RecipientState.SENDING.value, via.value, recipient_id) for recipient_id, via in sends],
        )

    async def defer_recipients(self: Statements, deferred: Sequence[tuple[int, datetime]]) -> None:
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, not_before = ? WHERE id = ?",
            [
                (RecipientState.QUEUED.value, to_epoch(until), recipient_id)
                for recipient_id, until in deferred
            ],
        )

    async def finish_recipients(self: Statements, outcomes: Sequence[Outcome], at: datetime) -> None:
        sent_states = (RecipientState.SENT, RecipientState.DELIVERED, RecipientState.READ)
        await self._many(
            "UPDATE broadcast_recipients SET state = ?, external_id = COALESCE(?, external_id),"
            " reason = ?, detail = ?, sent_at = COALESCE(?, sent_at), not_before = COALESCE(?, not_before)"
            " WHERE id = ?",
            [
                (
                    o.state.value,
                    o.external_id,
                    o.reason,
                    o.detail,
                    to_epoch(at) if o.state in sent_states else None,
                    o.retry_at,
                    o.recipient_id,
                )
                for o in outcomes
            ],
        )

    async def unconfirm_sending(self: Statements, until: datetime) -> int:
        cursor = await self._write(
            "UPDATE broadcast_recipients SET state = ?, not_before = ? WHERE state = ?",
            (RecipientState.UNCONFIRMED.value, to_epoch(until), RecipientState.SENDING.value),
        )
        return cursor.rowcount
