"""Nothing is lost and nothing arrives twice when Slack or WhatsApp misbehave."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from core.common.inbox import InboxItem
from storage.sqlite.database import Database
from storage.sqlite.queues import Inbox, Outbox
from testing.slack_payloads import slack_message_event
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk

ANA = "5531991112222"


async def agent_says(desk: Desk, parent_ts: str, text: str) -> str:
    msg = desk.slack.post_as_user(CHANNEL, "UANA", text, thread_ts=parent_ts)
    await desk.slack_event(slack_message_event(CHANNEL, "UANA", text, ts=msg["ts"], thread_ts=parent_ts))
    return msg["ts"]


async def test_slack_429_storm_mid_conversation_delivers_every_message_once_in_order(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(ANA, "Ana", "mensagem 0"))
    await desk.settle()
    desk.slack.fail("chat.postMessage", status=429, retry_after=1, times=4)
    for n in range(1, 8):
        await desk.whatsapp(wa_text_message(ANA, "Ana", f"mensagem {n}"))
    await desk.settle(timeout=20)

    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == [f"mensagem {n}" for n in range(8)]
    faulted = [c for c in desk.slack.calls_to("chat.postMessage") if c.faulted]
    assert len(faulted) == 4
    # Retry-After was honoured: the first retry came at least a second after the first 429
    retried = [c for c in desk.slack.calls_to("chat.postMessage") if not c.faulted and c.at > faulted[0].at]
    assert retried[0].at - faulted[0].at >= 0.9


async def test_whatsapp_5xx_mid_conversation_delivers_every_reply_once_in_order(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    await agent_says(desk, parent["ts"], "resposta 0")
    await desk.settle()
    desk.graph.fail("messages", status=500, times=3, match=lambda call: call.params.get("type") == "text")
    for n in range(1, 5):
        await agent_says(desk, parent["ts"], f"resposta {n}")
    await desk.settle(timeout=20)
    assert desk.graph.sent_texts(ANA) == [f"resposta {n}" for n in range(5)]


async def test_whatsapp_throttling_error_is_retried_after_its_retry_after(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    desk.graph.fail(
        "messages",
        status=429,
        code=130429,
        retry_after=1,
        times=1,
        match=lambda call: call.params.get("type") == "text",
    )
    await agent_says(desk, parent["ts"], "Já verifico")
    await desk.settle(timeout=10)
    sends = [c for c in desk.graph.calls_to("messages") if c.params.get("type") == "text"]
    assert [c.faulted for c in sends] == [True, False]
    assert sends[1].at - sends[0].at >= 0.9
    assert desk.graph.sent_texts(ANA) == ["Já verifico"]


async def test_a_send_that_keeps_failing_is_given_up_and_shown_in_the_thread(start_desk: StartDesk) -> None:
    desk = await start_desk(outbox_max_attempts=3)
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    desk.graph.fail("messages", status=503, times=None, match=lambda call: call.params.get("type") == "text")
    reply_ts = await agent_says(desk, parent["ts"], "Alô?")
    await desk.settle(timeout=10)

    assert desk.slack.message(CHANNEL, reply_ts)["reactions"] == ["x"]
    assert any("Mensagem não entregue" in m["text"] for m in desk.thread_of(parent))
    assert await desk.rows("SELECT kind, attempts FROM outbox WHERE state = 'dead'") == [
        ("SendToCustomer", 3)
    ]


async def test_a_long_slack_outage_is_waited_out_and_nothing_is_missing_after(start_desk: StartDesk) -> None:
    desk = await start_desk(outbox_max_attempts=2)
    desk.slack.fail("chat.postMessage", status=503, times=None)
    for n in range(3):
        await desk.whatsapp(wa_text_message(ANA, "Ana", f"durante a queda {n}"))
    await desk.slack.wait_for(
        lambda fake: len(fake.calls_to("chat.postMessage")) >= 5
    )  # well past 2 attempts
    desk.slack.clear_faults()
    await desk.settle(timeout=20)
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == [f"durante a queda {n}" for n in range(3)]
    assert await desk.rows("SELECT COUNT(*) FROM outbox WHERE state = 'dead'") == [(0,)]


async def test_a_slack_refusal_is_not_retried(start_desk: StartDesk) -> None:
    desk = await start_desk()
    desk.slack.fail("chat.postMessage", status=200, error="channel_not_found", times=1)
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle(timeout=10)
    assert await desk.rows(
        "SELECT kind, state, last_error FROM outbox WHERE state != 'done' ORDER BY id LIMIT 1"
    ) == [("PostTicket", "failed", "Slack channel_not_found")]


async def test_a_timeout_from_whatsapp_is_retried(start_desk: StartDesk) -> None:
    desk = await start_desk(http_timeout_seconds=0.3)
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    desk.graph.delay("messages", 1.0, times=1)
    await agent_says(desk, parent["ts"], "Tudo certo?")
    await desk.settle(timeout=10)
    assert "Tudo certo?" in desk.graph.sent_texts(ANA)


async def test_a_slack_post_whose_answer_timed_out_is_not_posted_again(start_desk: StartDesk) -> None:
    # Under load a post can reach Slack and its answer come back after the client gave up.
    # The retry must find it in the thread (conversations.replies) instead of posting it twice.
    desk = await start_desk(http_timeout_seconds=0.3)
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    desk.slack.delay("chat.postMessage", 2.5, times=1, answer_only=True)  # the client waits 1 s
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Meu pedido não chegou"))
    await desk.settle(timeout=10)

    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["Oi", "Meu pedido não chegou"]
    assert len(desk.slack.calls_to("conversations.replies")) >= 1
    # the message's desk ref is the post that did appear, so reactions and edits land on it
    [(desk_ref,)] = await desk.rows("SELECT desk_ref FROM messages WHERE body = 'Meu pedido não chegou'")
    assert desk_ref == f"{CHANNEL}:{desk.thread_of(parent)[1]['ts']}"


async def test_a_slack_post_that_failed_before_posting_is_posted_on_retry(start_desk: StartDesk) -> None:
    desk = await start_desk()
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Oi"))
    await desk.settle()
    desk.slack.fail("chat.postMessage", status=500, times=1)
    await desk.whatsapp(wa_text_message(ANA, "Ana", "Segunda"))
    await desk.settle(timeout=10)

    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["Oi", "Segunda"]


async def test_a_row_whose_delivery_ends_while_the_worker_looks_for_work_is_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker reads the due rows while other deliveries are in flight. One of them can end
    # (row closed, lane freed) while that read is on its way back with the row still pending:
    # the row must not be handed out again, or its Slack post or WhatsApp message goes twice.
    database = Database(str(tmp_path / "atende.db"))
    await database.open()
    try:
        async with database.locked() as conn:
            cursor = await conn.execute(
                "INSERT INTO outbox (lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)",
                ("desk:1", "PostNote", "{}", 0.0, 0.0),
            )
            row_id = cursor.lastrowid
        assert row_id is not None
        outbox = Outbox(database)
        busy = {"desk:1"}
        read = database.reader.execute_fetchall

        async def read_while_the_delivery_ends(sql: str, parameters: Any = None) -> Any:
            rows = await read(sql, parameters)
            await outbox.finish(row_id, "done", time.time())
            busy.discard("desk:1")
            return rows

        monkeypatch.setattr(database.reader, "execute_fetchall", read_while_the_delivery_ends)
        assert await outbox.due(time.time(), busy, set(), 4) == []
    finally:
        await database.close()


async def test_a_webhook_is_stored_ahead_of_the_work_waiting_for_the_database(tmp_path: Path) -> None:
    # Meta and Slack wait for the 200 while a webhook is stored; intake, the AI's outcomes and
    # outbox bookkeeping have no one waiting. When the connection frees up, the webhook goes first.
    database = Database(str(tmp_path / "atende.db"))
    await database.open()
    ran: list[str] = []
    await database.connection.set_trace_callback(ran.append)
    try:

        async def other_work(n: int) -> None:
            async with database.locked() as conn:
                await conn.execute(f"SELECT {n} AS other_work")

        async with database.locked():  # a unit of work in progress
            queued = [asyncio.create_task(other_work(n)) for n in range(3)]
            for _ in range(10):
                await asyncio.sleep(0)  # they are all waiting for the connection now
            webhook = asyncio.create_task(
                Inbox(database).add([InboxItem("whatsapp", "message", "wa:msg:1", {"n": 1})], time.time())
            )
            for _ in range(10):
                await asyncio.sleep(0)
        await asyncio.gather(*queued, webhook)
    finally:
        await database.close()
    order = [sql for sql in ran if "INSERT INTO inbox" in sql or "other_work" in sql]
    assert "INSERT INTO inbox" in order[0]
    assert order[1:] == [f"SELECT {n} AS other_work" for n in range(3)]


async def test_stopping_keeps_the_writes_already_on_their_way_to_the_database(tmp_path: Path) -> None:
    # A deploy stops the bot while webhooks are being stored (and outbox rows closed): closing
    # the database under them rolled them back, and a row marked sent was sent again later.
    path = str(tmp_path / "atende.db")
    database = Database(path)
    await database.open()
    items = [InboxItem("whatsapp", "message", f"wa:msg:{n}", {"n": n}) for n in range(40)]
    stores = [asyncio.create_task(Inbox(database).add([item], time.time())) for item in items]
    await asyncio.sleep(0)  # the first flush has the connection; the rest queue behind it
    await database.close()
    assert [task.exception() for task in stores] == [None] * len(stores)  # each store returned
    reopened = Database(path)
    await reopened.open()
    try:
        assert await Inbox(reopened).backlog() == len(items)
    finally:
        await reopened.close()
