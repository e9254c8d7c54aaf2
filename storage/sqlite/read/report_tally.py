"""The report's tally counted inside SQLite: a month of tickets never leaves the database as rows.

:func:`core.reports.metrics.tally` defines every figure over one row per ticket; this module
counts the same figures with aggregates and window functions, so a monthly report reads a
few dozen result rows instead of 100,000 tickets. Each ticket's row comes from
``ticket_facts``, which triggers keep as messages, triage, events and ratings are written
(migration 0017), so the report reads no message. Times are compared as integer
microseconds since the epoch (as Python's ``datetime`` does), and business time uses the
same :class:`core.reports.metrics.BusinessIndex` as the Python tally, handed to SQLite as a
table of 15-minute slots (each with its local day, UTC offset and business seconds before
the day), so both give the same numbers; ``tests/test_report_tally.py`` compares them.

A moment the index does not cover (an answer more than a day after ``now``) makes
:func:`tally_in_sql` return None: the caller then counts in Python, as before.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiosqlite

from core.common.business_hours import BusinessHours
from core.reports.metrics import (
    COME_BACK_WINDOW,
    HOUR,
    NO_CATEGORY,
    RESOLUTION_TARGET,
    RESOLUTION_TARGET_CRITICAL,
    RESPONSE_TARGET_CLOSED,
    RESPONSE_TARGET_OPEN,
    index_for,
    nps_of,
    stats,
)
from core.reports.model import Tally

TEMP_TABLES = ("report_slots", "report_t", "report_d")
"""What :func:`tally_in_sql` leaves on its connection (gone when it closes)."""

SLOT = 900
"""Seconds per slot of the business-time table: every UTC offset in use is a multiple of 15 minutes."""

_MICRO = 1_000_000


def _us(column: str) -> str:
    """SQL: an ISO 8601 text column as integer microseconds since the epoch (NULL stays NULL).

    Python's ``isoformat`` writes 25 characters, or 32 with microseconds: those take the short
    way. The fraction is cut off before ``unixepoch`` (which rounds it to milliseconds, so
    .9996 s would count as the next second) and added back exactly.
    """
    seconds = f"unixepoch(substr({column}, 1, 19) || ltrim(substr({column}, 20), '.0123456789'))"
    fraction = f"CAST(round(CAST(substr({column}, 20, 7) AS REAL) * {_MICRO}) AS INTEGER)"
    return (
        f"(CASE length({column}) WHEN 25 THEN unixepoch({column}) * {_MICRO}"
        f" WHEN 32 THEN unixepoch(substr({column}, 1, 19) || substr({column}, 27)) * {_MICRO}"
        f" + CAST(substr({column}, 21, 6) AS INTEGER)"
        f" ELSE {seconds} * {_MICRO}"
        f" + CASE WHEN substr({column}, 20, 1) = '.' THEN {fraction} ELSE 0 END END)"
    )


def _business(column: str, slot: str) -> str:
    """SQL: ``BusinessIndex.at`` of a microsecond column, ``slot`` being its row of ``report_slots``."""
    clock = f"(({column} / {_MICRO} + {slot}.offset) % 86400) + ({column} % {_MICRO}) / {float(_MICRO)}"
    return (
        f"CASE WHEN {slot}.open THEN {slot}.before + MIN(MAX({clock}, :opens), :closes) - :opens"
        f" ELSE {slot}.before END"
    )


def _is_open(column: str, slot: str) -> str:
    """SQL: ``BusinessIndex.is_open`` of a microsecond column."""
    clock = f"(({column} / {_MICRO} + {slot}.offset) % 86400) + ({column} % {_MICRO}) / {float(_MICRO)}"
    return f"({slot}.open AND {clock} >= :opens AND {clock} < :closes)"


def _elapsed(start: str, end: str) -> str:
    """SQL: business seconds between two moments of ``report_d`` (0 when ``end`` is not after ``start``)."""
    return f"CASE WHEN {end} <= {start} THEN 0.0 ELSE {end}_b - {start}_b END"


def _seconds(start: str, end: str) -> str:
    return f"({end} - {start}) / {float(_MICRO)}"


_SLOTS = (
    "CREATE TEMP TABLE report_slots"
    " (slot INTEGER PRIMARY KEY, day TEXT, offset INTEGER, before REAL, open INTEGER)"
)

# One row per ticket of the cohort, times in microseconds: the ticket and the facts kept with it
# as it was written (``ticket_facts``, migration 0017), so no message is read.
_TICKETS = """
CREATE TEMP TABLE report_t AS
SELECT k.id AS id, k.channel AS channel, COALESCE(NULLIF(f.category, ''), :no_category) AS category,
    lower(COALESCE(f.urgency, '')) = 'critical' AS critical,
    {o} AS o, {res} AS res, {reo} AS reo, {har} AS har, {fh} AS fh, {fa} AS fa, {lc} AS lc,
    f.human_replies AS hr, f.ai_replies AS ar, f.escalated AS esc, {nx} AS nx, f.csat AS csat
