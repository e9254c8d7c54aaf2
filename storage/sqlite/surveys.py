"""The Surveys port on SQLite: CSAT and NPS questions, the answers customers give."""

from __future__ import annotations

from datetime import datetime

from core.customers.model import Channel
from core.feedback.model import Survey, SurveyKind, SurveyState
from storage.sqlite.customers import reachable_at
from storage.sqlite.rows import Statements, from_iso, to_iso


class SqliteSurveys:
    """Implements :class:`core.feedback.ports.Surveys`."""

    async def add_survey(
        self: Statements, kind: SurveyKind, customer_id: int, ticket_id: int, at: datetime
    ) -> int:
        # a customer answers one thing at a time: an older question of the same kind is closed
        await self._write(
            "UPDATE surveys SET state = ? WHERE customer_id = ? AND kind = ? AND state != ?",
            (SurveyState.DONE.value, customer_id, kind.value, SurveyState.DONE.value),
        )
        return await self._insert(
            "INSERT INTO surveys (kind, customer_id, ticket_id, state, asked_at) VALUES (?, ?, ?, ?, ?)",
            (kind.value, customer_id, ticket_id, SurveyState.ASKED.value, to_iso(at)),
        )

    async def surveys_waiting(self: Statements, channel: Channel, addresses: list[str]) -> list[Survey]:
        # the customer intake finds at this address (a linked Telegram chat leads to its customer)
        reachable, params = reachable_at(addresses, channel.value)
        rows = await self._all(
            "SELECT s.* FROM surveys s WHERE s.state != 'done' AND s.customer_id ="
            f" (SELECT customer_id FROM ({reachable}) ORDER BY linked_first, customer_id LIMIT 1)"
            " ORDER BY s.id DESC",
            params,
        )
        return [
            Survey(
                id=row["id"],
                kind=SurveyKind(row["kind"]),
                customer_id=row["customer_id"],
                ticket_id=row["ticket_id"],
                state=SurveyState(row["state"]),
                asked_at=datetime.fromisoformat(row["asked_at"]),
                answered_at=from_iso(row["answered_at"]),
            )
            for row in rows
        ]

    async def set_survey_state(self: Statements, survey_id: int, state: SurveyState, at: datetime) -> None:
        await self._update(
            "UPDATE surveys SET state = ?, answered_at = COALESCE(answered_at, ?) WHERE id = ?",
            (state.value, to_iso(at), survey_id),
        )

    async def last_survey_at(self: Statements, customer_id: int, kind: SurveyKind) -> datetime | None:
        row = await self._one(
            "SELECT MAX(asked_at) FROM surveys WHERE customer_id = ? AND kind = ?", (customer_id, kind.value)
        )
        return from_iso(row[0]) if row is not None else None

    async def record_csat(self: Statements, ticket_id: int, score: int, at: datetime) -> None:
        await self._update(
            "INSERT INTO csat (ticket_id, score, at) VALUES (?, ?, ?)"
            " ON CONFLICT (ticket_id) DO UPDATE SET score = excluded.score, at = excluded.at, comment = NULL",
            (ticket_id, score, to_iso(at)),
        )

    async def set_csat_comment(self: Statements, ticket_id: int, comment: str) -> None:
        await self._update("UPDATE csat SET comment = ? WHERE ticket_id = ?", (comment, ticket_id))

    async def record_nps(self: Statements, customer_id: int, score: int, at: datetime) -> None:
        await self._update(
            "INSERT INTO nps (customer_id, score, at) VALUES (?, ?, ?)", (customer_id, score, to_iso(at))
        )
