"""The customer's platform reports on a message we sent: record it and show it on the desk."""

from __future__ import annotations

from typing import Protocol

from core.common.journal import Journal
from core.tickets.effects import ShowDelivery
from core.tickets.model import DeliveryState, DeliveryUpdate, Direction
from core.tickets.ports import Messages


class StatusTx(Journal, Messages, Protocol):
    """What delivery receipts needs from a unit of work."""


async def record(tx: StatusTx, update: DeliveryUpdate) -> bool:
    """Apply a delivery status; True when it changed what agents see.

    Statuses can arrive twice or out of order (a ``delivered`` after a ``read``); a message
    only moves forward, and only agents' relayed messages get marked.
    """
    message = await tx.message_by_external_id(update.external_id)
    if message is None or message.direction is not Direction.OUTBOUND:
        return False
    current = message.delivery or DeliveryState.PENDING
    if update.state.rank <= current.rank:
        return False
    await tx.set_delivery(message.id, update.state, update.reason, update.detail)
    await tx.record_event(
        message.ticket_id,
        str(update.channel),
        f"message_{update.state.value}",
        update.at,
        detail=str(message.id),
    )
    await tx.add_effect(ShowDelivery(message.ticket_id, message.id, update.state.value), update.at)
    return True