FROM tickets k JOIN ticket_facts f ON f.ticket_id = k.id
WHERE k.id BETWEEN :lo AND :hi AND k.opened_at >= :start AND k.opened_at < :end
""".format(
    o=_us("k.opened_at"),
    res=_us("k.resolved_at"),
    reo=_us("f.reopened_at"),
    har=_us("f.human_after_reopen"),
    fh=_us("f.first_human"),
    fa=_us("f.first_ai"),
    lc=_us("f.last_customer"),
    nx=_us("f.next_at"),
)

# Each moment with its business seconds (``<moment>_b``) and the ticket's local day and target kind.
_MOMENTS = ("o", "fh", "reo", "har", "res")
_DERIVED = (
    "CREATE TEMP TABLE report_d AS SELECT t.*, s_o.day AS day, "
    + _is_open("t.o", "s_o")
    + " AS biz, "
    + ", ".join(f"{_business(f't.{m}', f's_{m}')} AS {m}_b" for m in _MOMENTS)
    + ", "
    + " OR ".join(f"(t.{m} IS NOT NULL AND s_{m}.before IS NULL)" for m in _MOMENTS)
    + " AS outside FROM report_t t "
    + " ".join(f"LEFT JOIN report_slots s_{m} ON s_{m}.slot = t.{m} / {SLOT * _MICRO}" for m in _MOMENTS)
)

# The counts of core.reports.metrics.tally, one flag per ticket summed, in the order _COUNTS
# selects them; ``outside`` counts tickets the business-time index does not cover (then the
# caller counts from the rows).
_COUNT_NAMES = (
    "total",
    "resolved",
    "fcr",
    "escalated",
    "ai_answered",
    "handed_off",
    "ai_resolved",
    "ai_pending",
    "ai_kept",
    "response_due",
    "response_breaches",
    "resolution_due",
    "resolution_breaches",
    "human_replies",
    "outside",
)
_WAITED = (
    f"CASE WHEN biz THEN (CASE WHEN :now_us <= o THEN 0.0 ELSE :now_b - o_b END)"
    f" ELSE (:now_us - o) / {float(_MICRO)} END"
)
_COUNTS = f"""
SELECT COUNT(*), COALESCE(SUM(res IS NOT NULL), 0),
    COALESCE(SUM(res IS NOT NULL AND reo IS NULL AND NOT esc
        AND NOT COALESCE(lc > MIN(COALESCE(fh, fa), COALESCE(fa, fh)), 0)), 0),
    COALESCE(SUM(esc), 0), COALESCE(SUM(ar > 0), 0), COALESCE(SUM(ar > 0 AND handoff), 0),
    COALESCE(SUM(ai_resolved), 0),
    COALESCE(SUM(ar > 0 AND res IS NOT NULL AND NOT handoff AND NOT ai_resolved AND NOT came_back
        AND csat IS NULL), 0),
    COALESCE(SUM(ar > 0 AND NOT handoff AND reo IS NULL AND NOT came_back), 0),
    COALESCE(SUM(fh IS NOT NULL OR waited > target), 0),
    COALESCE(SUM(CASE WHEN fh IS NOT NULL
        THEN (CASE WHEN biz THEN {_elapsed("o", "fh")} ELSE {_seconds("o", "fh")} END) > target
        ELSE waited > target END), 0),
    COALESCE(SUM(res IS NOT NULL OR {_seconds("o", ":now_us")} > res_limit), 0),
    COALESCE(SUM(CASE WHEN res IS NOT NULL THEN {_seconds("o", "res")} > res_limit
        ELSE {_seconds("o", ":now_us")} > res_limit END), 0),
    COALESCE(SUM(hr), 0), COALESCE(SUM(outside), 0)
