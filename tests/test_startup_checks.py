"""What an operator sees when ``atende run`` starts with a wrong token, number or channel: one line
saying what to fix, exit code 2, nothing posted. A platform that is down only delays its check.

One test runs the real command as a child process; the others run the function it serves with
(``bot.cli._serve``) in this process, which is the same code without the seconds of imports.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.bootstrap.app import Atende
from bot.cli import command as cli
from bot.logs import configure
from testing.signing import sign_whatsapp, to_bytes
from testing.slack.api import FakeSlackAPI
from testing.telegram_bot_api import FakeTelegramAPI
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, SLACK_TOKEN, WA_SECRET, make_settings, telegram_settings
from tests.test_crash_recovery import ROOT, BotProcess, free_port

Serve = Callable[..., Awaitable[tuple["asyncio.Task[int]", Atende]]]


@pytest.fixture
async def serve(tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI) -> AsyncIterator[Serve]:
    """Run what ``atende run`` runs, wired to the fakes with some settings changed."""
    tasks: list[asyncio.Task[int]] = []

    async def start(slack_url: str | None = None, **overrides: Any) -> tuple[asyncio.Task[int], Atende]:
        settings = make_settings(tmp_path / "atende.db", graph.url, slack_url or slack.url, **overrides)
        bot = Atende(settings)
        tasks.append(asyncio.create_task(cli._serve(bot)))
        return tasks[-1], bot

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def refused(serve: Serve, capsys: pytest.CaptureFixture[str], **overrides: Any) -> str:
    """Start with ``overrides``; the one line printed for the operator, once the start stopped with 2."""
    task, _ = await serve(**overrides)
    assert await asyncio.wait_for(task, 30) == 2
    [line] = capsys.readouterr().err.splitlines()
    return line


async def listening(bot: Atende, task: asyncio.Task[int]) -> None:
    while bot.port is None:
        assert not task.done(), task
        await asyncio.sleep(0.02)


async def test_placeholder_slack_token_stops_atende_run_with_one_line_and_no_traceback(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI
) -> None:
    env = {**BotProcess(tmp_path / "atende.db", graph, slack).env, "SLACK_BOT_TOKEN": "xoxb-placeholder"}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode == 2
    # the one line, and nothing else: no traceback, no library warning to chase
    [line] = stderr.decode().strip().splitlines()
    assert line.startswith(
        "atende: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token"
    )
    assert slack.messages == {}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            {"slack_bot_token": "xoxb-placeholder"},
            "atende: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token",
        ),
        (
            {"slack_support_channel": "#suporte"},
            "atende: SLACK_SUPPORT_CHANNEL is '#suporte', a channel name; it needs the channel's id:"
            " in Slack open the channel, click its name and copy the Channel ID",
        ),
        (
            {"slack_tier2_channel": "nivel2"},
            "atende: SLACK_TIER2_CHANNEL is 'nivel2', a channel name; it needs the channel's id",
        ),
        (
            {"slack_support_channel": "CPRIVADO"},
            "atende: SLACK_SUPPORT_CHANNEL CPRIVADO: Slack knows no channel with this id that the bot"
            " can see; check the id, and in a private channel type /invite @fakebot",
        ),
        ({"whatsapp_token": "placeholder"}, "atende: WhatsApp refused WHATSAPP_TOKEN (code 190)"),
        (
            {"whatsapp_phone_id": "5511999990000"},
            "atende: WhatsApp knows no phone number 5511999990000 for this token (code 100): copy the"
            " Phone number ID",
        ),
    ],
    ids=["slack-token", "channel-name", "tier-channel-name", "unseen-channel", "whatsapp-token", "phone-id"],
)
async def test_a_wrong_setting_stops_the_start_with_one_line_and_posts_nothing(
    serve: Serve,
    capsys: pytest.CaptureFixture[str],
    slack: FakeSlackAPI,
    graph: FakeGraphAPI,
    setting: dict[str, str],
    expected: str,
) -> None:
    slack.add_channel("CPRIVADO", "diretoria", is_member=False, is_private=True)
    assert (await refused(serve, capsys, **setting)).startswith(expected)
    assert slack.messages == {} and graph.sent == []


async def test_a_bot_outside_the_support_channel_is_told_to_invite_itself(
    serve: Serve, capsys: pytest.CaptureFixture[str], slack: FakeSlackAPI
) -> None:
    slack.add_channel(CHANNEL, "suporte", is_member=False)
    assert await refused(serve, capsys) == (
        f"atende: the bot is not in SLACK_SUPPORT_CHANNEL (#suporte, {CHANNEL}):"
        " type /invite @fakebot in that channel"
    )
    assert slack.messages == {}


async def test_a_wrong_telegram_token_is_named_and_not_shown(
    serve: Serve, capsys: pytest.CaptureFixture[str], telegram: FakeTelegramAPI
) -> None:
    settings = {**telegram_settings(telegram, polling=True), "telegram_bot_token": "7000000001:placeholder"}
    line = await refused(serve, capsys, **settings)
    assert line.startswith("atende: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token")
    assert "placeholder" not in line
    assert telegram.sent == []


async def test_a_right_setup_starts_silently(
    serve: Serve,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    slack: FakeSlackAPI,
    graph: FakeGraphAPI,
    telegram: FakeTelegramAPI,
) -> None:
    caplog.set_level(logging.INFO)
    task, bot = await serve(**telegram_settings(telegram, polling=True))
    await listening(bot, task)
    await slack.wait_for(lambda fake: fake.calls_to("conversations.info"))
    await graph.wait_for(lambda fake: fake.calls_to("phone.get"))
    await telegram.wait_for(lambda fake: fake.calls_to("getMe"))
    await asyncio.sleep(0.2)  # the answers handled
    assert not task.done()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert capsys.readouterr().err == ""


async def test_slack_down_at_start_is_a_warning_and_the_check_passes_once_it_is_back(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.bootstrap.checks")
    port = free_port()  # nothing listens here yet: connection refused
    task, bot = await serve(slack_url=f"http://127.0.0.1:{port}")
    await listening(bot, task)

    async def logged(text: str) -> None:
        while not any(text in record.getMessage() for record in caplog.records):
            assert not task.done(), task
            await asyncio.sleep(0.02)

    async with aiohttp.ClientSession() as http:
        raw = to_bytes(wa_text_message("5541990002222", "Rita", "Oi, não consigo entrar"))
        async with http.post(
            f"http://127.0.0.1:{bot.port}/whatsapp/webhook", data=raw, headers=sign_whatsapp(raw, WA_SECRET)
        ) as response:
            assert response.status == 200
    await asyncio.wait_for(logged("Slack did not answer the start-up check"), 10)
    async with FakeSlackAPI(token=SLACK_TOKEN, port=port) as slack:
        await asyncio.wait_for(logged("Slack answered the start-up check: its settings are right"), 20)
        # the ticket that waited for Slack is posted
        await slack.wait_for(lambda fake: len(fake.channel_messages(CHANNEL)) == 1, timeout=20)
    assert not task.done()


async def test_whatsapp_down_at_start_is_one_line_of_ours_not_a_library_hint(
    serve: Serve, log_output: io.StringIO
) -> None:
    """pywa logs "provide your own httpx.Client" on every connection error, though it runs on ours:
    an operator would go looking for a setting that does not exist."""
    configure("info", "text", log_output)  # as `atende run` does
    task, bot = await serve(whatsapp_api_url=f"http://127.0.0.1:{free_port()}")
    await listening(bot, task)
    while "WhatsApp did not answer the start-up check" not in log_output.getvalue():
        assert not task.done(), task
        await asyncio.sleep(0.02)
    assert [line for line in log_output.getvalue().splitlines() if "httpx.Client" in line] == []
