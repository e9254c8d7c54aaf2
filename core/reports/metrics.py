"""The supervisors' report as pure functions over plain rows: every metric's definition lives here.

Storage reduces the database to one row per ticket (with the timestamps that matter) plus the
CSAT, NPS and AI-call rows of the period; :func:`compute` turns them into a :class:`Report`.
Nothing here reads a database or a clock: the same rows always give the same report, which
is what the tests check against hand-computed answers.

Definitions (also in the README):

- *First response*: from the ticket's opening (the customer's first message) to the first
  answer written by a person; the AI's answers do not stop it (they have "AI first response").
  A reopening starts a new first-response clock. Calendar and business hours.
- *Resolution*: from opening to resolution, for tickets resolved in the period's cohort.
- *FCR*: resolved tickets not reopened, not escalated, where the customer did not write again
  after the first answer (human or AI), over resolved tickets.
- *AI resolution* (verified): resolved without a human answer and without escalation, after an
  AI answer, and the customer rated it 4+ or did not come back within 72 hours.
- *Human handoff*: tickets the AI answered that a person then answered or that were escalated,
  over tickets the AI answered.
- *AI accuracy*: (drafts sent unedited + AI-answered tickets not reopened, not handed off and
  not followed by a new ticket within 72 h) over (drafts + AI-answered tickets).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from core.common.business_hours import BusinessHours
from core.reports.model import CostPolicy, ModelUsage, Rate, Report, ReportInput, Slo, Stats, Tally

HOUR = 3600.0
COME_BACK_WINDOW = timedelta(hours=72)
RESPONSE_TARGET_OPEN = 2 * HOUR
"""Tickets opened during business hours: a person answers within 2 business hours."""
RESPONSE_TARGET_CLOSED = 8 * HOUR
"""Tickets opened outside business hours: a person answers within 8 calendar hours."""
RESOLUTION_TARGET = 24 * HOUR
RESOLUTION_TARGET_CRITICAL = 4 * HOUR
SLO_SHARE = 0.9
"""A time SLO is met when at least this share of the tickets it applies to was within target."""
CSAT_TARGET = 4.5
FCR_TARGET = 0.70
ESCALATION_TARGET = 0.15
DRAFT_UNEDITED = frozenset({"sent"})
DRAFT_CHANGED = frozenset({"edited", "discarded"})
NO_CATEGORY = "sem categoria"


class BusinessIndex:
    """Business seconds elapsed since a fixed day, for any moment, so a span is one subtraction.

    Reports measure thousands of spans; walking the calendar for each (as
    :meth:`BusinessHours.elapsed` does) would dominate the report. The index is built from the
    same :class:`BusinessHours` (its days, holidays and hours), one entry per day of the range,
    and agrees with ``elapsed`` to the second (tests compare them).
    """

    def __init__(self, hours: BusinessHours, first: date, last: date) -> None:
        self._hours = hours
        self._zone = hours.zone
        self.opens = hours.opens.hour * HOUR + hours.opens.minute * 60 + hours.opens.second
        """Opening time, in seconds after local midnight."""
        self.closes = hours.closes.hour * HOUR + hours.closes.minute * 60 + hours.closes.second
        self.first, self.last = first, last
        self._before: dict[date, float] = {}
        self._open_day: dict[date, bool] = {}
        total, day = 0.0, first
        while day <= last:
            self._before[day] = total
            is_open = hours.is_business_day(day)
            self._open_day[day] = is_open
            if is_open:
                total += self.closes - self.opens
            day += timedelta(days=1)

    def day(self, day: date) -> tuple[float, bool] | None:
        """Business seconds before the day starts and whether it is a business day (None: out of range)."""
        before = self._before.get(day)
        return None if before is None else (before, self._open_day[day])

    def at(self, moment: datetime) -> float | None:
        """Business seconds from the first day's start to ``moment`` (None: out of range)."""
        local = moment.astimezone(self._zone)
        day = local.date()
        before = self._before.get(day)
        if before is None:
            return None
        if not self._open_day[day]:
            return before
        clock = local.hour * HOUR + local.minute * 60 + local.second + local.microsecond / 1e6
        return before + min(max(clock, self.opens), self.closes) - self.opens

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Business seconds between two moments (0 when ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        a, b = self.at(start), self.at(end)
        if a is None or b is None:
            return self._hours.elapsed(start, end).total_seconds()
        return b - a

    def is_open(self, moment: datetime) -> bool:
        """Whether the desk is staffed at this moment."""
        local = moment.astimezone(self._zone)
        day = local.date()
        is_open = self._open_day.get(day)
        if is_open is None:
            return self._hours.is_open(moment)
        clock = local.hour * HOUR + local.minute * 60 + local.second + local.microsecond / 1e6
        return is_open and self.opens <= clock < self.closes


def stats(values: Sequence[float]) -> Stats:
    """Count, mean, median and 90th percentile (linear interpolation between closest ranks)."""
    if not values:
        return Stats()
    if len(values) == 1:
        return Stats(1, values[0], values[0], values[0])
    return Stats(
        count=len(values),
        mean=statistics.fmean(values),
        median=statistics.median(values),
        p90=statistics.quantiles(values, n=10, method="inclusive")[-1],
    )


def nps_score(scores: Iterable[int]) -> float | None:
    """Promoters (9-10) minus detractors (0-6), in percentage points of all answers."""
    values = list(scores)
    return nps_of(sum(1 for s in values if s >= 9), sum(1 for s in values if s <= 6), len(values))


def nps_of(promoters: int, detractors: int, answers: int) -> float | None:
    """NPS from its counts (None without answers)."""
    return 100.0 * (promoters - detractors) / answers if answers else None


def response_target(opened_at: datetime, index: BusinessIndex) -> tuple[float, bool]:
    """The first-response target for a ticket (seconds) and whether it is counted in business time."""
    if index.is_open(opened_at):
        return RESPONSE_TARGET_OPEN, True
    return RESPONSE_TARGET_CLOSED, False


def compute(data: ReportInput, hours: BusinessHours, cost: CostPolicy = CostPolicy()) -> Report:
    """The report of ``data``'s period. Tickets are the cohort opened in the period."""
    return assemble(data, tally(data, hours), cost)


def index_for(hours: BusinessHours, earliest: datetime, now: datetime) -> BusinessIndex:
    """The business-time index a report uses: from the day before its earliest moment to the day after now."""
    zone = hours.zone
    return BusinessIndex(
        hours,
        min(earliest, now).astimezone(zone).date() - timedelta(days=1),
        now.astimezone(zone).date() + timedelta(days=1),
    )


def tally(data: ReportInput, hours: BusinessHours) -> Tally:
    """Count the cohort's rows one ticket at a time: the reference for every metric's definition."""
    tickets = data.tickets
    zone = hours.zone
    index = index_for(hours, min((t.opened_at for t in tickets), default=data.now), data.now)

    by_channel: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    first_cal: list[float] = []
    first_biz: list[float] = []
    ai_first: list[float] = []
    res_cal: list[float] = []
    res_biz: list[float] = []
    daily_volume: dict[date, Counter[str]] = defaultdict(Counter)
    daily_first: dict[date, list[float]] = defaultdict(list)
    resolved = fcr = escalated = 0
    ai_answered = handed_off = ai_resolved = ai_pending = ai_kept = 0
    response_due = response_breach = resolution_due = resolution_breach = 0
    human_replies = 0

    for t in tickets:
        category = t.category or NO_CATEGORY
        by_channel[t.channel] += 1
        by_category[category] += 1
        day = t.opened_at.astimezone(zone).date()
        daily_volume[day][category] += 1
        human_replies += t.human_replies
        if t.escalated:
            escalated += 1

        # first response by a person (and its SLO)
        target, business = response_target(t.opened_at, index)
        if t.first_human_at is not None:
            calendar = (t.first_human_at - t.opened_at).total_seconds()
            in_business = index.elapsed(t.opened_at, t.first_human_at)
            first_cal.append(calendar)
            first_biz.append(in_business)
            daily_first[day].append(calendar / HOUR)
            response_due += 1
            response_breach += (in_business if business else calendar) > target
        else:
            waited = (
                index.elapsed(t.opened_at, data.now) if business else (data.now - t.opened_at).total_seconds()
            )
            if waited > target:
                response_due += 1
                response_breach += 1
        if t.reopened_at is not None and t.human_after_reopen_at is not None:
            first_cal.append((t.human_after_reopen_at - t.reopened_at).total_seconds())
            first_biz.append(index.elapsed(t.reopened_at, t.human_after_reopen_at))
        if t.first_ai_at is not None:
            ai_first.append((t.first_ai_at - t.opened_at).total_seconds())

        # resolution (and its SLO: 4 h for critical tickets, 24 h otherwise, calendar time)
        limit = RESOLUTION_TARGET_CRITICAL if (t.urgency or "").lower() == "critical" else RESOLUTION_TARGET
        if t.resolved_at is not None:
            resolved += 1
            spent = (t.resolved_at - t.opened_at).total_seconds()
            res_cal.append(spent)
            res_biz.append(index.elapsed(t.opened_at, t.resolved_at))
            resolution_due += 1
            resolution_breach += spent > limit
            first_answer = min((x for x in (t.first_human_at, t.first_ai_at) if x is not None), default=None)
            wrote_again = (
                first_answer is not None
                and t.last_customer_at is not None
                and t.last_customer_at > first_answer
            )
            if t.reopened_at is None and not t.escalated and not wrote_again:
                fcr += 1
        elif (data.now - t.opened_at).total_seconds() > limit:
            resolution_due += 1
            resolution_breach += 1

        # the AI's part
        if t.ai_replies:
            ai_answered += 1
            handoff = t.human_replies > 0 or t.escalated
            handed_off += handoff
            came_back = (
                t.next_ticket_at is not None
                and t.resolved_at is not None
                and (t.next_ticket_at - t.resolved_at <= COME_BACK_WINDOW)
            )
            if not handoff and t.reopened_at is None and not came_back:
                ai_kept += 1
            if t.resolved_at is not None and not handoff:
                if (t.csat or 0) >= 4 or (not came_back and data.now - t.resolved_at >= COME_BACK_WINDOW):
                    ai_resolved += 1
                elif not came_back and t.csat is None:
                    ai_pending += 1

    csat_channels: dict[str, list[int]] = defaultdict(list)
    daily_csat: dict[date, list[int]] = defaultdict(list)
    for r in data.csat:
        csat_channels[r.channel].append(r.score)
        daily_csat[r.at.astimezone(zone).date()].append(r.score)
    return Tally(
        total=len(tickets),
        by_channel=dict(by_channel.most_common()),
        by_category=dict(by_category.most_common()),
        first_response=stats(first_cal),
        first_response_business=stats(first_biz),
        ai_first_response=stats(ai_first),
        resolution=stats(res_cal),
        resolution_business=stats(res_biz),
        resolved=resolved,
        fcr=fcr,
        escalated=escalated,
        ai_answered=ai_answered,
        handed_off=handed_off,
        ai_resolved=ai_resolved,
        ai_pending=ai_pending,
        ai_kept=ai_kept,
        response_due=response_due,
        response_breaches=response_breach,
        resolution_due=resolution_due,
        resolution_breaches=resolution_breach,
        human_replies=human_replies,
        daily_volume={day: dict(counts) for day, counts in sorted(daily_volume.items())},
        daily_first_response={day: statistics.median(v) for day, v in sorted(daily_first.items())},
        csat=stats([float(r.score) for r in data.csat]),
        csat_by_channel={ch: statistics.fmean(v) for ch, v in sorted(csat_channels.items())},
        daily_csat={day: statistics.fmean(v) for day, v in sorted(daily_csat.items())},
        nps=nps_score(r.score for r in data.nps),
        nps_answers=len(data.nps),
    )


def assemble(data: ReportInput, counted: Tally, cost: CostPolicy = CostPolicy()) -> Report:
    """The report from the cohort's tally and the period's AI usage, drafts and previous categories."""
    total = counted.total
    calls = sum(m.calls for m in data.models)
    ai_cost = sum(m.cost_usd for m in data.models)
    models = [
        ModelUsage(
            model=m.model,
            calls=m.calls,
            share=m.calls / calls if calls else 0.0,
            latency_ms=m.latency_ms_total / m.calls if m.calls else None,
            cost_usd=m.cost_usd,
            escalation=Rate(m.requires_human, m.triaged),
        )
        for m in sorted(data.models, key=lambda m: -m.calls)
    ]
    drafts_ok = sum(n for outcome, n in data.drafts.items() if outcome in DRAFT_UNEDITED)
    drafts_all = drafts_ok + sum(n for outcome, n in data.drafts.items() if outcome in DRAFT_CHANGED)
    human_hours = counted.human_replies * cost.minutes_per_reply / 60.0
    human_cost = human_hours * cost.hourly_usd
    fcr_rate = Rate(counted.fcr, counted.resolved)
    escalation_rate = Rate(counted.escalated, total)

    return Report(
        start=data.start,
        end=data.end,
        total=total,
        by_channel=counted.by_channel,
        by_category=counted.by_category,
        first_response=counted.first_response,
        first_response_business=counted.first_response_business,
        ai_first_response=counted.ai_first_response,
        resolution=counted.resolution,
        resolution_business=counted.resolution_business,
        fcr=fcr_rate,
        escalation=escalation_rate,
        ai_resolution=Rate(counted.ai_resolved, total),
        ai_resolution_pending=counted.ai_pending,
        handoff=Rate(counted.handed_off, counted.ai_answered),
        ai_accuracy=Rate(drafts_ok + counted.ai_kept, drafts_all + counted.ai_answered),
        csat=counted.csat,
        csat_by_channel=counted.csat_by_channel,
        nps=counted.nps,
        nps_answers=counted.nps_answers,
        ai_cost_usd=ai_cost,
        ai_cost_per_ticket=ai_cost / total if total else None,
        models=models,
        human_replies=counted.human_replies,
        human_hours=human_hours,
        human_cost_usd=human_cost,
        human_cost_per_ticket=human_cost / total if total else None,
        slos=[
            _share_slo("first_response", counted.response_due, counted.response_breaches),
            _share_slo("resolution", counted.resolution_due, counted.resolution_breaches),
            _slo("csat", counted.csat.mean, CSAT_TARGET, above=True),
            _slo("fcr", fcr_rate.value, FCR_TARGET, above=True),
            _slo("escalation", escalation_rate.value, ESCALATION_TARGET, above=False),
        ],
        rising=rising_categories(counted.by_category, data.previous_categories),
        daily_volume=counted.daily_volume,
        daily_first_response=counted.daily_first_response,
        daily_csat=counted.daily_csat,
        ai_log=data.ai_log,
    )


def rising_categories(
    now: dict[str, int], before: dict[str, int], top: int = 3
) -> list[tuple[str, int, int]]:
    """Categories with more tickets than in the previous period, largest increase first."""
    grown = [(cat, before.get(cat, 0), n) for cat, n in now.items() if n > before.get(cat, 0)]
    grown.sort(key=lambda item: (-(item[2] - item[1]), item[0]))
    return grown[:top]


def _share_slo(key: str, due: int, breaches: int) -> Slo:
    """A time SLO: the share of tickets within target, met at :data:`SLO_SHARE`."""
    if not due:
        return Slo(key, None, SLO_SHARE, None)
    share = (due - breaches) / due
    return Slo(key, share, SLO_SHARE, share >= SLO_SHARE, breaches)


def _slo(key: str, actual: float | None, target: float, *, above: bool) -> Slo:
    if actual is None:
        return Slo(key, None, target, None)
    return Slo(key, actual, target, actual > target if above else actual < target)
