"""Wires the proactive journeys: policy from settings, the daily worker, ``/suporte anunciar``.

Messages go out through the broadcast engine (free text inside the 24-hour window, the
``JOURNEY_TEMPLATE`` outside it, opted-out customers skipped at send time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import time

from bot.settings import Settings
from bot.workers.journeys import JourneyWorker
from core.broadcast.service import Broadcasts, NewBroadcast
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.journeys import texts as journeys_texts
from core.journeys.policy import JourneyPolicy
from core.journeys.run import Deliver, Journeys, JourneyTx
from core.unit_of_work import Store, Transaction
from handlers.slack.announce import AnnounceCommand
from handlers.slack.commands import SlashCommands, Who


def register_journeys(
    s: Settings,
    store: Store[Transaction],
    clock: Clock,
    hours: BusinessHours,
    broadcasts: Broadcasts,
    commands: SlashCommands,
    wake_sender: Callable[[], None],
) -> tuple[Journeys, JourneyWorker | None]:
    """The journeys' use cases; the daily worker and ``/suporte anunciar`` only when JOURNEYS_ENABLED."""
    policy = journey_policy(s, hours)
    deliver = through_broadcasts(broadcasts, s.journey_template)
    journeys = Journeys(store, clock, deliver, policy, on_commit=wake_sender)
    if not s.journeys_enabled:
        return journeys, None  # no daily run, so no announcements to take either
    commands.add("anunciar", AnnounceCommand(journeys), help=journeys_texts.ANNOUNCE_HELP, who=Who.SUPERVISOR)
    return journeys, JourneyWorker(journeys, s.journey_check_seconds)


def journey_policy(s: Settings, hours: BusinessHours) -> JourneyPolicy:
    """The journeys' days and quiet hours (the broadcast engine holds journey sends in them too)."""
    return JourneyPolicy(
        zone=hours.zone, quiet_from=time(s.quiet_hours_start), quiet_until=time(s.quiet_hours_end)
    )


def through_broadcasts(broadcasts: Broadcasts, template: str) -> Deliver:
    """Each journey message as a broadcast to the customers due it, queued in the journeys' own
    transaction (with their ledger rows); the desk sees only its final tally."""

    async def deliver(tx: JourneyTx, kind: str, key: str, customer_ids: Sequence[int], text: str) -> None:
        request = NewBroadcast(kind, key, tuple(customer_ids), text, template, show_progress=False)
        await broadcasts.enqueue_within(tx, request)

    return deliver
