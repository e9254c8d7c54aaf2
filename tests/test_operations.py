"""What an operator sees: start-up errors, health, metrics, and the audit trail."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testing.slack_payloads import slack_block_action
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk

ROOT = Path(__file__).resolve().parents[1]


def run_cli(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "SLACK_", "ATENDE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_setting_stops_the_start_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run_cli({}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "atende: missing setting WHATSAPP_PHONE_ID (see .env.example)"


def test_an_invalid_setting_is_named(tmp_path: Path) -> None:
    env = {
        "WHATSAPP_PHONE_ID": "1",
        "WHATSAPP_TOKEN": "t",
        "WHATSAPP_APP_SECRET": "s",
        "WHATSAPP_VERIFY_TOKEN": "v",
        "SLACK_BOT_TOKEN": "xoxb",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_SUPPORT_CHANNEL": "C1",
        "ATENDE_PORT": "porta",
    }
    result = run_cli(env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("atende: invalid setting ATENDE_PORT")
    assert len(result.stderr.strip().splitlines()) == 1


def test_http_mode_without_a_signing_secret_is_refused(tmp_path: Path) -> None:
    env = {
        "WHATSAPP_PHONE_ID": "1",
        "WHATSAPP_TOKEN": "t",
        "WHATSAPP_APP_SECRET": "s",
        "WHATSAPP_VERIFY_TOKEN": "v",
        "SLACK_BOT_TOKEN": "xoxb",
        "SLACK_SUPPORT_CHANNEL": "C1",
    }
    result = run_cli(env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN" in result.stderr


async def test_healthz_and_metrics_report_the_queues(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message("5511900001111", "Caio", "Oi"))
    await desk.settle()
    async with desk.http.get(f"{desk.url}/healthz") as response:
        assert response.status == 200
        health = await response.json()
    # the thread, the message and the App Home refresh
    assert health == {"status": "ok", "inbox_backlog": 0, "outbox": {"done": 3}}
    async with desk.http.get(f"{desk.url}/metrics") as response:
        text = await response.text()
    assert 'atende_outbox_rows{state="done"} 3.0' in text
    assert "atende_inbox_backlog 0.0" in text
    assert 'atende_inbox_processed_total{result="ok"} 1.0' in text
    assert 'atende_messages_total{channel="whatsapp",direction="inbound"} 1.0' in text
    assert "atende_outbox_oldest_pending_seconds 0.0" in text
    assert 'atende_sla_events_total{event="warning"} 0.0' in text


async def test_metrics_show_how_long_the_oldest_delivery_has_been_waiting(desk: Desk) -> None:
    desk.slack.fail("chat.postMessage", status=503, times=None)  # Slack is down
    await desk.whatsapp(wa_text_message("5511900001111", "Caio", "Oi"))
    await desk.slack.wait_for(lambda fake: len(fake.calls_to("chat.postMessage")) >= 2)

    def oldest(text: str) -> float:
        [line] = [x for x in text.splitlines() if x.startswith("atende_outbox_oldest_pending_seconds ")]
        return float(line.split()[1])

    async with desk.http.get(f"{desk.url}/metrics") as response:
        assert oldest(await response.text()) > 0
    desk.slack.clear_faults()
    await desk.settle(timeout=30)
    async with desk.http.get(f"{desk.url}/metrics") as response:
        assert oldest(await response.text()) == 0


async def test_every_ticket_change_leaves_an_audit_row(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message("5511900001111", "Caio", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    for action in ("ticket.claim", "ticket.release", "ticket.claim", "ticket.resolve"):
        body = slack_block_action(action, "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])
        await desk.slack_event(body, content_type="application/x-www-form-urlencoded")
    await desk.settle()
    rows = await desk.rows("SELECT actor, action FROM events WHERE ticket_id = 1 ORDER BY id")
    assert rows == [
        ("customer", "opened"),
        ("UANA", "claimed"),
        ("UANA", "released"),
        ("UANA", "claimed"),
        ("UANA", "resolved"),
    ]


def test_an_untouched_copy_of_env_example_names_the_first_value_to_fill_in(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    result = run_cli({}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "atende: missing setting WHATSAPP_PHONE_ID (see .env.example)"


def test_json_logs_are_one_object_per_line() -> None:
    import io
    import json
    import logging

    from bot.logs import configure

    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure("info", "json", stream)
        logging.getLogger("atende.test").info("outbox %s dead after %d attempts", 7, 8)
        logging.getLogger("atende.test").debug("not at INFO")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "outbox 7 dead after 8 attempts"
    assert record["level"] == "INFO" and record["name"] == "atende.test"


@pytest.mark.parametrize("turns", [0, 1, 2])
async def test_the_outbox_worker_woken_just_as_the_bot_stops_still_stops(desk: Desk, turns: int) -> None:
    """A deploy stops the bot while a commit wakes the outbox worker (a delivery ending, a new row).

    On Python 3.11, ``asyncio.wait_for`` swallowed a cancellation arriving a loop turn or two
    after the wake-up: the worker went on looping, and every stop waited out its 10 s limit.
    """
    await desk.settle()
    await asyncio.sleep(0.05)  # the worker is asleep, waiting to be woken
    task = next(task for task in desk.bot._tasks if task.get_name() == "outbox")
    desk.bot.outbox_worker.wake()
    for _ in range(turns):
        await asyncio.sleep(0)
    task.cancel()
    finished, _ = await asyncio.wait({task}, timeout=2)
    assert finished == {task}, "the outbox worker went on running after it was stopped"
