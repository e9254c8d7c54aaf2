"""The HTTP side: the platforms' webhooks, Slack's events, health, metrics and the customers' import."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from telegram import Bot

from bot.http_timeouts import body_deadline
from bot.metrics import Metrics
from bot.settings import Settings
from bot.workers.inbox import InboxWorker
from bot.workers.outbox import OutboxWorker
from bot.workers.sla import SlaTicker
from bot.workers.wake import Wake
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.customers.importer import CustomerImport
from handlers.http.customers_api import CustomersEndpoint
from handlers.slack.http import SlackEndpoint
from handlers.telegram.updates import TelegramUpdates
from handlers.whatsapp.webhook import WhatsAppWebhook
from storage.sqlite.database import Database
from storage.sqlite.queues import Inbox, Outbox
from storage.sqlite.read.metrics import MetricsQueries
from storage.sqlite.unit_of_work import SqliteStore


def build_http(
    s: Settings,
    db: Database,
    store: SqliteStore,
    clock: Clock,
    hours: BusinessHours,
    inbox: Inbox,
    outbox: Outbox,
    workers: tuple[InboxWorker, OutboxWorker, SlaTicker],
    bolt: AsyncApp,
    wake_outbox: Wake,
) -> web.Application:
    """Every route; webhooks store what they receive in the inbox and wake its worker."""
    inbox_worker, outbox_worker, sla_ticker = workers
    webhook = WhatsAppWebhook(s.whatsapp_app_secret, s.whatsapp_verify_token, inbox.add, inbox_worker.wake)
    metrics = Metrics(
        inbox, outbox, MetricsQueries(db), inbox_worker, outbox_worker, sla_ticker, db.statements
    )
    app = web.Application(
        client_max_size=s.max_body_bytes, middlewares=[body_deadline(s.http_read_timeout_seconds)]
    )
    app.router.add_get("/whatsapp/webhook", webhook.handshake)
    app.router.add_post("/whatsapp/webhook", webhook.deliver)
    app.router.add_post("/slack/events", SlackEndpoint(bolt, s.slack_signing_secret or None).handle)
    app.router.add_get("/healthz", healthz(inbox, outbox))
    app.router.add_get("/metrics", metrics.handle)
    if s.customers_api_token:
        importer = CustomerImport(store, clock, hours.zone, on_commit=wake_outbox)
        app.router.add_post("/customers", CustomersEndpoint(s.customers_api_token, importer).handle)
    return app


def healthz(inbox: Inbox, outbox: Outbox) -> Callable[[web.Request], Awaitable[web.Response]]:
    """``/healthz``: the queues' sizes, or 503 when the database does not answer."""

    async def handle(request: web.Request) -> web.Response:
        try:
            backlog = await inbox.backlog()
            counts = await outbox.counts()
        except Exception as error:  # the database is the one dependency that makes us unhealthy
            return web.json_response({"status": "error", "detail": str(error)}, status=503)
        return web.json_response({"status": "ok", "inbox_backlog": backlog, "outbox": counts})

    return handle


def add_telegram(
    s: Settings, app: web.Application, bot: Bot, inbox: Inbox, wake_inbox: Callable[[], None]
) -> tuple[Coroutine[Any, Any, None], Callable[[], Awaitable[None]]]:
    """Telegram's route and update source (long polling without a public URL, else the webhook),
    and what closes it."""
    updates = TelegramUpdates(bot, inbox.add, wake_inbox, retry_base=s.outbox_retry_base_seconds)
    app.router.add_post("/telegram/webhook", updates.webhook(s.telegram_secret_token))
    if s.telegram_polling:
        source = updates.poll(s.telegram_poll_timeout_seconds)
    else:
        source = updates.register_webhook(s.telegram_webhook_url, s.telegram_secret_token)
    return source, updates.close
