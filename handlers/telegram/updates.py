"""Telegram updates into the inbox: the webhook route, the long-polling loop, webhook registration.

Both ways end in :meth:`TelegramUpdates.store`: every update is committed to the inbox (once
per ``update_id``) before Telegram hears back (the 200 of a webhook, the next ``offset`` of
a poll), so a crash loses nothing and a re-delivery stores nothing twice. Processing happens
afterwards from the inbox, as for WhatsApp.

python-telegram-bot's ``Application``/``Updater`` is not used: the Updater confirms a batch
(asks for the next offset) before the application's handlers run, so a crash in between
would lose updates Telegram no longer holds; and its webhook mode runs a second web server.
The library's ``Bot`` does every call.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, InvalidToken, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from core.common.inbox import InboxItem
from core.common.retry import backoff
from handlers.http.webhook_body import parse
from handlers.telegram import parse as telegram_parse
from handlers.telegram.channel import retry_seconds

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLOSE_SECONDS = 5.0

StoreItems = Callable[[list[InboxItem], float], Awaitable[None]]


class TelegramUpdates:
    """Receives updates (pushed to ``/telegram/webhook`` or polled) and stores them durably."""

    def __init__(
        self, bot: Bot, store_items: StoreItems, on_stored: Callable[[], None], *, retry_base: float = 1.0
    ) -> None:
        self._bot = bot
        self._store_items = store_items
        self._on_stored = on_stored
        self._retry_base = retry_base
        self._acks: set[asyncio.Task[None]] = set()

    async def store(self, items: list[InboxItem]) -> None:
        """Commit updates to the inbox, then stop the spinner on any button the customer tapped."""
        await self._store_items(items, time.time())
        self._on_stored()
        for item in items:
            query = item.payload.get("callback_query")
            if isinstance(query, dict) and isinstance(query.get("id"), str):
                task = asyncio.create_task(self._answer(query["id"]))
                self._acks.add(task)
                task.add_done_callback(self._acks.discard)

    async def _answer(self, query_id: str) -> None:
        """Best effort: an unanswered tap only keeps a spinner a little longer on the customer's phone."""
        try:
            await self._bot.answer_callback_query(query_id)
        except TelegramError as error:
            log.info("Telegram callback %s not answered: %s", query_id, error)

    # ------------------------------------------------------------------ webhook mode

    def webhook(self, secret_token: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        """The aiohttp handler of ``POST /telegram/webhook``, accepting only Telegram's secret token."""
        expected = secret_token.encode()

        async def deliver(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
            if not expected or not hmac.compare_digest(given, expected):
                log.warning("rejected a Telegram webhook without the secret token")
                return web.Response(status=403, text="wrong or missing X-Telegram-Bot-Api-Secret-Token")
            body = await request.read()  # larger than the server's client_max_size -> 413
            await self.store([parse(body, telegram_parse.item, "Telegram update")])
            return web.Response(text="ok")

        return deliver

    async def register_webhook(self, url: str, secret_token: str) -> None:
        """Tell Telegram where to push updates, with the secret it must send back; retried until it works."""
        await self._connect()
        await self._until_done(
            "setWebhook",
            lambda: self._bot.set_webhook(
                url, secret_token=secret_token, allowed_updates=telegram_parse.ALLOWED_UPDATES
            ),
        )
        log.info("Telegram webhook registered at %s", url)

    # ------------------------------------------------------------------ polling mode

    async def poll(self, timeout: int) -> None:
        """Long-poll getUpdates forever (cancel to stop); an update is confirmed only once stored."""
        await self._connect()
        await self._until_done("deleteWebhook", self._bot.delete_webhook)  # a webhook forbids getUpdates
        offset: int | None = None
        failures = 0
        while True:
            try:
                items = await self._get_updates(offset, timeout)
                if items:
                    await self.store(items)
                    # the next call confirms the batch to Telegram
                    offset = max(int(item.payload["update_id"]) for item in items) + 1
                failures = 0
            except Exception as error:  # Telegram or the database unavailable: wait, ask again
                failures += 1
                await self._pause("getUpdates", error, failures)

    async def _get_updates(self, offset: int | None, timeout: int) -> list[InboxItem]:
        """The next updates as Telegram's raw JSON, like a webhook body.

        ``Bot.get_updates`` would parse them first, and one update this version of the library
        cannot read would then fail every poll and stop the channel; raw, it is stored and
        shown as unreadable like any other odd update.
        """
        params = {"offset": offset, "timeout": timeout, "allowed_updates": telegram_parse.ALLOWED_UPDATES}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBUserWarning)  # "use Bot.get_updates": see above
            raw = await self._bot.do_api_request("getUpdates", api_kwargs=params)
        items = []
        for update in raw if isinstance(raw, list) else []:
            try:
                items.append(telegram_parse.item(update))
            except telegram_parse.MalformedUpdate:
                log.warning("Telegram sent an update without an update_id; skipped")
        return items

    async def _connect(self) -> None:
        """Check the token (getMe) and open the bot's HTTP clients."""
        await self._until_done("getMe", self._bot.initialize)
        log.info("Telegram bot @%s connected", self._bot.username)

    async def _until_done(self, what: str, action: Callable[[], Awaitable[Any]]) -> None:
        failures = 0
        while True:
            try:
                await action()
                return
            except TelegramError as error:
                failures += 1
                await self._pause(what, error, failures)

    async def _pause(self, what: str, error: Exception, failures: int) -> None:
        """Wait before trying again: Telegram's ``retry_after`` when given, else growing backoff."""
        if isinstance(error, (InvalidToken, BadRequest)):
            log.error("Telegram %s refused (check TELEGRAM_* settings): %s", what, error)
        else:
            log.warning("Telegram %s failed (attempt %d): %s", what, failures, error)
        delay = backoff(failures, self._retry_base)
        if isinstance(error, RetryAfter):
            delay = retry_seconds(error)
        await asyncio.sleep(delay)

    async def close(self) -> None:
        """Cancel callback answers still in flight and close the bot's HTTP clients.

        Bounded: a client whose long poll was just cancelled must not hold up the shutdown.
        """
        for task in list(self._acks):
            task.cancel()
        with suppress(TimeoutError):
            await asyncio.wait_for(self._bot.shutdown(), CLOSE_SECONDS)
