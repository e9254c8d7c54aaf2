"""The baseline for the intake benchmark: the least a WhatsApp-to-Slack relay can do.

``POST /whatsapp/webhook``: read the body, verify X-Hub-Signature-256 (HMAC-SHA256 with the
app secret, as atende does: fair, and cheap), parse the JSON, answer 200, and *then* post each
message's text to Slack ``chat.postMessage`` (channel, text, username = the contact's name) in a
fire-and-forget task over one aiohttp session. No storage, no tickets, no threads, no retries.
Acknowledging before posting is what atende does too (it acks once the webhook is stored), so
both are measured on the same "ack, then deliver" shape.

Settings from the environment: ``BARE_HOST``, ``BARE_PORT``, ``WHATSAPP_APP_SECRET``,
``SLACK_API_URL`` (ending in ``/api/``), ``SLACK_BOT_TOKEN``, ``SLACK_SUPPORT_CHANNEL``,
``BARE_SLACK_CONNECTIONS`` (connection limit to Slack, default 100).
Run as ``python -m bench.bare_relay``; ``GET /healthz`` answers 200 once it listens.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import signal
import sys
from typing import Any

import aiohttp
from aiohttp import web

log = logging.getLogger("bare_relay")


class Relay:
    def __init__(self, secret: str, slack_url: str, token: str, channel: str, connections: int) -> None:
        self.secret = secret.encode()
        self.post_url = slack_url.rstrip("/") + "/chat.postMessage"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.channel = channel
        self.connections = connections
        self.session: aiohttp.ClientSession | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.failed = 0

    async def start(self, app: web.Application) -> None:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.connections),
            timeout=aiohttp.ClientTimeout(total=15),
        )

    async def stop(self, app: web.Application) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.session is not None:
            await self.session.close()

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.read()
        signature = request.headers.get("X-Hub-Signature-256", "")
        expected = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return web.Response(status=403, text="bad signature")
        try:
            data = json.loads(body)
        except ValueError:
            return web.Response(status=400, text="bad json")
        for entry in data.get("entry", []):
            for change in entry.get("changes", []):
                value = change.get("value", {})
                names = {
                    c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts", [])
                }
                for message in value.get("messages", []):
                    text = (message.get("text") or {}).get("body")
                    if text:
                        task = asyncio.create_task(self.post(text, names.get(message.get("from"))))
                        self.tasks.add(task)
                        task.add_done_callback(self.tasks.discard)
        return web.Response(text="ok")

    async def post(self, text: str, name: str | None) -> None:
        assert self.session is not None
        payload: dict[str, Any] = {"channel": self.channel, "text": text}
        if name:
            payload["username"] = name
        try:
            async with self.session.post(self.post_url, json=payload, headers=self.headers) as response:
                await response.read()
                if response.status != 200:
                    self.failed += 1
        except (TimeoutError, aiohttp.ClientError):
            self.failed += 1

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "in_flight": len(self.tasks), "failed": self.failed})


async def _serve() -> None:
    env = os.environ
    relay = Relay(
        env["WHATSAPP_APP_SECRET"],
        env["SLACK_API_URL"],
        env["SLACK_BOT_TOKEN"],
        env["SLACK_SUPPORT_CHANNEL"],
        int(env.get("BARE_SLACK_CONNECTIONS", "100")),
    )
    app = web.Application()
    app.on_startup.append(relay.start)
    app.on_cleanup.append(relay.stop)
    app.router.add_post("/whatsapp/webhook", relay.webhook)
    app.router.add_get("/healthz", relay.healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, env.get("BARE_HOST", "127.0.0.1"), int(env["BARE_PORT"])).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
