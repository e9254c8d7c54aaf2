"""Least privilege: only agents claim and resolve, only our workspace is served, logs keep no personal data."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlencode

import pytest

from core.tickets import texts as tickets_texts
from handlers.slack.ticket_blocks import CLAIM, RESOLVE
from testing.slack_payloads import slack_block_action, slack_message_event
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk
from tests.test_conversation_loop import agent_says, click

MARIA = "5511987651234"
SECRET_WORDS = "minha senha é girassol42"


async def ticket_of(desk: Desk) -> tuple[int, str]:
    await desk.whatsapp(wa_text_message(MARIA, "Maria Souza", SECRET_WORDS))
    await desk.settle()
    [parent] = desk.parents()
    [(ticket_id,)] = await desk.rows("SELECT id FROM tickets")
    return ticket_id, parent["ts"]


async def test_only_configured_agents_claim_and_resolve(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_agents="UANA", slack_supervisors="UBOSS")
    ticket_id, parent_ts = await ticket_of(desk)

    assert await click(desk, CLAIM, ticket_id, "UINTRUSO", parent_ts) == 200
    assert await click(desk, RESOLVE, ticket_id, "UINTRUSO", parent_ts) == 200
    await desk.slack.wait_for(lambda fake: len(fake.ephemerals) == 2)
    assert {e["text"] for e in desk.slack.ephemerals} == {tickets_texts.AGENTS_ONLY}
    assert await desk.rows("SELECT status, assignee FROM tickets") == [("new", None)]
    refusals = await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'")
    assert refusals == [
        ("UINTRUSO", f"{CLAIM} ticket {ticket_id}"),
        ("UINTRUSO", f"{RESOLVE} ticket {ticket_id}"),
    ]

    # the configured agent, and a supervisor, may
    assert await click(desk, CLAIM, ticket_id, "UANA", parent_ts) == 200
    assert await click(desk, RESOLVE, ticket_id, "UBOSS", parent_ts) == 200
    await desk.settle()
    assert await desk.rows("SELECT status, resolved_by FROM tickets") == [("resolved", "UBOSS")]


async def test_agents_can_be_a_slack_user_group(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_agent_group="SAGENTES")
    desk.slack.usergroups["SAGENTES"] = ["UJOAO"]
    ticket_id, parent_ts = await ticket_of(desk)
    await click(desk, CLAIM, ticket_id, "UJOAO", parent_ts)
    assert await desk.rows("SELECT assignee FROM tickets") == [("UJOAO",)]


async def test_everyone_is_an_agent_when_none_is_configured(desk: Desk) -> None:
    ticket_id, parent_ts = await ticket_of(desk)
    await click(desk, CLAIM, ticket_id, "UQUALQUER", parent_ts)
    assert await desk.rows("SELECT assignee FROM tickets") == [("UQUALQUER",)]


async def test_a_request_from_another_workspace_is_refused_and_audited(desk: Desk) -> None:
    ticket_id, parent_ts = await ticket_of(desk)
    click_from_elsewhere = slack_block_action(
        CLAIM, str(ticket_id), user_id="UOUTRO", channel=CHANNEL, message_ts=parent_ts, team_id="T9999"
    )
    response = await desk.slack_event(click_from_elsewhere, content_type="application/x-www-form-urlencoded")
    assert response.status == 403
    ts = desk.slack.post_as_user(CHANNEL, "UOUTRO", "oi", thread_ts=parent_ts)["ts"]
    reply = slack_message_event(CHANNEL, "UOUTRO", "oi", ts=ts, thread_ts=parent_ts, team_id="T9999")
    assert (await desk.slack_event(reply)).status == 403
    await desk.settle()

    assert await desk.rows("SELECT assignee FROM tickets") == [(None,)]
    assert desk.graph.sent_texts() == []
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UOUTRO", "request from workspace T9999"),
        ("UOUTRO", "request from workspace T9999"),
    ]


def _enterprise_only(body: dict) -> dict:
    """``body`` as an Enterprise Grid organisation sends it: its enterprise id, no workspace id."""
    for part in (body, *(body.get("authorizations") or []), body.get("event") or {}, body.get("user") or {}):
        for key in ("team_id", "team"):
            if key in part:
                part[key] = None
        part["enterprise_id"] = "E0001"
    if isinstance(body.get("view"), dict):
        body["view"]["team_id"] = None
    return body


async def test_a_request_naming_an_enterprise_but_no_workspace_is_refused_and_audited(desk: Desk) -> None:
    ticket_id, parent_ts = await ticket_of(desk)
    ts = desk.slack.post_as_user(CHANNEL, "UOUTRO", "pague o boleto", thread_ts=parent_ts)["ts"]
    reply = json.loads(slack_message_event(CHANNEL, "UOUTRO", "pague o boleto", ts=ts, thread_ts=parent_ts))
    assert (await desk.slack_event(json.dumps(_enterprise_only(reply)).encode())).status == 403

    form = parse_qs(
        slack_block_action(
            CLAIM, str(ticket_id), user_id="UOUTRO", channel=CHANNEL, message_ts=parent_ts
        ).decode()
    )
    click = _enterprise_only(json.loads(form["payload"][0]))
    raw = urlencode({"payload": json.dumps(click)}).encode()
    assert (await desk.slack_event(raw, content_type="application/x-www-form-urlencoded")).status == 403
    await desk.settle()

    assert desk.graph.sent_texts() == []
    assert await desk.rows("SELECT assignee FROM tickets") == [(None,)]
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UOUTRO", "request from workspace none (enterprise E0001)"),
        ("UOUTRO", "request from workspace none (enterprise E0001)"),
    ]


async def test_logs_at_info_carry_no_message_text_nor_full_phone(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ticket_id, parent_ts = await ticket_of(desk)
    await click(desk, CLAIM, ticket_id, "UANA", parent_ts)
    await agent_says(desk, parent_ts, "UANA", "Vou trocar sua senha agora, Maria")
    desk.graph.fail("messages", status=500, times=1)
    await agent_says(desk, parent_ts, "UANA", "Pronto, senha trocada")
    await desk.settle()

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the bot did log (start-up, refusals...): the check below is not vacuous
    for private in (
        MARIA,
        MARIA[2:],
        "98765-1234",
        "Maria Souza",
        "girassol42",
        "trocar sua senha",
        "senha trocada",
    ):
        assert private not in logged


async def test_a_thread_reply_from_someone_who_is_not_an_agent_never_reaches_the_customer(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_agents="UANA", slack_agent_group="SAGENTES")
    desk.slack.usergroups["SAGENTES"] = ["UJOAO"]
    ticket_id, parent_ts = await ticket_of(desk)
    messages_before = await desk.rows("SELECT COUNT(*) FROM messages")

    scam = "Oi Maria, pague o boleto em https://boleto-falso.example/pix"
    ts = await agent_says(desk, parent_ts, "UINTRUSO", scam)
    await desk.slack.wait_for(lambda fake: fake.ephemerals)
    await desk.settle()

    assert desk.graph.sent_texts() == []
    assert await desk.rows("SELECT COUNT(*) FROM messages") == messages_before  # not even as a note
    assert desk.slack.message(CHANNEL, ts)["reactions"] == ["no_entry_sign"]  # everyone in the thread sees it
    [told] = desk.slack.ephemerals
    assert (told["user"], told["thread_ts"], told["text"]) == (
        "UINTRUSO",
        parent_ts,
        tickets_texts.REPLY_AGENTS_ONLY,
    )
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UINTRUSO", f"thread reply to ticket {ticket_id} (not sent)")
    ]

    # agents named by id or by the group still answer
    await agent_says(desk, parent_ts, "UANA", "Oi Maria, já vejo isso")
    await agent_says(desk, parent_ts, "UJOAO", "Pronto!")
    await desk.settle()
    assert desk.graph.sent_texts() == ["Oi Maria, já vejo isso", "Pronto!"]


async def test_a_non_agent_talking_in_a_thread_that_is_not_a_ticket_is_left_alone(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_agents="UANA")
    top = desk.slack.post_as_user(CHANNEL, "UANA", "Reunião às 15h?")
    ts = await agent_says(desk, top["ts"], "UINTRUSO", "Pode ser")
    await desk.settle()
    assert desk.slack.message(CHANNEL, ts)["reactions"] == []
    assert desk.slack.ephemerals == []
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == []


async def test_agent_commands_answer_only_agents_when_agents_are_configured(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_agents="UANA", slack_supervisors="UBOSS")
    await ticket_of(desk)
    typed = ("cliente 11987651234", "ticket 1", "fila", "meus", "kb busca senha")
    for command in typed:
        assert (await desk.command(command, user="UINTRUSO"))["text"] == tickets_texts.COMMAND_AGENTS_ONLY, (
            command
        )
    refused = await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'")
    assert refused == [("UINTRUSO", f"/suporte {command.split()[0]}") for command in typed]

    for user in ("UANA", "UBOSS"):  # an agent, and a supervisor (who is one too)
        for command in typed:
            assert (await desk.command(command, user=user))["text"] != tickets_texts.COMMAND_AGENTS_ONLY, (
                command
            )
    assert (await desk.command("ajuda", user="UINTRUSO"))["text"].startswith(tickets_texts.COMMANDS_HEADER)
