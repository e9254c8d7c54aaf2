"""The running bot between a fake WhatsApp Graph API and a fake Slack Web API, driven over HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.bootstrap.app import Atende
from bot.demo.app import Demo
from bot.settings import Settings
from core.common.clock import Clock
from storage.sqlite.database import Database
from testing.signing import sign_slack, sign_whatsapp
from testing.slack.api import FakeSlackAPI
from testing.slack_payloads import slack_command
from testing.telegram_bot_api import FakeTelegramAPI
from testing.whatsapp_graph import FakeGraphAPI

WA_TOKEN = "wa-test-token"
WA_SECRET = "wa-app-secret"
WA_VERIFY = "verify-me"
PHONE_ID = "PHONE_ID"
SLACK_TOKEN = "xoxb-test"
SLACK_SECRET = "slack-signing-secret"
CHANNEL = "CSUPPORT"
SHARED = Path(os.environ.get("ATENDE_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
"""The project workspace's shared folder next to the repository (recorded third-party payloads)."""
needs_shared = pytest.mark.skipif(
    not (SHARED / "fixtures").is_dir(),
    reason=f"needs recorded payloads in {SHARED / 'fixtures'} (the workspace's shared folder, not in a clone)",
)
"""Marks a test that replays recorded payloads: skipped, with the reason shown, where they are absent."""


