"""Proactive journeys through the running bot, over simulated days with the injected clock.

Customers come in through the platform's endpoint; each morning the worker's tick runs the
day's journeys, and the fake WhatsApp shows what each customer received: free text inside
the 24-hour window, the approved template outside it, nothing to who opted out, nothing at
night, and every message once.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.broadcast.model import personal
from core.customers import texts as customers_texts
from core.journeys import texts as journeys_texts
from testing.clock import FixedClock
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import Desk, StartDesk

SP = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 3, 2, 10, 0, tzinfo=SP)  # a Monday morning, in the past: the outbox runs on real time
TOKEN = "platform-token"
TEMPLATE = "aviso_atende"
BOSS = "UBOSS"
MARIA, JOAO, ANA, BIA = "5511911110001", "5511911110002", "5511911110003", "5511911110004"


async def start(start_desk: StartDesk, clock: FixedClock, **overrides: Any) -> Desk:
    values: dict[str, Any] = dict(
        customers_api_token=TOKEN, journey_template=TEMPLATE, slack_supervisors=BOSS
    )
    values.update(overrides)
    return await start_desk(clock, **values)


async def push(desk: Desk, *records: dict[str, Any]) -> None:
    async with desk.http.post(
        f"{desk.url}/customers", json=list(records), headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        assert response.status == 200, await response.text()


async def run_day(desk: Desk) -> None:
    """The worker's tick at the clock's time, then every queued message delivered."""
    await desk.bot.journey_worker.tick()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        [(waiting,)] = await desk.rows(
            "SELECT COUNT(*) FROM broadcast_recipients WHERE state IN ('queued', 'sending', 'unconfirmed')"
        )
        if not waiting:
            await desk.settle()
            return
        desk.bot.broadcast_worker.wake()
        await asyncio.sleep(0.02)
    raise AssertionError("journey messages not delivered")


def received(desk: Desk, phone: str) -> list[str]:
    """What the customer saw: free texts, and template variables marked as such."""
    seen = []
    for message in desk.graph.sent_to(phone):
        if message.get("type") == "text":
            seen.append(message["text"]["body"])
        elif message.get("type") == "template":
            assert message["template"]["name"] == TEMPLATE
            [body] = message["template"]["components"]
            seen.append("template: " + body["parameters"][0]["text"])
    return seen


def one_line(text: str) -> str:
    return "template: " + text.replace("\n", " ")


async def test_two_weeks_of_journeys_each_message_once_on_its_day(start_desk: StartDesk) -> None:
    clock = FixedClock(START)
    desk = await start(start_desk, clock)
    signup = START.date().isoformat()
    await push(
        desk,
        {"name": "Maria Silva", "phone": MARIA, "signup_date": signup, "setup_done": False, "usage_count": 3},
        {"name": "João", "phone": JOAO, "signup_date": signup, "setup_done": True, "usage_count": 2},
        {"name": "Ana", "phone": ANA, "signup_date": signup, "setup_done": False, "usage_count": 40},
    )
    await desk.whatsapp(wa_text_message(ANA, "Ana", "PARAR", timestamp=int(START.timestamp())))
    await desk.settle()

    for day in range(16):
        if day == 5:  # the platform reports Maria's first week of use
            await push(desk, {"phone": MARIA, "usage_count": 12})
        for hour in (7, 10, 15, 21):  # quiet at 7 and 21; two runs in the day change nothing
            clock.set(START.replace(hour=hour) + timedelta(days=day))
            await run_day(desk)

    assert received(desk, MARIA) == [  # each greets her by name, though one text went to all
        one_line(personal(journeys_texts.ONBOARDING_CHECK, "Maria Silva")),
        one_line(personal(journeys_texts.usage_milestone(10), "Maria Silva")),
        one_line(personal(journeys_texts.HEALTH_CHECK, "Maria Silva")),
    ]
    assert received(desk, MARIA)[0].startswith("template: Oi, Maria! 👋")
    assert received(desk, JOAO) == [one_line(personal(journeys_texts.HEALTH_CHECK, "João"))]
    assert received(desk, ANA) == [customers_texts.OPTED_OUT]  # only the confirmation of PARAR
    sent_at = await desk.rows(
        "SELECT c.address, j.trigger, j.at FROM journey_sends j JOIN customers c ON c.id = j.customer_id"
        " ORDER BY j.at, c.address"
    )
    assert [
        (phone, trigger, datetime.fromisoformat(at).astimezone(SP)) for phone, trigger, at in sent_at
    ] == [
        (MARIA, "onboarding_check", START + timedelta(days=3)),
        (MARIA, "usage_milestone", START + timedelta(days=7)),
        (MARIA, "health_check", START + timedelta(days=14)),
        (JOAO, "health_check", START + timedelta(days=14)),
    ]


async def test_free_text_inside_the_window_the_template_outside_and_a_reply_opens_a_ticket(
    start_desk: StartDesk,
) -> None:
    clock = FixedClock(START)
    desk = await start(start_desk, clock)
    renewal = (START + timedelta(days=30)).date()
    await push(
        desk,
        {"name": "Maria", "phone": MARIA, "plan": "Pro", "renewal_date": renewal.isoformat()},
        {"name": "João", "phone": JOAO, "plan": "Básico", "renewal_date": renewal.isoformat()},
    )
    wrote = int((START - timedelta(hours=2)).timestamp())
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi, tudo certo por aqui", timestamp=wrote))
    await desk.settle()
    [ticket_parent] = desk.parents()  # before any journey message

    await run_day(desk)
    date = f"{renewal:%d/%m/%Y}"
    assert received(desk, MARIA) == [personal(journeys_texts.renewal_reminder("Pro", date, 30), "Maria")]
    assert received(desk, JOAO) == [
        one_line(personal(journeys_texts.renewal_reminder("Básico", date, 30), "João"))
    ]
    assert "PARAR" in received(desk, JOAO)[0]
    again = await desk.bot.journeys.run()  # a second run the same day (after a restart): the ledger knows
    assert again is not None and again.total == 0

    # João answers the reminder: an ordinary conversation with the desk
    answer = int(clock.advance(minutes=30).timestamp())
    await desk.whatsapp(wa_text_message(JOAO, "João", "Quero mudar para o plano Pro", timestamp=answer))
    await desk.settle()
    parents = [p for p in desk.parents() if p["text"].startswith("Ticket")]
    assert len(parents) == 2 and parents[0]["ts"] == ticket_parent["ts"]
    assert [m["text"] for m in desk.thread_of(parents[1])] == ["Quero mudar para o plano Pro"]


async def test_without_a_template_customers_outside_the_window_get_nothing(start_desk: StartDesk) -> None:
    clock = FixedClock(START)
    desk = await start(start_desk, clock, journey_template="")
    signup = (START - timedelta(days=14)).date().isoformat()
    await push(desk, {"name": "João", "phone": JOAO, "signup_date": signup})
    await run_day(desk)
    assert received(desk, JOAO) == []
    assert await desk.rows("SELECT state, reason FROM broadcast_recipients") == [("skipped", "no_template")]
    await run_day(desk)
    assert len(await desk.rows("SELECT * FROM broadcast_recipients")) == 1  # not tried again


async def test_a_supervisor_announces_a_feature_to_recently_active_customers(start_desk: StartDesk) -> None:
    clock = FixedClock(START.replace(hour=21))
    desk = await start(start_desk, clock)
    recent = (START - timedelta(days=3)).isoformat()
    await push(
        desk,
        {"name": "Maria", "phone": MARIA, "last_active": recent},
        {"name": "João", "phone": JOAO, "last_active": (START - timedelta(days=45)).isoformat()},
        {"name": "Bia", "phone": BIA},
    )

    feature = "Agora você pode exportar seus relatórios em PDF!"
    refused = await desk.command(f"anunciar {feature}", user="UANA")
    assert "supervisor" in refused["text"].lower()
    assert (await desk.command("anunciar", user=BOSS))["text"] == journeys_texts.ANNOUNCE_USAGE
    answer = await desk.command(f"anunciar {feature}", user=BOSS)
    assert answer["text"] == journeys_texts.announcement_queued(1, 1, "20:00 e 08:00")

    await run_day(desk)  # 21:00: quiet hours, nothing goes
    assert received(desk, MARIA) == []
    clock.set(START.replace(hour=8) + timedelta(days=1))
    await run_day(desk)
    assert received(desk, MARIA) == [
        one_line(personal(journeys_texts.feature_announcement(feature), "Maria"))
    ]
    assert received(desk, JOAO) == received(desk, BIA) == []
    [(actor, detail)] = await desk.rows("SELECT actor, detail FROM events WHERE action = 'journey.announced'")
    assert (actor, detail) == (BOSS, "anúncio #1")


async def test_the_lgpd_copy_lists_the_journey_messages_sent(start_desk: StartDesk) -> None:
    clock = FixedClock(START)
    desk = await start(start_desk, clock)
    signup = (START - timedelta(days=14)).date().isoformat()
    await push(desk, {"name": "João", "phone": JOAO, "signup_date": signup})
    await run_day(desk)
    await desk.command(f"lgpd exportar {JOAO}", user=BOSS)
    [export] = [f for f in desk.slack.files.values() if f["name"].startswith("lgpd-")]
    [sent] = json.loads(export["data"])["dados"]["journey_sends"]
    assert sent["trigger"] == "health_check"


async def test_with_journeys_turned_off_nothing_runs_and_nothing_is_announced(start_desk: StartDesk) -> None:
    desk = await start(start_desk, FixedClock(START), journeys_enabled=False)
    assert desk.bot.journey_worker is None
    answer = await desk.command("anunciar Novidade!", user=BOSS)
    assert "anunciar" not in answer["text"].split("\n\n")[-1]  # not among the subcommands offered
    assert await desk.rows("SELECT * FROM announcements") == []
