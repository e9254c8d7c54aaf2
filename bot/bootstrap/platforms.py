"""The platforms' clients from settings: Slack's Web API, WhatsApp's Graph API, Telegram's Bot API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from pywa_async import WhatsApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from telegram import Bot

from bot.settings import Settings
from core.customers.model import Channel
from core.delivery.ports import CustomerChannel
from handlers.slack.client import SafeWebClient
from handlers.telegram.channel import TelegramChannel, make_bot
from handlers.whatsapp.channel import WhatsAppChannel, make_session

Closer = Callable[[], Awaitable[object]]


@dataclass(slots=True)
class Platforms:
    """The clients the features talk through, and what closes them at stop (in that order)."""

    http: aiohttp.ClientSession
    """Slack's session, also used to fetch files from Slack."""
    slack: SafeWebClient
    whatsapp: WhatsApp
    telegram: Bot | None
    """None when TELEGRAM_BOT_TOKEN is not set."""
    channels: dict[Channel, CustomerChannel]
    """The customer channels that are on."""
    closers: list[Closer]


def connect(s: Settings) -> Platforms:
    """Make the clients (no request is sent yet)."""
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
    return Platforms(http, slack, whatsapp, telegram, channels, [http.close, wa_session.aclose])
