"""A bot killed with SIGKILL loses nothing: after a restart every waiting effect is delivered once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from testing.signing import sign_whatsapp, to_bytes
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, PHONE_ID, SLACK_SECRET, SLACK_TOKEN, WA_SECRET, WA_TOKEN, WA_VERIFY

ROOT = Path(__file__).resolve().parents[1]
BIA = "5541990001111"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    """``atende run`` as a real child process, so it can be killed without any cleanup."""

    def __init__(self, db: Path, graph: FakeGraphAPI, slack: FakeSlackAPI) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "ATENDE_HOST": "127.0.0.1",
            "ATENDE_PORT": str(self.port),
            "DATABASE_PATH": str(db),
            "WHATSAPP_PHONE_ID": PHONE_ID,
            "WHATSAPP_TOKEN": WA_TOKEN,
            "WHATSAPP_APP_SECRET": WA_SECRET,
            "WHATSAPP_VERIFY_TOKEN": WA_VERIFY,
            "WHATSAPP_API_URL": graph.url,
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_SUPPORT_CHANNEL": CHANNEL,
            "SLACK_API_URL": slack.url + "/api/",
            "OUTBOX_MAX_ATTEMPTS": "1000",
            "OUTBOX_RETRY_BASE_SECONDS": "0.05",
            "LOG_LEVEL": "WARNING",
            "AI_ENABLED": "false",
        }
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=self.env)
        # a cold machine (fresh clone in CI) can take many seconds to import the SDKs
        deadline = time.monotonic() + 90
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise AssertionError(f"bot did not start (exit code {self.proc.poll()})")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def processes() -> Iterator[list[BotProcess]]:
    started: list[BotProcess] = []
    yield started
    for process in started:
        process.stop()


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_outbox_rows_waiting_at_sigkill_are_delivered_once_after_restart(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI, processes: list[BotProcess]
) -> None:
    db = tmp_path / "atende.db"
    slack.fail("chat.postMessage", status=503, times=None)  # Slack is down: everything waits
    first = BotProcess(db, graph, slack)
    processes.append(first)
    await first.start()
    async with aiohttp.ClientSession() as http:
        for n in range(3):
            raw = to_bytes(wa_text_message(BIA, "Bia", f"antes do crash {n}"))
            async with http.post(
                f"http://127.0.0.1:{first.port}/whatsapp/webhook",
                data=raw,
                headers=sign_whatsapp(raw, WA_SECRET),
            ) as response:
                assert response.status == 200
    await wait_until(lambda: query(db, "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL") == [(0,)])
    await wait_until(lambda: len(slack.calls_to("chat.postMessage")) >= 3)
    first.kill()
    assert query(db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")[0][0] == 4  # parent + 3 replies

    slack.clear_faults()
    second = BotProcess(db, graph, slack)
    processes.append(second)
    await second.start()
    await wait_until(
        lambda: (
            len(slack.channel_messages(CHANNEL)) == 1
            and len(slack.thread(CHANNEL, slack.channel_messages(CHANNEL)[0]["ts"])) == 3
        )
    )
    await asyncio.sleep(0.3)  # give a duplicate the chance to show up
    [parent] = slack.channel_messages(CHANNEL)
    assert [m["text"] for m in slack.thread(CHANNEL, parent["ts"])] == [
        f"antes do crash {n}" for n in range(3)
    ]
    assert query(db, "SELECT COUNT(*) FROM outbox WHERE state != 'done'") == [(0,)]


async def test_webhooks_stored_but_not_processed_before_a_crash_are_processed_at_start(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI, processes: list[BotProcess]
) -> None:
    # What a crash right after the 200 leaves behind: inbox rows with no processed_at.
    from handlers.whatsapp.parse import split
    from storage.sqlite.database import Database
    from storage.sqlite.queues import Inbox

    db = tmp_path / "atende.db"
    database = Database(str(db))
    await database.open()
    await Inbox(database).add(split(wa_text_message(BIA, "Bia", "ficou na caixa de entrada")), time.time())
    await database.close()

    bot = BotProcess(db, graph, slack)
    processes.append(bot)
    await bot.start()
    await wait_until(
        lambda: (
            len(slack.channel_messages(CHANNEL)) == 1
            and len(slack.thread(CHANNEL, slack.channel_messages(CHANNEL)[0]["ts"])) == 1
        )
    )
    [parent] = slack.channel_messages(CHANNEL)
    assert slack.thread(CHANNEL, parent["ts"])[0]["text"] == "ficou na caixa de entrada"
