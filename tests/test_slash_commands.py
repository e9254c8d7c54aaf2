"""The /suporte router: help, unknown subcommands, supervisor-only commands, slow answers."""

from __future__ import annotations

import asyncio
import time

from core.tickets import texts as tickets_texts
from handlers.slack.commands import CommandReply, CommandRequest, Who
from testing.signing import sign_slack
from testing.slack_payloads import slack_command
from tests.conftest import CHANNEL, SLACK_SECRET, Desk, StartDesk


async def echo(request: CommandRequest) -> CommandReply:
    return CommandReply(f"args={request.args} text={request.text!r} user={request.user}")


async def test_no_subcommand_and_ajuda_list_every_subcommand(desk: Desk) -> None:
    desk.bot.commands.add("eco", echo, help="repete o que você digitou")
    for typed in ("", "ajuda", "AJUDA"):
        answer = await desk.command(typed)
        assert answer["response_type"] == "ephemeral"
        assert "`/suporte eco` repete o que você digitou" in answer["text"]
        assert "`/suporte ajuda`" in answer["text"]
        assert "Não conheço" not in answer["text"]


async def test_unknown_subcommand_answers_with_help(desk: Desk) -> None:
    desk.bot.commands.add("eco", echo, help="repete")
    answer = await desk.command("relatoriox semana")
    assert answer["text"].startswith(tickets_texts.unknown_subcommand("relatoriox"))
    assert "`/suporte eco`" in answer["text"]


async def test_subcommand_gets_its_arguments(desk: Desk) -> None:
    desk.bot.commands.add("eco", echo, help="repete")
    answer = await desk.command("eco  +55 11 98765-4321  agora", user="UANA")
    assert (
        answer["text"]
        == "args=['+55', '11', '98765-4321', 'agora'] text='+55 11 98765-4321  agora' user=UANA"
    )


async def test_supervisor_command_refused_to_others_and_audited(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS, UCHEFE")
    desk.bot.commands.add("segredo", echo, help="só supervisão", who=Who.SUPERVISOR)

    refused = await desk.command("segredo", user="UAGENT")
    assert refused["text"] == tickets_texts.SUPERVISORS_ONLY
    assert await desk.rows("SELECT actor, action, detail FROM events WHERE action = 'access.refused'") == [
        ("UAGENT", "access.refused", "/suporte segredo")
    ]
    for boss in ("UBOSS", "UCHEFE"):
        allowed = await desk.command("segredo", user=boss)
        assert allowed["text"].startswith("args=[]")


async def test_supervisor_group_members_are_read_from_slack(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisor_group="SSUP")
    desk.slack.usergroups["SSUP"] = ["UMARIA"]
    desk.bot.commands.add("segredo", echo, help="só supervisão", who=Who.SUPERVISOR)

    assert (await desk.command("segredo", user="UMARIA"))["text"].startswith("args=[]")
    assert (await desk.command("segredo", user="UJOAO"))["text"] == tickets_texts.SUPERVISORS_ONLY


async def test_slack_error_on_the_group_never_grants_access(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisor_group="SSUP")
    desk.slack.usergroups["SSUP"] = ["UMARIA"]
    desk.slack.fail("usergroups.users.list", status=200, error="missing_scope")
    desk.bot.commands.add("segredo", echo, help="só supervisão", who=Who.SUPERVISOR)
    assert (await desk.command("segredo", user="UMARIA"))["text"] == tickets_texts.SUPERVISORS_ONLY


async def test_nobody_is_a_supervisor_when_none_is_configured(desk: Desk) -> None:
    desk.bot.commands.add("segredo", echo, help="só supervisão", who=Who.SUPERVISOR)
    assert (await desk.command("segredo", user="UAGENT"))["text"] == tickets_texts.SUPERVISORS_ONLY


async def test_slow_answer_is_acknowledged_then_sent_by_response_url(desk: Desk) -> None:
    release = asyncio.Event()

    async def slow(request: CommandRequest) -> CommandReply:
        await release.wait()
        return CommandReply("📊 relatório pronto")

    desk.bot.commands.add("lento", slow, help="demora")
    url = desk.slack.response_url()
    raw = slack_command("lento", user_id="UAGENT", channel=CHANNEL, response_url=url)
    headers = sign_slack(
        raw, SLACK_SECRET, int(time.time()), content_type="application/x-www-form-urlencoded"
    )
    async with desk.http.post(f"{desk.url}/slack/events", data=raw, headers=headers) as response:
        assert response.status == 200
        # answered while the work is still blocked: Slack is never left waiting for slow work
        assert (await response.json())["text"] == tickets_texts.WORKING_ON_IT
    release.set()
    key = url.rsplit("/", 1)[-1]
    await desk.slack.wait_for(lambda fake: fake.responses[key])
    assert desk.slack.responses[key][0]["text"] == "📊 relatório pronto"
    assert desk.slack.responses[key][0]["response_type"] == "ephemeral"


async def test_a_failing_subcommand_says_so_instead_of_timing_out(desk: Desk) -> None:
    async def broken(request: CommandRequest) -> CommandReply:
        raise RuntimeError("boom")

    desk.bot.commands.add("quebrado", broken, help="falha")
    assert (await desk.command("quebrado"))["text"] == tickets_texts.COMMAND_FAILED


def test_a_subcommand_name_cannot_be_taken_twice() -> None:
    import pytest

    from handlers.slack.commands import SlashCommands

    commands = SlashCommands(access=None)  # type: ignore[arg-type]
    commands.add("fila", echo, help="x")
    with pytest.raises(ValueError, match="already registered"):
        commands.add("fila", echo, help="y")
    with pytest.raises(ValueError, match="already registered"):
        commands.add("ajuda", echo, help="y")
