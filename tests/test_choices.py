"""Choices offered to a customer (ratings, menus) and the pick coming back as ``choice_id``."""

from __future__ import annotations

import json

import pytest
from pywa_async import WhatsApp

from core.tickets.model import Choice
from handlers.whatsapp.channel import WhatsAppChannel, make_session
from handlers.whatsapp.parse import split, to_message
from testing.whatsapp_graph import FakeGraphAPI
from tests.conftest import PHONE_ID, SHARED, WA_TOKEN, needs_shared

RATING = [Choice(str(n), f"{n} ⭐", description=d) for n, d in enumerate(["ruim", "", "ok", "", "ótimo"], 1)]


async def test_three_short_choices_go_as_reply_buttons_more_as_a_list(graph: FakeGraphAPI) -> None:
    session = make_session(graph.url)
    channel = WhatsAppChannel(WhatsApp(phone_id=PHONE_ID, token=WA_TOKEN, session=session))
    try:
        yes_no = [Choice("sim", "Sim"), Choice("nao", "Não"), Choice("talvez", "Talvez")]
        await channel.send_choices("5511987654321", "Resolvemos seu problema?", yes_no, "Responder")
        await channel.send_choices("5511987654321", "Como foi o atendimento?", RATING, "Avaliar")
    finally:
        await session.aclose()

    buttons, listing = graph.sent_to("5511987654321")
    assert buttons["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in buttons["interactive"]["action"]["buttons"]] == ["sim", "nao", "talvez"]
    assert listing["interactive"]["type"] == "list"
    assert listing["interactive"]["action"]["button"] == "Avaliar"
    rows = listing["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["description"] == "ruim"


async def test_more_choices_than_a_list_holds_is_refused_before_sending(graph: FakeGraphAPI) -> None:
    session = make_session(graph.url)
    channel = WhatsAppChannel(WhatsApp(phone_id=PHONE_ID, token=WA_TOKEN, session=session))
    try:
        with pytest.raises(ValueError, match="at most 10"):
            await channel.send_choices(
                "5511987654321", "NPS", [Choice(str(n), str(n)) for n in range(11)], "Nota"
            )
    finally:
        await session.aclose()
    assert graph.sent == []


def _list_reply(row_id: str) -> dict:
    return {
        "from": "5511987654321",
        "id": "wamid.LIST1",
        "timestamp": "1764300000",
        "type": "interactive",
        "interactive": {
            "type": "list_reply",
            "list_reply": {"id": row_id, "title": "5 ⭐", "description": "ótimo"},
        },
    }


def test_the_pick_arrives_as_choice_id_and_stays_readable() -> None:
    message = to_message({"message": _list_reply("5"), "contact": None})
    assert message.choice_id == "5"
    assert message.text and "5 ⭐" in message.text


@needs_shared
def test_a_template_quick_reply_carries_its_payload_as_choice_id() -> None:
    body = json.loads((SHARED / "fixtures/whatsapp/flat/callback_button__quick_reply.json").read_text())
    (item,) = split(body)
    message = to_message(item.payload)
    assert message.choice_id == "callback_data"


def test_a_non_string_id_makes_the_message_unreadable_not_lost() -> None:
    message = to_message({"message": _list_reply(["5"]), "contact": None})  # type: ignore[arg-type]
    assert message.choice_id is None
    assert message.note  # shown to agents as an unreadable message
