"""What agents and supervisors use beside tickets: response templates, the ideas backlog, LGPD requests."""

from __future__ import annotations

from bot.bootstrap.slack import SlackApp
from bot.settings import Settings
from bot.workers.wake import Wake
from core.backlog.ideas import Backlog
from core.broadcast.service import Broadcasts
from core.common.clock import Clock
from core.privacy.requests import Privacy
from core.templates.responses import ResponseTemplates
from core.tickets.service import SupportDesk
from core.unit_of_work import Store, Transaction
from handlers.slack import ideas as slack_ideas
from handlers.slack import templates as slack_templates
from handlers.slack.lgpd import LgpdCommands
from storage.sqlite.database import Database
from storage.sqlite.read.personal_data import PersonalData


def build_agent_tools(
    s: Settings,
    db: Database,
    store: Store[Transaction],
    clock: Clock,
    support: SupportDesk,
    broadcasts: Broadcasts,
    outbox: Wake,
    slack: SlackApp,
) -> tuple[ResponseTemplates, Backlog, Privacy]:
    """Templates and ideas (their modals and ``/suporte`` subcommands), then the LGPD commands."""
    templates = ResponseTemplates(store, clock, support)
    backlog = Backlog(store, clock, outbox, broadcasts, s.idea_template)
    slack_templates.register(slack.bolt, templates, slack.access, slack.commands, slack.client)
    slack_ideas.register(slack.commands, backlog, slack.client)
    privacy = Privacy(PersonalData(db), support)
    LgpdCommands(privacy, slack.access, slack.client).register(slack.commands, slack.bolt)
    return templates, backlog, privacy
