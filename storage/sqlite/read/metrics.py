"""What ``/metrics`` reads from the database at scrape time (durable figures, right after a restart)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from storage.sqlite.database import Database


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """AI calls of one model with one outcome, summed."""

    provider: str
    model: str
    outcome: str
    calls: int
    latency_seconds: float
    cost_usd: float
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True, slots=True)
class LatencySpread:
    """How long one model's calls took: how many took at most each bound, their number and total."""

    provider: str
    model: str
    at_most: list[int]
    calls: int
    seconds: float


class MetricsQueries:
    """Aggregates over the stored messages, outbox, AI calls and SLA breaches (read connection)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def messages(self) -> list[tuple[str, str, int]]:
        """(channel, direction, count) of every stored message."""
        rows = await self._db.reader.execute_fetchall(
            "SELECT t.channel, m.direction, COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id"
            " GROUP BY t.channel, m.direction"
        )
        return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    async def oldest_pending_age(self) -> float:
        """Seconds the oldest pending outbox row has been waiting (0 when none)."""
        rows = list(
            await self._db.reader.execute_fetchall(
                "SELECT MIN(created_at) FROM outbox WHERE state = 'pending'"
            )
        )
        oldest = rows[0][0] if rows else None
        return max(0.0, time.time() - float(oldest)) if oldest is not None else 0.0

    async def model_usage(self) -> list[ModelUsage]:
        """AI calls by provider, model and outcome (empty before the AI core stores any)."""
        if not await self._has_table("ai_calls"):
            return []
        rows = await self._db.reader.execute_fetchall(
            "SELECT provider, model, outcome, COUNT(*), SUM(latency_ms), SUM(cost_usd),"
            " SUM(prompt_tokens), SUM(completion_tokens) FROM ai_calls GROUP BY provider, model, outcome"
        )
        return [
            ModelUsage(
                str(r[0]),
                str(r[1]),
                str(r[2]),
                int(r[3]),
                float(r[4] or 0) / 1000,
                float(r[5] or 0),
                int(r[6] or 0),
                int(r[7] or 0),
            )
            for r in rows
        ]

    async def model_latency(self, bounds: tuple[float, ...]) -> list[LatencySpread]:
        """Per provider and model, how many calls took at most each of ``bounds`` seconds (cumulative)."""
        if not await self._has_table("ai_calls"):
            return []
        buckets = "".join(", SUM(latency_ms <= ?)" for _ in bounds)
        rows = await self._db.reader.execute_fetchall(
            f"SELECT provider, model, COUNT(*), SUM(latency_ms){buckets} FROM ai_calls"
            " GROUP BY provider, model",
            [bound * 1000 for bound in bounds],
        )
        return [
            LatencySpread(
                str(r[0]), str(r[1]), [int(n or 0) for n in r[4:]], int(r[2]), float(r[3] or 0) / 1000
            )
            for r in rows
        ]

    async def sla_breaches(self) -> list[tuple[str, int]]:
        """(kind, count) of recorded SLA breaches."""
        if not await self._has_table("sla_breaches"):
            return []
        rows = await self._db.reader.execute_fetchall("SELECT kind, COUNT(*) FROM sla_breaches GROUP BY kind")
        return [(str(r[0]), int(r[1])) for r in rows]

    async def _has_table(self, name: str) -> bool:
        rows = list(
            await self._db.reader.execute_fetchall(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            )
        )
        return bool(rows)
