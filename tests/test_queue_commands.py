"""``/suporte fila``, ``meus``, ``ticket N``, ``cliente +55...`` and the App Home, with SLA state."""

from __future__ import annotations

import json
import time

from testing.clock import FixedClock
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk
from tests.test_conversation_loop import click
from tests.test_sla_clock import MONDAY_10, QUIET, tick

JOAO = "5521998887777"
MARIA = "5511987651234"


async def two_tickets(start_desk: StartDesk) -> tuple[Desk, FixedClock]:
    """Maria writes at 10:00 (claimed by Ana), João at 10:20; at 10:25 Maria's first response is at risk."""
    clock = FixedClock(MONDAY_10)
    desk = await start_desk(clock=clock, **QUIET)
    stamp = int(clock.now().timestamp())
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Não consigo entrar", timestamp=stamp))
    await desk.whatsapp(wa_text_message(JOAO, "João", "Quero mudar de plano", timestamp=stamp + 1200))
    await desk.settle()
    maria_parent = desk.parents()[0]
    await click(desk, "ticket.claim", 1, "UANA", maria_parent["ts"])
    clock.advance(minutes=25)
    await tick(desk)
    return desk, clock


async def test_fila_lists_open_tickets_by_sla_risk_with_links_and_the_tier_targets(
    start_desk: StartDesk,
) -> None:
    desk, clock = await two_tickets(start_desk)
    clock.advance(minutes=6)  # Maria's first response breaches at 10:30
    await tick(desk)
    answer = await desk.command("fila", user="UBRUNO")
    assert answer["response_type"] == "ephemeral"
    lines = answer["text"].splitlines()
    assert lines[0] == "*Fila: 2 tickets abertos*"
    assert lines[1].startswith("🔴 <https://fake.slack.com/archives/") and "#1> Maria" in lines[1]
    assert "<@UANA>" in lines[1] and "SLA estourado" in lines[1]
    assert lines[2].startswith("🟢") and "#2> João" in lines[2] and "sem responsável" in lines[2]
    assert "primeira resposta até 10:50" in lines[2]
    assert "*Metas dos níveis (últimos 30 dias)*" in answer["text"]
    assert "N1 taxa de escalação: 0% (meta ≤ 30%) ✅" in answer["text"]
    assert "N2 CSAT: sem dados" in answer["text"]


async def test_meus_lists_only_my_tickets(start_desk: StartDesk) -> None:
    desk, _ = await two_tickets(start_desk)
    mine = await desk.command("meus", user="UANA")
    assert "#1> Maria" in mine["text"] and "João" not in mine["text"]
    assert "🟠" in mine["text"]  # 75% of the 30 minutes used: at risk
    nobody = await desk.command("meus", user="UBRUNO")
    assert "Você não tem tickets abertos." in nobody["text"]


async def test_ticket_n_shows_status_tier_assignee_and_due_time(start_desk: StartDesk) -> None:
    desk, _ = await two_tickets(start_desk)
    await desk.bot.support.escalate(2, 3, "Cobrança duplicada", "UANA")
    answer = await desk.command("ticket #2")
    assert "#2> João" in answer["text"] and "Nível 3 (engenharia)" in answer["text"]
    assert "reconhecimento do nível 3" in answer["text"] or "primeira resposta" in answer["text"]
    assert (await desk.command("ticket 99"))[
        "text"
    ] == "Não encontrei este ticket. Ele pode ter sido removido."
    assert (await desk.command("ticket abc"))["text"] == "Use `/suporte ticket 123`."


async def test_cliente_shows_plan_days_as_customer_and_recent_tickets(start_desk: StartDesk) -> None:
    desk, clock = await two_tickets(start_desk)
    clock.advance(days=3)
    answer = await desk.command("cliente +55 11 98765-1234")
    assert "*Maria* · +55 11 9****-1234" in answer["text"]
    assert "Plano não informado" in answer["text"]
    assert "cliente há 3 dias" in answer["text"]
    assert "#1> Maria" in answer["text"]
    await desk.bot.support.resolve(1, "UANA")
    resolved = await desk.command("cliente +55 11 98765-1234")
    assert "✅ <https://fake.slack.com/archives/" in resolved["text"] and "Resolvido" in resolved["text"]
    old_number = await desk.command("cliente 55 11 8765-1234")  # without the ninth digit
    assert "*Maria*" in old_number["text"]
    assert (await desk.command("cliente +55 11 90000-0000"))[
        "text"
    ] == "Não encontrei cliente com esse número."
    assert (await desk.command("cliente"))["text"].startswith("Use `/suporte cliente")


