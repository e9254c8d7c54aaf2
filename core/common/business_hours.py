"""Business hours: when a person is at the desk, and how much desk time lies between two moments.

The playbook's hours are Mon-Fri 08:00-18:00 in São Paulo, closed on Brazilian national
holidays. SLA clocks, out-of-hours answers ("a equipe volta segunda às 8h") and reports all
count time this way, so there is exactly one implementation. Holidays come from the
maintained ``holidays`` package: a hand-kept list goes stale every year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from core.common.ptbr import SAO_PAULO

MONDAY_TO_FRIDAY = frozenset(range(5))


class BusinessHours:
    """Opening hours in one time zone, minus national holidays.

    Every method takes and returns timezone-aware datetimes; results are in the desk's zone.
    """

    def __init__(
        self,
        tz: str = SAO_PAULO.key,
        opens: time = time(8),
        closes: time = time(18),
        weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
        country: str = "BR",
    ) -> None:
        if closes <= opens:
            raise ValueError("business hours must close after they open on the same day")
        self.zone = ZoneInfo(tz)
        self.opens = opens
        self.closes = closes
        self.weekdays = frozenset(weekdays)
        if not self.weekdays:
            raise ValueError("business hours need at least one working weekday")
        self._holidays = holidays.country_holidays(country)

    def holiday(self, day: date) -> str | None:
        """The holiday's name on this day, if it is one."""
        return self._holidays.get(day)

    def is_business_day(self, day: date) -> bool:
        """A working weekday that is not a holiday."""
        return day.weekday() in self.weekdays and day not in self._holidays

    def is_open(self, at: datetime) -> bool:
        """Whether the desk is staffed at this moment."""
        local = at.astimezone(self.zone)
        return self.is_business_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, at: datetime) -> datetime:
        """``at`` itself when open, else the moment the desk next opens (holidays skipped)."""
        local = at.astimezone(self.zone)
        if self.is_open(local):
            return local
        day = local.date()
        if not (self.is_business_day(day) and local.time() < self.opens):
            day = self._next_business_day(day)
        return self._at(day, self.opens)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two moments (zero when ``end`` is not after ``start``)."""
        if end <= start:
            return timedelta(0)
        start, end = start.astimezone(self.zone), end.astimezone(self.zone)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            if self.is_business_day(day):
                window_start = max(start, self._at(day, self.opens))
                window_end = min(end, self._at(day, self.closes))
                if window_end > window_start:
                    total += window_end - window_start
            day += timedelta(days=1)
        return total

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment at which ``duration`` of business time has passed since ``start``.

        A due time set after hours therefore lands inside a later business day.
        """
        if duration <= timedelta(0):
            return start.astimezone(self.zone)
        moment = self.next_opening(start)
        remaining = duration
        while True:
            closing = self._at(moment.date(), self.closes)
            available = closing - moment
            if remaining <= available:
                return moment + remaining
            remaining -= available
            moment = self._at(self._next_business_day(moment.date()), self.opens)

    def _next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)
