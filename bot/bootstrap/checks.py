"""What ``atende run`` asks each platform at start: is the token right, the number ours, the bot in
its channel? A wrong setting stops the process with one line an operator can act on.

The checks run beside the desk, never before it: a platform that is down (connection refused,
timeouts, 5xx) must not keep the webhook server, the workers or the outbox waiting, least of
all after a crash, when the outbox has sends to finish. So an unreachable platform is a
warning, asked again with backoff, and only a definite answer ("this token is not valid")
stops the process. A channel given by name is known wrong without asking anyone: Slack's
events carry channel ids, so a name would never match one, and it is refused before anything
starts.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from pywa.errors import WhatsAppError
from pywa_async import WhatsApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from telegram import Bot
from telegram.error import InvalidToken

from bot.settings import Settings
from core.common.retry import backoff

__all__ = ["Misconfigured", "channel_name", "first_problem"]

log = logging.getLogger(__name__)

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]+$")
"""A Slack channel id: ``C…`` (``G…`` for private channels made before 2021). Names are lowercase."""

CHANNEL_SETTINGS = (
    "slack_support_channel",
    "slack_kb_review_channel",
    "slack_tier2_channel",
    "slack_tier3_channel",
    "slack_reports_channel",
    "slack_qa_channel",
    "slack_broadcast_channel",
)
"""Every setting naming a channel the bot posts in; empty ones are off."""

SLACK_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)
GRAPH_BAD_TOKEN = 190
GRAPH_NO_SUCH_OBJECT = frozenset({100, 803})
GRAPH_NO_PERMISSION = frozenset({10, 200})
RETRY_CAP_SECONDS = 60.0

Check = Callable[[], Awaitable[None]]
"""Asks one platform; raises :class:`Misconfigured` for a wrong setting, anything else when unreachable."""


class Misconfigured(Exception):
    """A platform answered that a setting is wrong; ``str()`` is the line shown to the operator."""


def channel_name(settings: Settings) -> str | None:
    """The line for the first channel setting holding a name (``#suporte``) instead of an id."""
    for setting, channel in _channels(settings).items():
        if not CHANNEL_ID.match(channel):
            return (
                f"{setting} is {channel!r}, a channel name; it needs the channel's id: in Slack open"
                " the channel, click its name and copy the Channel ID at the bottom (C0123ABCD)"
            )
    return None


async def first_problem(
    settings: Settings, slack: AsyncWebClient, whatsapp: WhatsApp, telegram: Bot | None
) -> str | None:
    """Check every configured platform at once; the first wrong setting's line, or None when all
    are right. A platform that does not answer is asked again until it does (cancel to stop)."""
    checks: dict[str, Check] = {
        "Slack": lambda: _check_slack(slack, _channels(settings)),
        "WhatsApp": lambda: _check_whatsapp(whatsapp),
    }
    if telegram is not None:
        checks["Telegram"] = lambda: _check_telegram(telegram)
    base = settings.outbox_retry_base_seconds
    tasks = [asyncio.create_task(_until_answered(name, check, base)) for name, check in checks.items()]
    try:
        for answered in asyncio.as_completed(tasks):
            problem = await answered
            if problem is not None:
                return problem
        return None
    finally:
        for task in tasks:
            task.cancel()


async def _until_answered(platform: str, check: Check, retry_base: float) -> str | None:
    """Run ``check`` until the platform answers: its problem line, or None when all is right."""
    failures = 0
    while True:
        try:
            await check()
        except Misconfigured as problem:
            return str(problem)
        except Exception as error:  # unreachable, timed out, 5xx: not an answer about our settings
            failures += 1
            delay = backoff(failures, retry_base, cap=RETRY_CAP_SECONDS)
            log.warning(
                "%s did not answer the start-up check (%s); the desk runs meanwhile, asking again in %.0f s",
                platform,
                str(error) or type(error).__name__,
                delay,
            )
            await asyncio.sleep(delay)
        else:
            if failures:
                log.info("%s answered the start-up check: its settings are right", platform)
            return None


def _channels(settings: Settings) -> dict[str, str]:
    """Configured channel settings, by the name an operator types (``SLACK_SUPPORT_CHANNEL``)."""
    values = {name.upper(): getattr(settings, name) for name in CHANNEL_SETTINGS}
    return {name: value for name, value in values.items() if value}


async def _check_slack(client: AsyncWebClient, channels: dict[str, str]) -> None:
    """``auth.test`` for the token, then ``conversations.info`` for each channel the bot posts in."""
    try:
        auth = await client.auth_test()
    except SlackApiError as error:
        _raise_for_token(error)
        raise
    bot = auth.get("user") or "atende"
    for setting, channel in channels.items():
        try:
            info = await client.conversations_info(channel=channel)
        except SlackApiError as error:
            _raise_for_token(error)
            code = error.response.get("error")
            if code == "channel_not_found":
                raise Misconfigured(
                    f"{setting} {channel}: Slack knows no channel with this id that the bot can see;"
                    f" check the id, and in a private channel type /invite @{bot}"
                ) from None
            if code == "missing_scope":
                raise Misconfigured(
                    "the Slack app lacks the scopes channels:read and groups:read: add them"
                    " (see slack-app-manifest.yml) and reinstall the app to the workspace"
                ) from None
            raise
        if not info["channel"].get("is_member"):
            name = info["channel"].get("name") or channel
            raise Misconfigured(
                f"the bot is not in {setting} (#{name}, {channel}): type /invite @{bot} in that channel"
            )


def _raise_for_token(error: SlackApiError) -> None:
    code = error.response.get("error")
    if code in SLACK_TOKEN_ERRORS:
        raise Misconfigured(
            f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token (xoxb-…)"
            " from your app's OAuth & Permissions page"
        ) from None


async def _check_whatsapp(whatsapp: WhatsApp) -> None:
    """``GET /{phone_number_id}`` with the access token."""
    try:
        await whatsapp.get_business_phone_number()
    except WhatsAppError as error:
        if error.code == GRAPH_BAD_TOKEN:
            raise Misconfigured(
                "WhatsApp refused WHATSAPP_TOKEN (code 190): create a new access token"
                " (Meta app dashboard, WhatsApp > API Setup, or a system user's permanent token)"
            ) from None
        if error.code in GRAPH_NO_SUCH_OBJECT:
            raise Misconfigured(
                f"WhatsApp knows no phone number {whatsapp.phone_id} for this token"
                f" (code {error.code}): copy the Phone number ID (not the phone number) from"
                " WhatsApp > API Setup into WHATSAPP_PHONE_ID"
            ) from None
        if error.code in GRAPH_NO_PERMISSION:
            raise Misconfigured(
                f"WHATSAPP_TOKEN may not use phone number {whatsapp.phone_id} (code {error.code}):"
                " give the token whatsapp_business_messaging and whatsapp_business_management"
            ) from None
        raise


async def _check_telegram(bot: Bot) -> None:
    """``getMe`` with the bot token (Telegram answers 401 to a wrong one)."""
    try:
        await bot.get_me()
    except InvalidToken:
        raise Misconfigured(
            "Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token @BotFather gave"
            " the bot (/mybots > API Token)"
        ) from None