async def test_ajuda_and_unknown_subcommands_list_the_queue_commands(start_desk: StartDesk) -> None:
    desk, _ = await two_tickets(start_desk)
    for typed in ("ajuda", "filas"):
        text = (await desk.command(typed))["text"]
        for name in ("fila", "meus", "ticket", "cliente"):
            assert f"`/suporte {name}`" in text


async def open_home(desk: Desk, user: str) -> None:
    body = json.dumps(
        {
            "token": "verification_token",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"},
        }
    ).encode()
    assert (await desk.slack_event(body)).status == 200


async def test_app_home_shows_my_tickets_and_the_queue_and_follows_changes(start_desk: StartDesk) -> None:
    desk, _ = await two_tickets(start_desk)
    await open_home(desk, "UANA")
    await desk.settle()
    home = json.dumps(desk.slack.home_tabs["UANA"], ensure_ascii=False)
    assert "Meus tickets" in home and "Fila por risco de SLA" in home
    assert "#1> Maria" in home and "#2> João" in home and "Metas dos níveis" in home

    parent = desk.parents()[1]
    await click(desk, "ticket.claim", 2, "UANA", parent["ts"])  # Ana takes João too
    await desk.settle()
    mine = desk.slack.home_tabs["UANA"]["blocks"][1]["text"]["text"]
    assert "#1> Maria" in mine and "#2> João" in mine
    assert CHANNEL in home


async def test_tier_targets_count_escalations_tier2_resolutions_and_their_csat(start_desk: StartDesk) -> None:
    desk, clock = await two_tickets(start_desk)
    await desk.bot.support.escalate(1, 2, "Integração avançada", "UANA")
    clock.advance(hours=1)
    await desk.bot.support.resolve(1, "UESPEC")  # within 4 business hours of the escalation
    await desk.bot.support.resolve(2, "UANA")  # first contact, tier 1
    await desk.rows("INSERT INTO csat (ticket_id, score, at) VALUES (1, 5, ?)", clock.now().isoformat())
    text = (await desk.command("fila"))["text"]
    assert "N1 resolução no 1º contato: 50% (meta ≥ 70%) ⚠️" in text
    assert "N1 taxa de escalação: 50% (meta ≤ 30%) ⚠️" in text
    assert "N2 resolvidos em até 4 h úteis: 100% (meta ≥ 85%) ✅" in text
    assert "N2 CSAT: 5,0 (meta ≥ 4,3) ✅" in text


async def test_someone_who_is_not_an_agent_opening_the_app_sees_no_customer(start_desk: StartDesk) -> None:
    # The home lists customers' names and words: only the configured agents are drawn it.
    desk = await start_desk(slack_agents="UANA")
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Não consigo entrar"))
    await desk.settle()
    await open_home(desk, "UOUTRO")
    await open_home(desk, "UANA")
    await desk.settle()

    outsider = json.dumps(desk.slack.home_tabs["UOUTRO"], ensure_ascii=False)
    assert "Maria" not in outsider and "Não consigo entrar" not in outsider
    assert "só para a equipe de suporte" in outsider
    assert "Maria" in json.dumps(desk.slack.home_tabs["UANA"], ensure_ascii=False)
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UOUTRO", "App Home")
    ]

    await desk.whatsapp(wa_text_message(JOAO, "João", "Quero mudar de plano"))  # the queue changes
    await desk.settle()
    assert "João" in json.dumps(desk.slack.home_tabs["UANA"], ensure_ascii=False)
    assert "João" not in json.dumps(desk.slack.home_tabs["UOUTRO"], ensure_ascii=False)
