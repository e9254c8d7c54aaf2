"""Builds the running bot from settings: storage, clients, each feature in its own builder, workers, HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from aiohttp import web

from bot.bootstrap import ai as ai_wiring
from bot.bootstrap import feedback, knowledge, platforms
from bot.bootstrap import journeys as journey_wiring
from bot.bootstrap import kb as kb_wiring
from bot.bootstrap.agent_tools import build_agent_tools
from bot.bootstrap.background import build_workers, start_tasks
from bot.bootstrap.broadcast import build_broadcasts
from bot.bootstrap.desk import build_desk, register_desk_slack
from bot.bootstrap.http import add_telegram, build_http
from bot.bootstrap.reactions import connect_reactions
from bot.bootstrap.slack import build_slack
from bot.clock import SystemClock
from bot.settings import Settings
from bot.workers.wake import Wake
from core.common.clock import Clock
from storage.sqlite.database import Database
from storage.sqlite.queues import Inbox, Outbox
from storage.sqlite.unit_of_work import SqliteStore

log = logging.getLogger(__name__)


class Atende:
    """The whole bot in one process: ``await start()``, serve, ``await stop()``."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.db = Database(settings.database_path)
        self.store = SqliteStore(self.db)
        self.inbox = Inbox(self.db)
        self.outbox = Outbox(self.db)
        self._tasks: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        self._closers: list = []
        self.port: int | None = None

    async def start(self) -> None:
        """Open storage, build each feature, start workers (picking up a crash's leftovers) and serve.

        The order is the order Slack listeners and subcommands are matched and listed in; what
        reacts to what, in which order, is :mod:`bot.bootstrap.reactions`'s table.
        """
        s, store, clock = self.settings, self.store, self.clock
        await self.db.open()
        self.kb = await knowledge.open_base(s, self.db, clock.now())
        edge = platforms.connect(s)
        self._closers = edge.closers
        self.slack_client, self.whatsapp, self.channels, self.telegram = (
            edge.slack,
            edge.whatsapp,
            edge.channels,
            edge.telegram,
        )
        # made first and handed to both sides: the features ring it on commit, the outbox worker waits on it
        wake_outbox = Wake()
        chain, ai_closers = ai_wiring.build_chain(s)
        self._closers.extend(ai_closers)
        desk = build_desk(s, self.db, store, clock, edge, wake_outbox, ai_wiring.summarizer(s, chain))
        self.support = desk.support
        self.technical = ai_wiring.build_ai(s, chain, store, desk, edge.channels, clock, self.kb)
        self.kb_loop = kb_wiring.build_loop(s, store, self.kb, clock, desk, edge.slack, wake_outbox)
        satisfaction, self.good_ratings = feedback.register_surveys(s, desk.support, desk.runner)
        slack = build_slack(s, edge.slack, store, clock, desk.support, wake_outbox)
        self.bolt, self.access, self.commands = slack.bolt, slack.access, slack.commands
        self.broadcasts, self.broadcast_worker, self.crises = build_broadcasts(
            s, store, clock, edge.channels, desk, wake_outbox, slack
        )
        register_desk_slack(s, desk, slack)
        self.templates, self.backlog, self.privacy = build_agent_tools(
            s, self.db, store, clock, desk.support, self.broadcasts, wake_outbox, slack
        )
        self.quality, self.reports, self.schedule = feedback.build_feedback(
            s, self.db, store, clock, desk, slack, wake_outbox
        )
        kb_wiring.register_slack(s, self.kb_loop, self.kb, slack)
        self.journeys, self.journey_worker = journey_wiring.register_journeys(
            s, store, clock, desk.hours, self.broadcasts, slack.commands, self.broadcast_worker.wake
        )
        slack.commands.register(slack.bolt)  # last: every feature has added its /suporte subcommands
        connect_reactions(
            desk.support, self.good_ratings, satisfaction, self.quality, self.broadcasts, self.kb_loop
        )
        workers = build_workers(s, self.inbox, self.outbox, store, desk.support, desk.runner, wake_outbox)
        self.inbox_worker, self.outbox_worker, self.sla_ticker = workers
        app = build_http(
            s, self.db, store, clock, desk.hours, self.inbox, self.outbox, workers, slack.bolt, wake_outbox
        )
        telegram = None
        if edge.telegram is not None:
            telegram, close_telegram = add_telegram(s, app, edge.telegram, self.inbox, self.inbox_worker.wake)
            self._closers.insert(0, close_telegram)
        self._tasks = start_tasks(
            s,
            clock,
            workers,
            self.broadcast_worker,
            self.privacy,
            telegram,
            self.kb,
            self.kb_loop,
            self.schedule,
            self.journey_worker,
        )
        await self._serve(app)

    async def _serve(self, app: web.Application) -> None:
        """Connect Socket Mode when it is on, then listen on ATENDE_HOST:ATENDE_PORT."""
        s = self.settings
        if s.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket = AsyncSocketModeHandler(self.bolt, s.slack_app_token)
            await socket.connect_async()
            self._closers.insert(0, socket.close_async)

        # the keep-alive timer also closes a connection whose request head is late (bot/http_timeouts.py)
        self._runner = web.AppRunner(app, access_log=None, keepalive_timeout=s.http_read_timeout_seconds)
        await self._runner.setup()
        site = web.TCPSite(self._runner, s.atende_host, s.atende_port)
        await site.start()
        addresses = self._runner.addresses  # the real port when ATENDE_PORT=0
        if addresses:
            self.port = addresses[0][1]
        log.info(
            "atende listening on %s:%s (Slack %s mode)",
            s.atende_host,
            self.port,
            "Socket" if s.socket_mode else "HTTP",
        )

    async def stop(self) -> None:
        """Stop serving, stop the workers, close clients and the database.

        Each step gets a time limit: a client or worker that does not let go (a stuck
        connection, a call that ignores cancellation) is logged and left behind, so stopping
        never hangs; everything durable is already in the database.
        """
        if self._runner is not None:
            await _bounded("HTTP server", self._runner.cleanup())
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            await _bounded(f"worker {task.get_name()}", task)
        for close in self._closers:
            await _bounded("client", close())
        await _bounded("database", self.db.close())


STOP_STEP_SECONDS = 10.0


async def _bounded(what: str, step: Awaitable[object]) -> None:
    """Wait for one step of stopping, at most ``STOP_STEP_SECONDS``; failures are logged, not raised."""
    try:
        await asyncio.wait_for(step, STOP_STEP_SECONDS)
    except asyncio.CancelledError:
        pass  # a cancelled worker finishing the way it should
    except TimeoutError:
        log.warning("stop: %s did not finish within %.0f s; going on", what, STOP_STEP_SECONDS)
    except Exception as error:  # a close that fails must not keep the rest open
        log.warning("stop: %s failed: %s", what, error)