FROM (
    SELECT *, ar > 0 AND res IS NOT NULL AND NOT handoff
            AND (COALESCE(csat, 0) >= 4 OR (NOT came_back AND :now_us - res >= :window_us)) AS ai_resolved
    FROM (
        SELECT *, hr > 0 OR esc AS handoff,
            COALESCE(nx IS NOT NULL AND res IS NOT NULL AND nx - res <= :window_us, 0) AS came_back,
            CASE WHEN biz THEN {RESPONSE_TARGET_OPEN} ELSE {RESPONSE_TARGET_CLOSED} END AS target,
            CASE WHEN critical THEN {RESOLUTION_TARGET_CRITICAL}
                ELSE {float(RESOLUTION_TARGET)} END AS res_limit,
            {_WAITED} AS waited
        FROM report_d
    )
)
"""

# The durations whose order statistics the report needs, each series read as plain numbers and
# summarised by core.reports.metrics.stats (sorting is the one step SQLite does slower than Python).
_FIRST = f"SELECT day, {_seconds('o', 'fh')}, {_elapsed('o', 'fh')} FROM report_d WHERE fh IS NOT NULL"
_REOPENED = (
    f"SELECT {_seconds('reo', 'har')}, {_elapsed('reo', 'har')} FROM report_d"
    " WHERE reo IS NOT NULL AND har IS NOT NULL"
)
_AI_FIRST = f"SELECT {_seconds('o', 'fa')} FROM report_d WHERE fa IS NOT NULL"
_RESOLUTION = f"SELECT {_seconds('o', 'res')}, {_elapsed('o', 'res')} FROM report_d WHERE res IS NOT NULL"
# Ratings given in the period: how many of each score, overall, per channel and per local day.
_CSAT = f"""
SELECT k.channel, s.day, c.score, COUNT(*) FROM csat c JOIN tickets k ON k.id = c.ticket_id
JOIN report_slots s ON s.slot = {_us("c.at")} / {SLOT * _MICRO}
WHERE c.at >= :start AND c.at < :end GROUP BY k.channel, s.day, c.score
"""

# Sizes by channel, day and category in one scan, with each group's first ticket (ties are ordered
# by it); the sizes by channel, by category and by day and category are added up from these.
_GROUPS = "SELECT channel, day, category, COUNT(*), MIN(id) FROM report_d GROUP BY channel, day, category"
_COHORT = (
    "SELECT MIN(opened_at), MIN(id), MAX(id) FROM tickets INDEXED BY tickets_by_opened"
    " WHERE opened_at >= :start AND opened_at < :end"
)
_NPS = (
    "SELECT COUNT(*), COALESCE(SUM(score >= 9), 0), COALESCE(SUM(score <= 6), 0)"
    " FROM nps WHERE at >= :start AND at < :end"
)


def _slots(hours: BusinessHours, earliest: datetime, now: datetime, start: datetime) -> list[tuple[Any, ...]]:
    """The 15-minute slots from the day before the period to the day after now, as ``report_slots`` rows.

    Business seconds come from the index the Python tally would build (``before`` is NULL on
    the days before it, which only the ratings' local day needs).
    """
    index = index_for(hours, earliest, now)
    zone = hours.zone
    first = min(index.first, start.astimezone(zone).date() - timedelta(days=1))
    begin = int(datetime.combine(first, datetime.min.time(), zone).timestamp()) // SLOT
    end = int(datetime.combine(index.last + timedelta(days=1), datetime.min.time(), zone).timestamp()) // SLOT
    rows = []
    for slot in range(begin, end + 1):
        local = datetime.fromtimestamp(slot * SLOT, zone)
        day = local.date()
        known = index.day(day)
        offset = local.utcoffset() or timedelta(0)
        before, is_open = known if known is not None else (None, False)
        rows.append((slot, day.isoformat(), int(offset.total_seconds()), before, int(is_open)))
    return rows


Connect = Callable[[], AbstractAsyncContextManager[aiosqlite.Connection]]


@dataclass(slots=True)
class _Share:
    """What one connection counted over its range of the cohort's ticket ids (added up by the caller)."""

    counts: list[int]
    first: list[tuple[str, float, float]]
    reopened: list[tuple[float, float]]
    ai_first: list[float]
    resolution: list[tuple[float, float]]
    groups: list[tuple[str, str, str, int, int]]


async def _count(conn: aiosqlite.Connection, params: dict[str, Any], slots: list[Any]) -> _Share:
    """Count the tickets with ids in ``[:lo, :hi]`` on ``conn`` (its temp tables go with it)."""
    await conn.execute(_SLOTS)
    await conn.executemany("INSERT INTO report_slots VALUES (?, ?, ?, ?, ?)", slots)
    await conn.execute(_TICKETS, params)
    await conn.execute(_DERIVED, params)

    async def rows(sql: str) -> list[Any]:
        return list(await conn.execute_fetchall(sql, params))

    return _Share(
        counts=list((await rows(_COUNTS))[0]),
        first=await rows(_FIRST),
        reopened=await rows(_REOPENED),
        ai_first=[r[0] for r in await rows(_AI_FIRST)],
        resolution=await rows(_RESOLUTION),
        groups=await rows(_GROUPS),
    )


def _sizes(shares: Iterable[Sequence[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """Grouped sizes added up by key (over the shares, and the finer groups): (*key, count, first id)."""
    total: dict[tuple[Any, ...], list[int]] = {}
    for rows in shares:
        for *key, n, first in rows:
            size = total.setdefault(tuple(key), [0, first])
            size[0] += n
            size[1] = min(size[1], first)
    return [(*key, n, first) for key, (n, first) in total.items()]


async def tally_in_sql(
    connect: Connect,
    start: datetime,
    end: datetime,
    now: datetime,
    hours: BusinessHours,
    shares: int = 2,
) -> Tally | None:
    """The cohort's tally, counted on ``shares`` connections from ``connect``, each over a range of ids.

    Each connection holds temp tables, so it must be one of its own. None when a moment falls
    outside the business-time index.
    """
    span = {"start": start.astimezone(UTC).isoformat(), "end": end.astimezone(UTC).isoformat()}
    async with connect() as conn:
        earliest, low, high = list(await conn.execute_fetchall(_COHORT, span))[0]
        opened = datetime.fromisoformat(earliest) if earliest else now
        index = index_for(hours, opened, now)
        now_b = index.at(now)
        assert now_b is not None  # the index always covers now
        slots = _slots(hours, opened, now, start)
        await conn.execute(_SLOTS)
        await conn.executemany("INSERT INTO report_slots VALUES (?, ?, ?, ?, ?)", slots)
        csat = list(await conn.execute_fetchall(_CSAT, span))
        answers, promoters, detractors = list(await conn.execute_fetchall(_NPS, span))[0]
    params = {
        **span,
        "no_category": NO_CATEGORY,
        "opens": index.opens,
        "closes": index.closes,
        "now_us": _micros(now),
        "now_b": now_b,
        "window_us": _MICRO * int(COME_BACK_WINDOW.total_seconds()),
    }
    low, high = low or 0, high or -1
    step = max((high - low) // shares + 1, 1)

    async def share(lo: int) -> _Share:
        async with connect() as conn:
            return await _count(conn, {**params, "lo": lo, "hi": min(lo + step - 1, high)}, slots)

    counted = await asyncio.gather(*(share(lo) for lo in range(low, low + step * shares, step)))
    sums = (sum(column) for column in zip(*(c.counts for c in counted), strict=True))
    counts = dict(zip(_COUNT_NAMES, sums, strict=True))
    if counts.pop("outside"):
        return None
    first_cal: list[float] = []
    first_biz: list[float] = []
    daily_first: dict[str, list[float]] = defaultdict(list)
    for day, calendar, business in (row for c in counted for row in c.first):
        first_cal.append(calendar)
        first_biz.append(business)
        daily_first[day].append(calendar / HOUR)
    for calendar, business in (row for c in counted for row in c.reopened):
        first_cal.append(calendar)
        first_biz.append(business)
    resolution = [row for c in counted for row in c.resolution]
    scores: list[float] = []
    by_channel_scores: dict[str, list[int]] = defaultdict(list)
    by_day_scores: dict[str, list[int]] = defaultdict(list)
    for channel, day, score, n in csat:
        scores += [float(score)] * n
        by_channel_scores[channel] += [score] * n
        by_day_scores[day] += [score] * n
    daily_volume: dict[date, dict[str, int]] = defaultdict(dict)
    groups = [row for c in counted for row in c.groups]
    daily = _sizes([[(day, category, n, first) for _, day, category, n, first in groups]])
    for day, category, n, _ in sorted(daily, key=lambda r: (r[0], r[3])):
        daily_volume[date.fromisoformat(day)][category] = n

    def most_first(rows: Iterable[Sequence[tuple[Any, ...]]]) -> dict[str, int]:
        return {key: n for key, n, _ in sorted(_sizes(rows), key=lambda r: (-r[1], r[2]))}

    return Tally(
        **counts,
        by_channel=most_first([[(channel, n, first) for channel, _, _, n, first in groups]]),
        by_category=most_first([[(category, n, first) for _, _, category, n, first in groups]]),
        first_response=stats(first_cal),
        first_response_business=stats(first_biz),
        ai_first_response=stats([x for c in counted for x in c.ai_first]),
        resolution=stats([r[0] for r in resolution]),
        resolution_business=stats([r[1] for r in resolution]),
        daily_volume=dict(daily_volume),
        daily_first_response={
            date.fromisoformat(day): statistics.median(v) for day, v in sorted(daily_first.items())
        },
        csat=stats(scores),
        csat_by_channel={ch: statistics.fmean(v) for ch, v in sorted(by_channel_scores.items())},
        daily_csat={date.fromisoformat(day): statistics.fmean(v) for day, v in sorted(by_day_scores.items())},
        nps=nps_of(promoters, detractors, answers),
        nps_answers=answers,
    )


def _micros(moment: datetime) -> int:
    """Microseconds since the epoch, exactly (as the SQL side computes them from ISO text)."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
