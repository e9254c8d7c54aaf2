"""Wires surveys, reports and QA into the running bot: which settings fill which policy, what runs where.

Kept out of :mod:`bot.bootstrap.app` so the composition of this feature reads in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from slack_bolt.async_app import AsyncApp

from bot.bootstrap.desk import Desk
from bot.bootstrap.slack import SlackApp
from bot.settings import Settings
from bot.workers.schedule import ScheduleWorker
from bot.workers.wake import Wake
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.delivery.runner import EffectRunner
from core.feedback.effects import GoodRating, QueueReview
from core.feedback.qa import QualityDesk
from core.feedback.satisfaction import GoodRatingHooks, Satisfaction, SurveyPolicy
from core.reports import texts as report_texts
from core.reports.desk import ReportDesk, ReportPoster
from core.reports.effects import PostReport
from core.reports.model import CostPolicy
from core.tickets.service import SupportDesk
from core.unit_of_work import Store, Transaction
from handlers.slack import qa as slack_qa
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import SlashCommands, Who
from handlers.slack.desk import SlackDesk
from handlers.slack.qa import SlackReviewCards
from handlers.slack.reports import ReportCommand, SlackReportBoard
from storage.sqlite.database import Database
from storage.sqlite.read.reports import ReportRows


def register_surveys(
    settings: Settings, support: SupportDesk, runner: EffectRunner
) -> tuple[Satisfaction, GoodRatingHooks]:
    """The surveys (plugged into the desk by :mod:`bot.bootstrap.reactions`) and the good-rating hooks."""
    satisfaction = Satisfaction(
        support.reopen_within,
        SurveyPolicy(
            enabled=settings.csat_enabled,
            nps_interval=timedelta(days=settings.nps_interval_days),
            comment_window=timedelta(minutes=settings.csat_comment_minutes),
        ),
        support.complained,
    )
    hooks = GoodRatingHooks()
    runner.extend({GoodRating: hooks.run})  # type: ignore[dict-item]
    return satisfaction, hooks


def register_reports(
    settings: Settings,
    store: Store[Transaction],
    clock: Clock,
    db: Database,
    runner: EffectRunner,
    commands: SlashCommands,
    slack: SafeWebClient,
    wake: Callable[[], None],
    quality: QualityDesk,
) -> tuple[ReportDesk, ScheduleWorker | None]:
    """``/suporte relatorio``, the report poster, and the weekly schedule (when a channel is set)."""
    hours = BusinessHours()
    reports = ReportDesk(store, clock, hours.zone, on_commit=wake)
    cost = CostPolicy(settings.human_hourly_cost_usd, settings.human_minutes_per_reply)
    poster = ReportPoster(ReportRows(db), SlackReportBoard(slack), hours, cost, after=quality.report_alerts)
    runner.extend({PostReport: poster.run})  # type: ignore[dict-item]
    commands.add(
        "relatorio",
        ReportCommand(reports, settings.slack_reports_channel),
        help=report_texts.REPORT_HELP,
        who=Who.SUPERVISOR,
    )
    schedule = None
    if settings.slack_reports_channel and settings.weekly_report:
        schedule = ScheduleWorker(
            reports, settings.slack_reports_channel, settings.weekly_report_day, settings.weekly_report_hour
        )
    return reports, schedule


def register_quality(
    settings: Settings,
    store: Store[Transaction],
    clock: Clock,
    runner: EffectRunner,
    desk: SlackDesk,
    slack: SafeWebClient,
    bolt: AsyncApp,
    access: SlackAccess,
    wake: Callable[[], None],
) -> QualityDesk:
    """QA: sample resolved tickets into the review channel, the scoring modal, the triggers' alerts."""
    review_channel = settings.slack_qa_channel or settings.slack_reports_channel
    quality = QualityDesk(
        store, clock, review_channel, settings.slack_reports_channel, desk.mention_user, on_commit=wake
    )
    runner.extend({QueueReview: SlackReviewCards(slack, quality, desk).run})  # type: ignore[dict-item]
    slack_qa.register(bolt, quality, access)
    return quality


def build_feedback(
    settings: Settings,
    db: Database,
    store: Store[Transaction],
    clock: Clock,
    desk: Desk,
    slack: SlackApp,
    outbox: Wake,
) -> tuple[QualityDesk, ReportDesk, ScheduleWorker | None]:
    """QA, then the reports (whose alerts QA adds) and their weekly schedule."""
    quality = register_quality(
        settings,
        store,
        clock,
        desk.runner,
        desk.slack_desk,
        slack.client,
        slack.bolt,
        slack.access,
        outbox,
    )
    reports, schedule = register_reports(
        settings, store, clock, db, desk.runner, slack.commands, slack.client, outbox, quality
    )
    return quality, reports, schedule
