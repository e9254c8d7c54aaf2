"""``atende demo``: the real bot between local emulators of WhatsApp and Slack, shown in a browser.

The emulators are the same fakes the tests use (``testing``): the bot talks to them
through its ordinary ``*_URL`` settings and receives signed webhooks from them, so it cannot
tell them from the real platforms. What a real platform does on its own is done here too:
WhatsApp reports each message sent, delivered and read; Slack sends an event when someone
writes, clicks, submits a modal or opens the App Home. The page (``bot/demo_page``) drives
it all through :mod:`bot.demo.api`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import webbrowser
from contextlib import suppress
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.bootstrap.app import Atende
from bot.demo.api import DemoAPI
from bot.demo.people import PEOPLE
from bot.settings import Settings
from testing import FakeGraphAPI, FakeSlackAPI
from testing.slack.base import BOT_USER_ID

log = logging.getLogger(__name__)

SUPPORT_CHANNEL = "C0SUPORTE"
PHONE_ID = "100000000000001"


class Demo:
    """Emulators, the bot and the page, started and stopped together."""

    people = PEOPLE
    support_channel = SUPPORT_CHANNEL
    phone_id = PHONE_ID

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8080, database_path: str) -> None:
        self.host = host
        self.port = port
        self.database_path = database_path
        # fresh secrets each run: the emulators sign what they send, the bot checks it
        self.wa_secret = secrets.token_hex(16)
        self.slack_secret = secrets.token_hex(16)
        self.wa_token = "demo-" + secrets.token_hex(8)
        self.slack_token = "xoxb-demo-" + secrets.token_hex(8)
        self.customers_token = secrets.token_hex(16)  # the page plays the platform pushing records
        # the database is kept between runs: ids the emulators hand out must not repeat the last run's
        self.graph = FakeGraphAPI(token=self.wa_token, run_id=secrets.token_hex(4).upper(), phone_id=PHONE_ID)
        self.slack = FakeSlackAPI(token=self.slack_token, ts_origin=time.time())
        self.bot: Atende | None = None
        self.api: DemoAPI | None = None
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.url = ""

    def settings(self) -> Settings:
        """The bot's settings: platform URLs point at the emulators; AI keys come from the environment."""
        values: dict[str, Any] = dict(
            atende_host="127.0.0.1",
            atende_port=0,
            database_path=self.database_path,
            whatsapp_phone_id=PHONE_ID,
            whatsapp_token=self.wa_token,
            whatsapp_app_secret=self.wa_secret,
            whatsapp_verify_token="demo",
            whatsapp_api_url=self.graph.url,
            slack_bot_token=self.slack_token,
            slack_signing_secret=self.slack_secret,
            slack_app_token="",
            slack_support_channel=SUPPORT_CHANNEL,
            slack_api_url=self.slack.url + "/api/",
            slack_supervisors=",".join(p.id for p in PEOPLE if p.role == "supervisora"),
            slack_agents="",
            slack_supervisor_group="",
            slack_agent_group="",
            telegram_bot_token="",  # the demo emulates WhatsApp only
            outbox_retry_base_seconds=0.2,
            customers_api_token=self.customers_token,
        )
        return Settings(**values)

    async def start(self) -> None:
        """Start the emulators, the bot wired to them, and the page."""
        await self.graph.start()
        await self.slack.start()
        self.slack.add_user(BOT_USER_ID, "atende", is_bot=True)
        for person in PEOPLE:
            self.slack.add_user(person.id, person.name)
        Path(self.database_path).parent.mkdir(parents=True, exist_ok=True)
        self.bot = Atende(self.settings())
        await self.bot.start()
        self._http = aiohttp.ClientSession()
        self.api = DemoAPI(self, self._http)
        await self.api.start()
        self._runner = web.AppRunner(self.api.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        addresses = self._runner.addresses
        self.port = addresses[0][1] if addresses else self.port
        self.url = f"http://{self.host}:{self.port}/"

    @property
    def bot_url(self) -> str:
        """Where the bot's own HTTP server listens (webhooks go there)."""
        assert self.bot is not None
        return f"http://127.0.0.1:{self.bot.port}"

    async def stop(self) -> None:
        """Stop the page, the bot and the emulators."""
        if self.api is not None:
            await self.api.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        if self.bot is not None:
            await self.bot.stop()
        if self._http is not None:
            await self._http.close()
        await self.slack.stop()
        await self.graph.stop()


async def serve(port: int, database_path: str, open_browser: bool, scenario: str | None) -> None:
    """Run the demo until interrupted; optionally play a scenario once it is up."""
    demo = Demo(port=port, database_path=database_path)
    await demo.start()
    print(f"atende demo: abra {demo.url}  (Ctrl+C para sair)", flush=True)
    if open_browser:
        with suppress(Exception):
            webbrowser.open(demo.url)
    try:
        if scenario:
            from bot.demo.scenarios import play

            assert demo.api is not None
            await play(demo.api, scenario)
        await asyncio.Event().wait()
    finally:
        await demo.stop()
