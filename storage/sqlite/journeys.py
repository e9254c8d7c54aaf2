"""SQL for the proactive journeys (customers' facts, ledger, announcements), mixed into the unit of work."""

from __future__ import annotations

from datetime import date, datetime

from core.journeys.model import Announcement, CustomerFacts
from storage.sqlite.rows import Statements


class SqliteJourneyRecords:
    """Implements :class:`core.journeys.ports.JourneyRecords`."""

    async def journey_customers(self: Statements) -> list[CustomerFacts]:
        """Customers with something the journeys read (folded and erased records left out)."""
        rows = await self._all(
            "SELECT id, plan, signup_date, setup_done, usage_count, renewal_date, active_at,"
            " opted_out_at FROM customers WHERE merged_into IS NULL AND address NOT LIKE 'apagado:%'"
            " AND (signup_date IS NOT NULL OR renewal_date IS NOT NULL OR active_at IS NOT NULL)"
            " ORDER BY id",
            (),
        )
        return [
            CustomerFacts(
                customer_id=row["id"],
                plan=row["plan"],
                signup_date=_day(row["signup_date"]),
                setup_done=None if row["setup_done"] is None else bool(row["setup_done"]),
                usage_count=row["usage_count"],
                renewal_date=_day(row["renewal_date"]),
                active_at=datetime.fromisoformat(row["active_at"]) if row["active_at"] else None,
                opted_out=row["opted_out_at"] is not None,
            )
            for row in rows
        ]

    async def claim_journey(
        self: Statements, customer_id: int, trigger: str, occasion: str, at: datetime
    ) -> bool:
        """Record in the ledger that this message goes out; False when it already went."""
        cursor = await self._write(
            "INSERT INTO journey_sends (customer_id, trigger, occasion, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (customer_id, trigger, occasion, at.isoformat()),
        )
        return cursor.rowcount == 1

    async def add_announcement(self: Statements, text: str, actor: str, at: datetime) -> int:
        """Store a feature announcement; its id."""
        return await self._insert(
            "INSERT INTO announcements (text, created_by, created_at) VALUES (?, ?, ?)",
            (text, actor, at.isoformat()),
        )

    async def announcements_since(self: Statements, since: datetime) -> list[Announcement]:
        """Announcements made since ``since``, oldest first."""
        rows = await self._all(
            "SELECT id, text, created_at FROM announcements ORDER BY id",
            (),
        )
        made = [
            Announcement(row["id"], row["text"], datetime.fromisoformat(row["created_at"])) for row in rows
        ]
        return [a for a in made if a.created_at >= since]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
