"""The Slack app: request checks, who may do what, and the ticket's own buttons and threads."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.settings import Settings
from bot.workers.wake import Wake
from core.ai.drafts import DraftDesk
from core.common.clock import Clock
from core.tickets.service import SupportDesk
from core.unit_of_work import Store, Transaction
from handlers.slack import ai_actions as slack_ai_actions
from handlers.slack import ticket_listeners as slack_listeners
from handlers.slack.access import Role, SlackAccess
from handlers.slack.client import SafeWebClient, safe_replies
from handlers.slack.commands import SlashCommands


@dataclass(slots=True)
class SlackApp:
    """Where the features register their Slack surface (in the order the bootstrap calls them)."""

    client: SafeWebClient
    bolt: AsyncApp
    access: SlackAccess
    commands: SlashCommands
    """``/suporte``'s subcommands, registered with Bolt once every feature has added its own."""


def build_slack(
    s: Settings,
    slack: SafeWebClient,
    store: Store[Transaction],
    clock: Clock,
    support: SupportDesk,
    outbox: Wake,
) -> SlackApp:
    """The Bolt app with its middleware and the ticket threads' listeners (AI drafts included)."""
    bolt = AsyncApp(
        client=slack,
        signing_secret=s.slack_signing_secret or None,
        request_verification_enabled=not s.socket_mode,
        # run listeners before answering: Slack gets its 200 only once the reply is stored
        process_before_response=True,
    )
    access = SlackAccess(
        support,
        supervisors=Role(slack, s.supervisor_ids, s.slack_supervisor_group),
        agents=Role(slack, s.agent_ids, s.slack_agent_group),
    )
    bolt.use(safe_replies(slack))  # first: every reply below goes out escaped
    access.guard_workspace(bolt)
    slack_listeners.register(bolt, support, access, s.slack_support_channel)
    slack_ai_actions.register(bolt, DraftDesk(store, clock, outbox), access, s.slack_support_channel)
    return SlackApp(slack, bolt, access, SlashCommands(access))
