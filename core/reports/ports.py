"""Where reports come from (storage) and where they are shown (the supervisors' channel)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.common.business_hours import BusinessHours
from core.reports.model import CostPolicy, Report, ReportInput, TicketRow


class ReportSource(Protocol):
    """Where reports come from (storage)."""

    async def report(
        self, start: datetime, end: datetime, now: datetime, hours: BusinessHours, cost: CostPolicy
    ) -> Report:
        """The report of the tickets opened in ``[start, end)``, counted where the rows are."""
        ...

    async def load(self, start: datetime, end: datetime, now: datetime) -> ReportInput:
        """The rows of tickets opened in ``[start, end)`` and of what was rated and spent in it (the CSV)."""
        ...


class ReportBoard(Protocol):
    """Where a computed report is shown (the supervisors' channel)."""

    async def post_report(self, channel: str, summary: str, report: Report) -> str:
        """Post the summary and the report's charts; returns the summary's ref (the CSV goes under it)."""
        ...

    async def post_rows(self, channel: str, summary_ref: str, tickets: Sequence[TicketRow]) -> None:
        """Attach the report's raw rows (one per ticket) under its summary."""
        ...
