"""`atende demo` through its page API: the emulators behave like the platforms and bad input is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.demo.app import Demo
from bot.demo.customers import DEFAULT_CUSTOMERS
from bot.demo.scenarios import SCENARIOS, play
from core.customers.model import Channel
from core.tickets.model import Choice
from handlers.slack.commands import CommandReply, CommandRequest
from handlers.slack.ticket_blocks import CLAIM

MARIA = DEFAULT_CUSTOMERS[0].phone


async def post(demo: Demo, path: str, body: dict) -> tuple[int, dict | str]:
    async with aiohttp.ClientSession() as http, http.post(demo.url + path.lstrip("/"), json=body) as response:
        text = await response.text()
        return response.status, (
            await response.json() if response.content_type == "application/json" else text
        )


async def state(demo: Demo, agent: str = "U0ANA") -> dict:
    async with aiohttp.ClientSession() as http, http.get(demo.url + f"api/state?agent={agent}") as response:
        return await response.json()


async def test_the_page_is_served(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        for path, needle in (("", "atende"), ("page/demo.js", "api/state"), ("page/demo.css", ".phone")):
            async with http.get(demo.url + path) as response:
                assert response.status == 200
                assert needle in await response.text()
        async with http.get(demo.url + "page/..%2Fdemo.py") as response:
            assert response.status == 404


async def test_a_customer_message_reaches_the_desk_and_statuses_come_back(demo: Demo) -> None:
    assert (await post(demo, "/api/phone/send", {"phone": MARIA, "text": "Oi, preciso de ajuda"}))[0] == 200
    await demo.slack.wait_for(lambda fake: len(fake.channel_messages(demo.support_channel)) == 1)
    assert demo.api is not None
    await demo.api.press_ticket_button("U0ANA", MARIA, CLAIM)
    await demo.api.answer_ticket("U0ANA", MARIA, "Oi, Maria! Já vou te ajudar.")
    await demo.graph.wait_for(lambda fake: fake.sent_texts(MARIA))
    # the emulated WhatsApp reports sent and delivered by itself; the phone reading it marks it read
    await demo.slack.wait_for(
        lambda fake: any("mailbox_with_mail" in m["reactions"] for m in fake.messages.values())
    )
    await post(demo, "/api/phone/read", {"phone": MARIA})
    await demo.slack.wait_for(lambda fake: any("eyes" in m["reactions"] for m in fake.messages.values()))
    bubbles = (await state(demo))["phones"][MARIA]
    assert [(b["direction"], b["text"]) for b in bubbles] == [
        ("in", "Oi, preciso de ajuda"),
        ("out", "Oi, Maria! Já vou te ajudar."),
    ]
    assert bubbles[1]["status"] == "read"


async def test_a_voice_note_from_the_phone_is_uploaded_into_the_thread(demo: Demo) -> None:
    data = aiohttp.FormData()
    data.add_field("phone", MARIA)
    data.add_field("voice", "1")
    data.add_field("file", b"OggS fake voice", filename="nota.ogg", content_type="audio/ogg")
    async with aiohttp.ClientSession() as http, http.post(demo.url + "api/phone/file", data=data) as response:
        assert response.status == 200
    await demo.slack.wait_for(lambda fake: any(f["data"] == b"OggS fake voice" for f in fake.files.values()))


async def test_choices_sent_to_the_phone_can_be_tapped(demo: Demo) -> None:
    assert demo.bot is not None
    await post(demo, "/api/phone/send", {"phone": MARIA, "text": "Oi"})
    await demo.slack.wait_for(lambda fake: fake.channel_messages(demo.support_channel))
    # the bot offers choices (as CSAT does); the phone shows them as buttons and a tap answers
    channel = demo.bot.channels[Channel.WHATSAPP]
    await channel.send_choices(MARIA, "Deu certo?", [Choice("sim", "Sim"), Choice("nao", "Não")], "Responder")
    [offer] = [b for b in (await state(demo))["phones"][MARIA] if b["buttons"]]
    assert [b["title"] for b in offer["buttons"]] == ["Sim", "Não"]
    status, _ = await post(
        demo, "/api/phone/tap", {"phone": MARIA, "context": offer["id"], "id": "sim", "title": "Sim"}
    )
    assert status == 200
    await demo.slack.wait_for(
        lambda fake: any("🔘 Sim" in (m.get("text") or "") for m in fake.messages.values())
    )


async def test_slash_commands_and_modals_belong_to_the_person_who_used_them(demo: Demo) -> None:
    assert demo.bot is not None and demo.api is not None
    client = demo.bot.slack_client

    async def open_form(request: CommandRequest) -> CommandReply:
        await client.views_open(
            trigger_id=request.trigger_id,
            view={
                "type": "modal",
                "callback_id": "demo.form",
                "title": {"type": "plain_text", "text": "Formulário"},
                "submit": {"type": "plain_text", "text": "Enviar"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "nome",
                        "label": {"type": "plain_text", "text": "Nome"},
                        "element": {"type": "plain_text_input", "action_id": "nome"},
                    }
                ],
            },
        )
        return CommandReply("abrindo…")

    demo.bot.commands.add("formulario", open_form, help="abre um formulário")
    submitted: list[dict] = []

    @demo.bot.bolt.view("demo.form")
    async def on_submit(ack, view) -> None:  # type: ignore[no-untyped-def]
        value = view["state"]["values"]["nome"]["nome"]["value"]
        if not value:
            await ack(response_action="errors", errors={"nome": "Diga um nome"})
            return
        submitted.append(view["state"]["values"])
        await ack()

    status, answer = await post(demo, "/api/slack/command", {"agent": "U0BRUNO", "text": "formulario"})
    assert status == 200 and isinstance(answer, dict) and answer["text"] == "abrindo…"
    bruno, ana = await state(demo, "U0BRUNO"), await state(demo, "U0ANA")
    assert bruno["modal"]["title"]["text"] == "Formulário" and ana["modal"] is None
    assert any(e.get("text") == "abrindo…" for e in bruno["ephemerals"])

    view_id = bruno["modal"]["id"]
    empty = {"nome": {"nome": {"type": "plain_text_input", "value": None}}}
    _, refused = await post(
        demo, "/api/slack/submit", {"agent": "U0BRUNO", "view_id": view_id, "values": empty}
    )
    assert refused == {"response_action": "errors", "errors": {"nome": "Diga um nome"}}
    assert (await state(demo, "U0BRUNO"))["modal"] is not None  # still open to be fixed
    filled = {"nome": {"nome": {"type": "plain_text_input", "value": "Bruno"}}}
    await post(demo, "/api/slack/submit", {"agent": "U0BRUNO", "view_id": view_id, "values": filled})
    assert submitted == [filled]
    assert (await state(demo, "U0BRUNO"))["modal"] is None


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/phone/send", {"phone": MARIA}, 400),
        ("/api/phone/send", {"phone": "5500000000000", "text": "oi"}, 404),
        ("/api/customers", {"name": "Zé", "phone": "123"}, 400),
        ("/api/slack/submit", {"agent": "U0ANA", "view_id": "V-nao-existe"}, 404),
        ("/api/slack/click", {"agent": "U0ANA"}, 400),
    ],
)
async def test_bad_requests_from_the_page_get_a_clear_4xx(
    demo: Demo, path: str, body: dict, status: int
) -> None:
    got, text = await post(demo, path, body)
    assert got == status
    assert text  # a reason a person can read


async def test_a_new_customer_can_be_created_and_write(demo: Demo) -> None:
    status, created = await post(
        demo, "/api/customers", {"name": "Zé da Padaria", "phone": "+55 (71) 99876-5432", "plan": "growth"}
    )
    assert status == 200 and created == {"phone": "5571998765432"}
    await post(demo, "/api/phone/send", {"phone": "5571998765432", "text": "Bom dia"})
    await demo.slack.wait_for(
        lambda fake: any(
            "Zé da Padaria" in str(m.get("blocks")) for m in fake.channel_messages(demo.support_channel)
        )
    )


async def test_customers_created_on_the_page_are_known_to_the_bot_with_their_plan(demo: Demo) -> None:
    assert demo.bot is not None
    status, _ = await post(
        demo,
        "/api/customers",
        {"name": "Rita", "phone": "+55 41 99876-5432", "plan": "scale", "signup": "2025-01-10"},
    )
    assert status == 200
    rows = await demo.bot.db.reader.execute_fetchall(
        "SELECT name, plan, signup_date FROM customers WHERE address = '5541998765432'"
    )
    assert [tuple(r) for r in rows] == [("Rita", "scale", "2025-01-10")]
    starting = await demo.bot.db.reader.execute_fetchall(
        "SELECT plan FROM customers WHERE address = ?", (MARIA,)
    )
    assert [r[0] for r in starting] == [DEFAULT_CUSTOMERS[0].plan]

    status, answer = await post(
        demo, "/api/customers", {"name": "Zé", "phone": "5541991112222", "signup": "31/02/2025"}
    )
    assert status == 400 and "signup_date" in str(answer)
    assert "5541991112222" not in [c["phone"] for c in (await state(demo))["customers"]]


# what the customer's phone shows once each scenario has played: the agent's answer
SCENARIO_ENDINGS = {
    "first_login": (DEFAULT_CUSTOMERS[0].phone, "Esqueci minha senha"),
    "whatsapp_connection": (DEFAULT_CUSTOMERS[1].phone, "Configurações > Integrações > WhatsApp"),
    "billing_dispute": (DEFAULT_CUSTOMERS[2].phone, "abri o estorno da duplicada"),
    "crisis": (DEFAULT_CUSTOMERS[0].phone, "o painel e o app não carregam"),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_each_scenario_plays_to_the_end(demo: Demo, name: str) -> None:
    assert demo.api is not None
    await play(demo.api, name, pace=0)  # raises if a step finds nothing to act on
    # every scenario's conversation ends up on the desk (at pace 0 the bot may still be posting)
    await demo.slack.wait_for(lambda fake: fake.channel_messages(demo.support_channel))
    phone, words = SCENARIO_ENDINGS[name]
    await demo.graph.wait_for(lambda fake: any(words in t for t in fake.sent_texts(phone)))


async def test_the_crisis_scenario_declares_a_crisis_and_tells_the_customers(demo: Demo) -> None:
    assert demo.api is not None and demo.bot is not None
    await play(demo.api, "crisis", pace=0)
    [(crisis_id, status)] = await demo.bot.db.reader.execute_fetchall("SELECT id, status FROM crises")
    assert crisis_id.startswith("SUPPORT_CRISIS_") and status == "investigando"
    lucia = DEFAULT_CUSTOMERS[2].phone  # never wrote: outside the window, gets the approved template
    await demo.graph.wait_for(lambda fake: fake.sent_templates(lucia) and fake.sent_texts(MARIA))
    assert "o painel e o app não carregam" in str(demo.graph.sent_templates(lucia))
    assert any("o painel e o app não carregam" in t for t in demo.graph.sent_texts(MARIA))


async def test_picking_a_crisis_scenario_on_the_page_redraws_the_form_with_its_message(demo: Demo) -> None:
    await post(demo, "/api/slack/command", {"agent": "U0CARLA", "text": "crise"})
    form = (await state(demo, "U0CARLA"))["modal"]
    typed = {"description": {"description": {"type": "plain_text_input", "value": "cobrança em dobro"}}}
    status, _ = await post(
        demo,
        "/api/slack/click",
        {
            "agent": "U0CARLA",
            "action_id": "crisis.scenario",
            "value": "billing_system_failure",
            "type": "static_select",
            "block_id": "scenario",
            "view_id": form["id"],
            "values": typed,
        },
    )
    assert status == 200
    await demo.slack.wait_for(lambda fake: "devolvemos o valor" in str(fake.views[form["id"]]["view"]))
    redrawn = (await state(demo, "U0CARLA"))["modal"]
    fields = {b["block_id"]: b["element"] for b in redrawn["blocks"] if b["type"] == "input"}
    assert fields["scenario"]["initial_option"]["value"] == "billing_system_failure"
    assert fields["description"]["initial_value"] == "cobrança em dobro"  # what was typed stays


async def test_each_agent_opens_their_own_app_home(demo: Demo) -> None:
    status, _ = await post(demo, "/api/slack/home", {"agent": "U0ANA"})
    assert status == 200
    await demo.slack.wait_for(lambda fake: "U0ANA" in fake.home_tabs)
    ana = await state(demo, "U0ANA")
    assert ana["home"]["type"] == "home" and ana["home"]["blocks"]
    assert (await state(demo, "U0BRUNO"))["home"] is None  # Bruno has not opened his yet


@pytest.fixture
async def offline_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Demo]:
    """The demo with the offline AI, as it runs by default (no key in the environment)."""
    monkeypatch.setenv("AI_ENABLED", "true")
    for key in ("GEMINI_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    running = Demo(port=0, database_path=str(tmp_path / "demo.db"))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def test_the_billing_dispute_scenario_goes_to_a_person(offline_demo: Demo) -> None:
    running = offline_demo
    assert running.api is not None and running.bot is not None
    await play(running.api, "billing_dispute", pace=0)
    lucia = DEFAULT_CUSTOMERS[2].phone
    await running.graph.wait_for(lambda fake: len(fake.sent_texts(lucia)) >= 2)
    escalations = await running.bot.db.reader.execute_fetchall("SELECT tier, reason FROM escalations")
    assert escalations, "the AI hands a billing dispute to a person"
    [(assignee,)] = await running.bot.db.reader.execute_fetchall("SELECT assignee FROM tickets")
    assert assignee == "U0CARLA"
    first, answer = running.graph.sent_texts(lucia)[:2]
    assert "pessoa da nossa equipe" in first and answer.startswith("Dona Lúcia")


@pytest.mark.parametrize(
    "question", ["Oi, esqueci minha senha, como recupero?", "como faço para conectar meu WhatsApp Business?"]
)
async def test_a_newcomers_first_question_is_answered_by_the_offline_ai_without_escalating(
    offline_demo: Demo, question: str
) -> None:
    running = offline_demo
    assert running.api is not None and running.bot is not None
    maria = DEFAULT_CUSTOMERS[0].phone
    await running.api.customer_says(maria, question)
    await running.graph.wait_for(lambda fake: fake.sent_texts(maria))
    reader = running.bot.db.reader
    authors = await reader.execute_fetchall("SELECT author FROM messages WHERE direction = 'out'")
    assert [tuple(row) for row in authors] == [("ai:offline-rules",)]  # the AI answered, alone
    [triage] = await reader.execute_fetchall("SELECT category, requires_human, tier FROM ai_triage")
    assert tuple(triage) == ("onboarding", 0, 1)  # no "recuperação de dados" at tier 3
    assert list(await reader.execute_fetchall("SELECT tier FROM escalations")) == []
