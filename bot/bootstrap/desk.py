"""The desk at the heart of every feature: tickets, the SLA clock, the effect runner, tiers and the queue."""

from __future__ import annotations

from dataclasses import dataclass

from bot.bootstrap.platforms import Platforms
from bot.bootstrap.slack import SlackApp
from bot.settings import Settings
from bot.workers.wake import Wake
from core.ai.summary import ConversationSummarizer
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.delivery.runner import DeskPolicy, EffectRunner
from core.escalation.notices import TierNotices
from core.queue.agent_queue import AgentQueue
from core.sla.clock import SlaClock
from core.tickets.service import SupportDesk
from handlers.slack import escalation as slack_escalation
from handlers.slack import queue as slack_queue
from handlers.slack.desk import SlackDesk
from handlers.slack.queue import QueueCommands, QueueViews, SlackHome
from storage.sqlite.database import Database
from storage.sqlite.read.queue import QueueQueries
from storage.sqlite.unit_of_work import SqliteStore


@dataclass(slots=True)
class Desk:
    """What the other features are built on."""

    hours: BusinessHours
    support: SupportDesk
    slack_desk: SlackDesk
    runner: EffectRunner
    queue: AgentQueue
    queue_views: QueueViews


def build_desk(
    s: Settings,
    db: Database,
    store: SqliteStore,
    clock: Clock,
    platforms: Platforms,
    outbox: Wake,
    summaries: ConversationSummarizer,
) -> Desk:
    """The ticket service (ringing ``outbox`` on commit) and the runner of its effects, with the
    tier notices and the agents' queue; ``summaries`` write the escalation packages."""
    hours = BusinessHours()
    support = SupportDesk(store, clock, on_commit=outbox, sla=SlaClock(s.sla_policy, hours), ai=s.ai_enabled)
    slack_desk = SlackDesk(platforms.slack, s.slack_support_channel, platforms.http)
    runner = EffectRunner(
        store,
        slack_desk,
        platforms.channels,
        clock,
        DeskPolicy(mask_phones=s.mask_phones, max_media_bytes=s.max_media_bytes),
    )
    runner.extend(
        TierNotices(store, slack_desk, clock, s.tiers, hours, runner.thread_of, summaries).handlers()
    )
    queue_views = QueueViews(slack_desk, hours.zone)
    queue = AgentQueue(QueueQueries(db), SlackHome(slack_desk, queue_views), clock, hours)
    runner.extend(queue.handlers())
    return Desk(hours, support, slack_desk, runner, queue, queue_views)


def register_desk_slack(s: Settings, desk: Desk, slack: SlackApp) -> None:
    """The queue's ``/suporte`` subcommands, the escalation buttons and the agents' App Home."""
    QueueCommands(desk.queue, desk.queue_views, s.mask_phones).add_to(slack.commands)
    slack_escalation.register(slack.bolt, desk.support, slack.access)
    slack_queue.register_home(slack.bolt, desk.support, slack.access)
