"""The knowledge loop: resolved tickets and ratings become articles, reviewed in Slack."""

from __future__ import annotations

from bot.bootstrap.desk import Desk
from bot.bootstrap.slack import SlackApp
from bot.settings import Settings
from bot.workers.wake import Wake
from core.common.clock import Clock
from core.kb.loop import KnowledgeLoop
from core.unit_of_work import Store, Transaction
from handlers.slack import kb as slack_kb
from handlers.slack.client import SafeWebClient
from handlers.slack.kb import SlackReviewBoard
from storage.sqlite.kb.index import SqliteKnowledgeBase


def review_channel(settings: Settings) -> str:
    """Where proposed and flagged articles are reviewed."""
    return settings.slack_kb_review_channel or settings.slack_support_channel


def build_loop(
    settings: Settings,
    store: Store[Transaction],
    kb: SqliteKnowledgeBase,
    clock: Clock,
    desk: Desk,
    slack: SafeWebClient,
    outbox: Wake,
) -> KnowledgeLoop:
    """The loop that turns resolved tickets and ratings into articles, reviewed in Slack."""
    board = SlackReviewBoard(slack, review_channel(settings))
    loop = KnowledgeLoop(store, kb, board, clock, on_commit=outbox)
    desk.runner.extend(loop.handlers())
    return loop


def register_slack(settings: Settings, loop: KnowledgeLoop, kb: SqliteKnowledgeBase, slack: SlackApp) -> None:
    """The review buttons and ``/suporte kb``."""
    slack_kb.register(
        slack.bolt, loop, kb, slack.access, slack.commands, slack.client, review_channel(settings)
    )
