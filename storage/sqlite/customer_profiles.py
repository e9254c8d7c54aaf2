"""SQL for what the platform tells us about customers (the import), mixed into the SQLite unit of work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from core.customers.records import CustomerRecord

# A customer's age: from the signup date the platform told us, else from their first message.
CUSTOMER_SINCE = "COALESCE(c.signup_date, c.created_at) AS customer_since"


def customer_since(value: str) -> datetime:
    """The ``customer_since`` column as an aware datetime (a signup date counts from its midnight UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Unit(Protocol):
    """What the mixin needs from :class:`storage.transaction.SqliteTransaction`."""

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None: ...


class CustomerProfileRows:
    """The customer profile's statements."""

    async def save_profile(self: _Unit, customer_id: int, record: CustomerRecord) -> None:
        """Fields the record does not carry (None) keep their stored value; times are kept in UTC."""
        await self._update(
            "UPDATE customers SET plan = COALESCE(?, plan), signup_date = COALESCE(?, signup_date),"
            " setup_done = COALESCE(?, setup_done), usage_count = COALESCE(?, usage_count),"
            " renewal_date = COALESCE(?, renewal_date), active_at = COALESCE(?, active_at) WHERE id = ?",
            (
                record.plan,
                record.signup_date.isoformat() if record.signup_date else None,
                None if record.setup_done is None else int(record.setup_done),
                record.usage_count,
                record.renewal_date.isoformat() if record.renewal_date else None,
                record.active_at.astimezone(UTC).isoformat() if record.active_at else None,
                customer_id,
            ),
        )
