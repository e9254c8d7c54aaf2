"""Wires the broadcast engine: policy from settings, pacers per channel, the worker and its Slack surface."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from slack_bolt.async_app import AsyncApp

from bot.bootstrap.desk import Desk
from bot.bootstrap.journeys import journey_policy
from bot.bootstrap.slack import SlackApp
from bot.settings import Settings
from bot.workers.broadcast import BroadcastWorker
from bot.workers.wake import Wake
from core.broadcast.pacing import Pacer
from core.broadcast.progress import BroadcastProgress
from core.broadcast.routing import RoutingPolicy
from core.broadcast.sender import BroadcastSender, SendPolicy
from core.broadcast.service import Broadcasts
from core.common.clock import Clock
from core.crisis import scenarios
from core.crisis.service import Crises
from core.customers.model import Channel
from core.delivery.ports import CustomerChannel
from core.delivery.runner import EffectRunner
from core.journeys.policy import JourneyPolicy
from core.unit_of_work import Store, Transaction
from handlers.slack import broadcast as slack_broadcast
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import SlashCommands
from handlers.slack.crisis import CrisisCommands, SlackCrisisBoard


def wire(
    s: Settings,
    store: Store[Transaction],
    clock: Clock,
    channels: Mapping[Channel, CustomerChannel],
    runner: EffectRunner,
    slack: SafeWebClient,
    wake_outbox: Callable[[], None],
    journeys: JourneyPolicy,
) -> tuple[Broadcasts, BroadcastWorker]:
    """The engine's service (for features and Slack) and its worker (for the caller to run)."""
    routing = RoutingPolicy(daily_limit=s.whatsapp_daily_limit)
    wake_sender = Wake()  # made first: the service rings it on commit, the worker waits on it

    def committed() -> None:
        wake_sender()
        wake_outbox()

    broadcasts = Broadcasts(
        store, clock, list(channels), routing, on_commit=committed, on_progress=wake_outbox
    )
    pacers = {
        Channel.WHATSAPP: Pacer(s.broadcast_rate_per_second),
        Channel.TELEGRAM: Pacer(s.broadcast_telegram_rate_per_second),
    }
    policy = SendPolicy(
        routing=routing,
        max_attempts=s.outbox_max_attempts,
        retry_base=s.outbox_retry_base_seconds,
        confirm_grace=timedelta(seconds=s.broadcast_confirm_grace_seconds),
        language=s.whatsapp_template_language,
        held_until=journeys.held_until,
    )
    sender = BroadcastSender(store, channels, pacers, clock, policy, broadcasts.stopped)
    worker = BroadcastWorker(
        sender, broadcasts, clock, progress_seconds=s.broadcast_progress_seconds, wake=wake_sender
    )
    board = slack_broadcast.SlackBroadcastBoard(slack, broadcast_channel(s))
    runner.extend(BroadcastProgress(store, board).handlers())
    return broadcasts, worker


def broadcast_channel(s: Settings) -> str:
    """Where crises and broadcast progress go."""
    return s.slack_broadcast_channel or s.slack_support_channel


def register_slack(
    s: Settings,
    store: Store[Transaction],
    clock: Clock,
    broadcasts: Broadcasts,
    runner: EffectRunner,
    commands: SlashCommands,
    app: AsyncApp,
    access: SlackAccess,
    slack: SafeWebClient,
) -> Crises:
    """The progress message's buttons, and ``/suporte crise`` with its crisis threads."""
    slack_broadcast.register(app, broadcasts, access)
    board = SlackCrisisBoard(
        slack, broadcast_channel(s), scenarios.stakeholder_groups(s.crisis_stakeholder_groups)
    )
    crises = Crises(
        store, clock, broadcasts, board, scenarios.configured(s.crisis_scenarios), broadcasts.wake
    )
    runner.extend(crises.handlers())
    CrisisCommands(crises, access, slack).register(commands, app)
    return crises


def build_broadcasts(
    s: Settings,
    store: Store[Transaction],
    clock: Clock,
    channels: Mapping[Channel, CustomerChannel],
    desk: Desk,
    outbox: Wake,
    slack: SlackApp,
) -> tuple[Broadcasts, BroadcastWorker, Crises]:
    """The broadcast engine with its worker (for the caller to run), then crises on top of it."""
    journeys = journey_policy(s, desk.hours)
    broadcasts, worker = wire(s, store, clock, channels, desk.runner, slack.client, outbox, journeys)
    crises = register_slack(
        s, store, clock, broadcasts, desk.runner, slack.commands, slack.bolt, slack.access, slack.client
    )
    return broadcasts, worker, crises
