"""Builds the running bot from settings: database, SDK clients, ports, workers and HTTP routes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import aiohttp
from aiohttp import web
from pywa_async import WhatsApp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from telegram import Bot

from bot.bootstrap import ai as ai_wiring
from bot.bootstrap import broadcast as broadcast_wiring
from bot.bootstrap import feedback
from bot.bootstrap import journeys as journey_wiring
from bot.bootstrap.knowledge import import_starter_if_empty, make_knowledge_base, scan_frequent_questions
from bot.clock import SystemClock
from bot.http_timeouts import body_deadline
from bot.metrics import Metrics
from bot.settings import Settings
from bot.workers.inbox import InboxWorker
from bot.workers.outbox import OutboxWorker
from bot.workers.retention import RetentionWorker
from bot.workers.sla import SlaTicker
from core.ai.drafts import DraftDesk
from core.backlog.ideas import Backlog
from core.common.business_hours import BusinessHours
from core.customers import opt_out
from core.customers.importer import CustomerImport
from core.delivery.runner import DeskPolicy, EffectRunner
from core.effects import AI
from core.escalation.notices import TierNotices
from core.kb.loop import KnowledgeLoop
from core.kb.solutions import TechnicalSolutions
from core.models import Channel
from core.ports import Clock, CustomerChannel
from core.privacy.requests import Privacy
from core.queue.agent_queue import AgentQueue
from core.sla.clock import SlaClock
from core.templates.responses import ResponseTemplates
from core.tickets.service import SupportDesk
from handlers.http.customers_api import CustomersEndpoint
from handlers.slack import ai_actions as slack_ai_actions
from handlers.slack import escalation as slack_escalation
from handlers.slack import ideas as slack_ideas
from handlers.slack import kb as slack_kb
from handlers.slack import queue as slack_queue
from handlers.slack import templates as slack_templates
from handlers.slack import ticket_listeners as slack_listeners
from handlers.slack.access import Role, SlackAccess
from handlers.slack.client import SafeWebClient, safe_replies
from handlers.slack.commands import SlashCommands
from handlers.slack.desk import SlackDesk
from handlers.slack.http import SlackEndpoint
from handlers.slack.kb import SlackReviewBoard
from handlers.slack.lgpd import LgpdCommands
from handlers.slack.queue import QueueCommands, QueueViews, SlackHome
from handlers.telegram.channel import TelegramChannel, make_bot
from handlers.telegram.updates import TelegramUpdates
from handlers.whatsapp.channel import WhatsAppChannel, make_session
from handlers.whatsapp.webhook import WhatsAppWebhook
from storage.sqlite.database import Database
from storage.sqlite.queues import Inbox, Outbox
from storage.sqlite.read.metrics import MetricsQueries
from storage.sqlite.read.personal_data import PersonalData
from storage.sqlite.read.queue import QueueQueries
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
        """Open storage, wire the ports, start workers (picking up a crash's leftovers) and serve."""
        s = self.settings
        await self.db.open()
        self.kb = make_knowledge_base(s, self.db)
        await import_starter_if_empty(self.kb, s, self.clock.now())
        # slack_sdk applies its own timeout only to sessions it makes: this one must carry it
        slack_timeout = max(s.http_timeout_seconds, 1)
        http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=slack_timeout))
        slack = SafeWebClient(
            token=s.slack_bot_token,
            base_url=s.slack_api_url,
            timeout=int(slack_timeout),
            session=http,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
        )
        wa_session = make_session(s.whatsapp_api_url, timeout=s.http_timeout_seconds)
        whatsapp = WhatsApp(
            phone_id=s.whatsapp_phone_id,
            token=s.whatsapp_token,
            session=wa_session,
            validate_updates=False,  # the webhook route verifies signatures itself
        )
        self._closers = [http.close, wa_session.aclose]
        self.slack_client = slack
        self.whatsapp = whatsapp

        channels: dict[Channel, CustomerChannel] = {Channel.WHATSAPP: WhatsAppChannel(whatsapp)}
        telegram = None
        if s.telegram_bot_token:
            telegram = make_bot(
                s.telegram_bot_token,
                s.telegram_api_url,
                timeout=s.http_timeout_seconds,
                poll_timeout=s.telegram_poll_timeout_seconds,
            )
            channels[Channel.TELEGRAM] = TelegramChannel(telegram)
        self.channels = channels
        self.telegram = telegram

        outbox_worker_ref: list[OutboxWorker] = []
        hours = BusinessHours()
        sla = SlaClock(s.sla_policy, hours)
        support = SupportDesk(
            self.store, self.clock, on_commit=lambda: outbox_worker_ref[0].wake(), sla=sla, ai=s.ai_enabled
        )
        self.support = support
        support.interceptors.append(opt_out.intercept)  # first: a keyword is never a survey answer
        slack_desk = SlackDesk(slack, s.slack_support_channel, http)
        runner = EffectRunner(
            self.store,
            slack_desk,
            channels,
            self.clock,
            DeskPolicy(mask_phones=s.mask_phones, max_media_bytes=s.max_media_bytes),
        )
        chain, ai_closers = ai_wiring.build_chain(s)
        self._closers.extend(ai_closers)
        summaries = ai_wiring.summarizer(s, chain)
        runner.extend(
            TierNotices(
                self.store, slack_desk, self.clock, s.tiers, hours, runner.thread_of, summaries
            ).handlers()
        )
        queue_views = QueueViews(slack_desk, hours.zone)
        queue = AgentQueue(QueueQueries(self.db), SlackHome(slack_desk, queue_views), self.clock, hours)
        runner.extend(queue.handlers())
        # for the AI core: known technical problems answered from the base, the rest escalated to tier 2
        self.technical = TechnicalSolutions(self.kb, support.escalate)
        ai_wiring.wire(
            s,
            chain,
            self.store,
            slack_desk,
            channels,
            self.clock,
            hours,
            runner,
            support,
            self.kb,
            self.technical,
        )
        review_channel = s.slack_kb_review_channel or s.slack_support_channel
        self.kb_loop = KnowledgeLoop(
            self.store,
            self.kb,
            SlackReviewBoard(slack, review_channel),
            self.clock,
            on_commit=lambda: outbox_worker_ref[0].wake(),
        )
        runner.extend(self.kb_loop.handlers())
        self.sla_ticker = SlaTicker(support, s.sla_tick_seconds)
        self.outbox_worker = OutboxWorker(
            self.outbox,
            runner,
            max_attempts=s.outbox_max_attempts,
            concurrency=s.outbox_concurrency + s.ai_workers,
            retry_base=s.outbox_retry_base_seconds,
            budgets={AI: s.ai_workers},
        )
        outbox_worker_ref.append(self.outbox_worker)
        self.good_ratings = feedback.register_surveys(s, support, runner)
        self.good_ratings.add(self.kb_loop.on_csat)
        self.inbox_worker = InboxWorker(self.inbox, self.store, support)

        self.bolt = bolt = AsyncApp(
            client=slack,
            signing_secret=s.slack_signing_secret or None,
            request_verification_enabled=not s.socket_mode,
            # run listeners before answering: Slack gets its 200 only once the reply is stored
            process_before_response=True,
        )
        self.access = SlackAccess(
            support,
            supervisors=Role(slack, s.supervisor_ids, s.slack_supervisor_group),
            agents=Role(slack, s.agent_ids, s.slack_agent_group),
        )
        bolt.use(safe_replies(slack))  # first: every reply below goes out escaped
        self.access.guard_workspace(bolt)
        slack_listeners.register(bolt, support, self.access, s.slack_support_channel)
        slack_ai_actions.register(
            bolt,
            DraftDesk(self.store, self.clock, outbox_worker_ref[0].wake),
            self.access,
            s.slack_support_channel,
        )
        self.broadcasts, self.broadcast_worker = broadcast_wiring.wire(
            s,
            self.store,
            self.clock,
            channels,
            runner,
            support,
            slack,
            outbox_worker_ref[0].wake,
            journey_wiring.journey_policy(s, hours),
        )
        self.commands = SlashCommands(self.access)
        self.crises = broadcast_wiring.register_slack(
            s, self.store, self.clock, self.broadcasts, runner, self.commands, bolt, self.access, slack
        )
        # features add their /suporte subcommands to self.commands here, before it is registered
        QueueCommands(queue, queue_views, s.mask_phones).add_to(self.commands)
        slack_escalation.register(bolt, support, self.access)
        slack_queue.register_home(bolt, support, self.access)
        self.templates = ResponseTemplates(self.store, self.clock, support)
        self.backlog = Backlog(
            self.store, self.clock, outbox_worker_ref[0].wake, self.broadcasts, s.idea_template
        )
        slack_templates.register(bolt, self.templates, self.access, self.commands, slack)
        slack_ideas.register(self.commands, self.backlog, slack)
        self.privacy = Privacy(PersonalData(self.db), support)
        LgpdCommands(self.privacy, self.access, slack).register(self.commands, bolt)
        wake = self.outbox_worker.wake
        self.quality = feedback.register_quality(
            s, self.store, self.clock, support, runner, slack_desk, slack, bolt, self.access, wake
        )
        self.reports, self.schedule = feedback.register_reports(
            s, self.store, self.clock, self.db, runner, self.commands, slack, wake, self.quality
        )
        slack_kb.register(bolt, self.kb_loop, self.kb, self.access, self.commands, slack, review_channel)
        self.journeys, self.journey_worker = journey_wiring.register_journeys(
            s, self.store, self.clock, hours, self.broadcasts, self.commands, self.broadcast_worker.wake
        )
        self.commands.register(bolt)
        webhook = WhatsAppWebhook(
            s.whatsapp_app_secret, s.whatsapp_verify_token, self.inbox.add, self.inbox_worker.wake
        )
        metrics = Metrics(
            self.inbox,
            self.outbox,
            MetricsQueries(self.db),
            self.inbox_worker,
            self.outbox_worker,
            self.sla_ticker,
            self.db.statements,
        )

        app = web.Application(
            client_max_size=s.max_body_bytes, middlewares=[body_deadline(s.http_read_timeout_seconds)]
        )
        app.router.add_get("/whatsapp/webhook", webhook.handshake)
        app.router.add_post("/whatsapp/webhook", webhook.deliver)
        app.router.add_post("/slack/events", SlackEndpoint(bolt, s.slack_signing_secret or None).handle)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", metrics.handle)
        if s.customers_api_token:
            importer = CustomerImport(self.store, self.clock, hours.zone, on_commit=wake)
            app.router.add_post("/customers", CustomersEndpoint(s.customers_api_token, importer).handle)

        self._tasks = [
            asyncio.create_task(self.inbox_worker.run(), name="inbox"),
            asyncio.create_task(self.outbox_worker.run(), name="outbox"),
            asyncio.create_task(self.sla_ticker.run(), name="sla"),
            asyncio.create_task(self.broadcast_worker.run(), name="broadcast"),
        ]
        if s.retention_days:
            retention = RetentionWorker(self.privacy, self.clock, s.retention_days)
            self._tasks.append(asyncio.create_task(retention.run(), name="retention"))
        if telegram is not None:
            self._start_telegram(app, telegram)
        self._tasks.append(
            asyncio.create_task(scan_frequent_questions(self.kb_loop, s.kb_faq_scan_seconds), name="kb-faq")
        )
        if self.kb.hybrid:
            self._tasks.append(asyncio.create_task(self._embed_articles(), name="kb-embed"))
        if self.schedule is not None:
            self._tasks.append(asyncio.create_task(self.schedule.run(), name="schedule"))
        if self.journey_worker is not None:
            self._tasks.append(asyncio.create_task(self.journey_worker.run(), name="journeys"))
        if s.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket = AsyncSocketModeHandler(bolt, s.slack_app_token)
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

    def _start_telegram(self, app: web.Application, bot: Bot) -> None:
        """Telegram's route and update source: long polling without a public URL, else the webhook."""
        s = self.settings
        updates = TelegramUpdates(
            bot, self.inbox.add, self.inbox_worker.wake, retry_base=s.outbox_retry_base_seconds
        )
        app.router.add_post("/telegram/webhook", updates.webhook(s.telegram_secret_token))
        if s.telegram_polling:
            source = updates.poll(s.telegram_poll_timeout_seconds)
        else:
            source = updates.register_webhook(s.telegram_webhook_url, s.telegram_secret_token)
        self._tasks.append(asyncio.create_task(source, name="telegram"))
        self._closers.insert(0, updates.close)

    async def _embed_articles(self) -> None:
        """Embed articles that lack a vector (first start with a key, or a key added later)."""
        try:
            count = await self.kb.embed_missing()
        except Exception as error:  # search works from words meanwhile; the next start tries again
            log.warning("could not embed knowledge-base articles: %s", error)
        else:
            log.info("embedded %d knowledge-base articles", count)

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            backlog = await self.inbox.backlog()
            outbox = await self.outbox.counts()
        except Exception as error:  # the database is the one dependency that makes us unhealthy
            return web.json_response({"status": "error", "detail": str(error)}, status=503)
        return web.json_response({"status": "ok", "inbox_backlog": backlog, "outbox": outbox})

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