def make_settings(db_path: Path, graph_url: str, slack_url: str, **overrides: Any) -> Settings:
    """Settings for a bot wired to the fakes, ignoring any .env on the machine."""
    values: dict[str, Any] = dict(
        atende_host="127.0.0.1",
        atende_port=0,
        database_path=str(db_path),
        whatsapp_phone_id=PHONE_ID,
        whatsapp_token=WA_TOKEN,
        whatsapp_app_secret=WA_SECRET,
        whatsapp_verify_token=WA_VERIFY,
        whatsapp_api_url=graph_url,
        slack_bot_token=SLACK_TOKEN,
        slack_signing_secret=SLACK_SECRET,
        slack_support_channel=CHANNEL,
        slack_api_url=slack_url + "/api/",
        outbox_retry_base_seconds=0.05,
        ai_enabled=False,  # the AI core's tests turn it on; others see only what people do
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class Desk:
    """A started bot plus helpers to talk to it the way WhatsApp and Slack do."""

    def __init__(
        self, bot: Atende, graph: FakeGraphAPI, slack: FakeSlackAPI, http: aiohttp.ClientSession
    ) -> None:
        self.bot = bot
        self.graph = graph
        self.slack = slack
        self.http = http

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.bot.port}"

    async def whatsapp(
        self, body: dict | bytes, headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        """POST a webhook, signed with the app secret unless ``headers`` are given."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with self.http.post(
            f"{self.url}/whatsapp/webhook",
            data=raw,
            headers=headers if headers is not None else sign_whatsapp(raw, WA_SECRET),
        ) as response:
            await response.read()
            return response

    async def slack_event(
        self,
        raw: bytes,
        content_type: str = "application/json",
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        """POST to /slack/events signed with the signing secret (now, unless ``timestamp``)."""
        response, _ = await self._post_slack(raw, content_type, timestamp, headers)
        return response

    async def _post_slack(
        self, raw: bytes, content_type: str, timestamp: int | None, headers: dict[str, str] | None
    ) -> tuple[aiohttp.ClientResponse, bytes]:
        signed = (
            headers
            if headers is not None
            else sign_slack(raw, SLACK_SECRET, timestamp or int(time.time()), content_type=content_type)
        )
        async with self.http.post(f"{self.url}/slack/events", data=raw, headers=signed) as response:
            return response, await response.read()

    async def slack_form(self, body: bytes) -> dict:
        """POST a signed interactivity payload (a button, a modal's submission); Slack's JSON answer ({} if empty)."""
        response, raw = await self._post_slack(body, "application/x-www-form-urlencoded", None, None)
        assert response.status == 200, raw
        return json.loads(raw) if raw else {}

    async def command(self, text: str, *, user: str = "UAGENT", channel: str = CHANNEL) -> dict:
        """Type ``/suporte TEXT`` in Slack as ``user``; returns the immediate (ephemeral) answer.

        A slow answer arrives later at the command's response_url: ``slack.responses``.
        """
        raw = slack_command(text, user_id=user, channel=channel, response_url=self.slack.response_url())
        signed = sign_slack(
            raw, SLACK_SECRET, int(time.time()), content_type="application/x-www-form-urlencoded"
        )
        async with self.http.post(f"{self.url}/slack/events", data=raw, headers=signed) as response:
            assert response.status == 200, await response.text()
            return await response.json() if await response.read() else {}

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every stored webhook is processed and every outbox row is finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            backlog = await self.bot.inbox.backlog()
            pending = (await self.bot.outbox.counts()).get("pending", 0)
            if backlog == 0 and pending == 0:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"not settled: inbox {await self.bot.inbox.backlog()}, outbox {await self.bot.outbox.counts()}"
        )

    def parents(self) -> list[dict]:
        """Top-level messages in the support channel (one per ticket)."""
        return self.slack.channel_messages(CHANNEL)

    def thread_of(self, parent: dict) -> list[dict]:
        """Replies in a ticket's thread, in order."""
        return self.slack.thread(CHANNEL, parent["ts"])

    async def rows(self, sql: str, *params: Any) -> list[tuple]:
        """Read the bot's database directly (for durability assertions)."""
        async with self.bot.db.locked() as conn, conn.execute(sql, params) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """An opened, migrated SQLite database in the test's folder (a module may define its own ``db``)."""
    database = Database(str(tmp_path / "atende.db"))
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI(token=WA_TOKEN, phone_id=PHONE_ID) as fake:
        yield fake


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI(token=SLACK_TOKEN) as fake:
        yield fake


StartDesk = Callable[..., Awaitable[Desk]]


@pytest.fixture
async def start_desk(tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI) -> AsyncIterator[StartDesk]:
    """Start a bot with some settings changed (``outbox_max_attempts=2``...) and optionally a
    :class:`FixedClock`; stopped at teardown."""
    started: list[Atende] = []
    async with aiohttp.ClientSession() as http:

        async def start(clock: Clock | None = None, **overrides: Any) -> Desk:
            bot = Atende(make_settings(tmp_path / "atende.db", graph.url, slack.url, **overrides), clock)
            await bot.start()
            started.append(bot)
            return Desk(bot, graph, slack, http)

        yield start
        for bot in started:
            await bot.stop()


@pytest.fixture
async def desk(start_desk: StartDesk) -> Desk:
    """The bot with default settings."""
    return await start_desk()


# ---------------------------------------------------------------- Telegram

TG_TOKEN = "7000000001:AAtest-telegram-token"
TG_SECRET = "tg-secret_token-123"
TG_WEBHOOK_URL = "https://atende.example.com/telegram/webhook"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TG_TOKEN) as fake:
        yield fake


def telegram_settings(fake: FakeTelegramAPI, *, polling: bool = False) -> dict[str, Any]:
    """Settings overrides that turn the Telegram channel on against ``fake`` (webhook mode unless ``polling``)."""
    values: dict[str, Any] = dict(
        telegram_bot_token=TG_TOKEN, telegram_api_url=fake.url, telegram_poll_timeout_seconds=1
    )
    if not polling:
        values.update(telegram_secret_token=TG_SECRET, telegram_webhook_url=TG_WEBHOOK_URL)
    return values


@pytest.fixture
async def tdesk(start_desk: StartDesk, telegram: FakeTelegramAPI) -> Desk:
    """The bot with Telegram in webhook mode (registered at start)."""
    desk = await start_desk(**telegram_settings(telegram))
    await telegram.wait_for(lambda fake: fake.webhook)
    return desk


async def post_telegram(
    desk: Desk, update: dict | bytes, secret: str | None = TG_SECRET
) -> aiohttp.ClientResponse:
    """POST an update to /telegram/webhook the way Telegram does (with the secret header unless None)."""
    raw = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with desk.http.post(f"{desk.url}/telegram/webhook", data=raw, headers=headers) as response:
        await response.read()
        return response


@pytest.fixture
async def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Demo]:
    """``atende demo`` running: emulators, the bot and the page (``demo.url``)."""
    # these tests script what people do; the AI's answers would depend on the day they run
    monkeypatch.setenv("AI_ENABLED", "false")
    running = Demo(port=0, database_path=str(tmp_path / "demo.db"))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """A buffer for the shipped logging (the test calls ``bot.logs.configure`` with it); the root
    logger's handlers (pytest's own too), its level and the quieted loggers are restored afterwards."""
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)
