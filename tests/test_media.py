"""Files, places, contacts and reactions travel both ways and are never dropped."""

from __future__ import annotations

from testing.slack_payloads import slack_message_event
from testing.whatsapp_webhooks import wa_contact, wa_media_message, wa_text_message, wa_value, wa_webhook
from tests.conftest import CHANNEL, Desk

JOAO = "5521998887777"
JPEG = b"\xff\xd8\xff\xe0fake-jpeg-bytes"
OGG = b"OggS\x00fake-voice-note"
PDF = b"%PDF-1.4 fake invoice"


def thread_files(desk: Desk) -> list[dict]:
    [parent] = desk.parents()
    return [f for m in desk.thread_of(parent) for f in (m.get("files") or [])]


async def test_customer_photo_voice_note_and_document_are_uploaded_into_the_thread(desk: Desk) -> None:
    desk.graph.add_media("1001", JPEG, "image/jpeg")
    desk.graph.add_media("1002", OGG, "audio/ogg; codecs=opus")
    desk.graph.add_media("1003", PDF, "application/pdf")
    await desk.whatsapp(wa_media_message(JOAO, "João", "image", "1001", "image/jpeg", caption="Tela do erro"))
    await desk.whatsapp(wa_media_message(JOAO, "João", "audio", "1002", "audio/ogg; codecs=opus", voice=True))
    await desk.whatsapp(
        wa_media_message(JOAO, "João", "document", "1003", "application/pdf", filename="boleto.pdf")
    )
    await desk.settle()

    uploaded = [desk.slack.files[f["id"]] for f in thread_files(desk)]
    assert [u["data"] for u in uploaded] == [JPEG, OGG, PDF]
    assert uploaded[2]["name"] == "boleto.pdf"
    [parent] = desk.parents()
    comments = [m["text"] for m in desk.thread_of(parent)]
    assert "Tela do erro" in comments[0] and "Mensagem de voz" in comments[1] and "Documento" in comments[2]


async def test_a_file_whatsapp_cannot_serve_is_reported_in_the_thread(desk: Desk) -> None:
    await desk.whatsapp(wa_media_message(JOAO, "João", "image", "9999", "image/jpeg"))
    await desk.settle()
    [parent] = desk.parents()
    [note] = desk.thread_of(parent)
    assert "não consegui baixar" in note["text"]


async def test_location_and_contact_cards_are_shown_as_text(desk: Desk) -> None:
    location = {
        "from": JOAO,
        "id": "wamid.LOC",
        "timestamp": "1700000000",
        "type": "location",
        "location": {
            "latitude": -23.56,
            "longitude": -46.65,
            "name": "Loja",
            "address": "Av. Paulista, 1000",
        },
    }
    card = {
        "from": JOAO,
        "id": "wamid.CARD",
        "timestamp": "1700000001",
        "type": "contacts",
        "contacts": [{"name": {"formatted_name": "Ana Souza"}, "phones": [{"phone": "+55 11 91234-5678"}]}],
    }
    await desk.whatsapp(wa_webhook(wa_value([wa_contact(JOAO, "João")], [location, card])))
    await desk.settle()
    [parent] = desk.parents()
    texts = [m["text"] for m in desk.thread_of(parent)]
    assert "Av. Paulista, 1000" in texts[0] and "maps.google.com/?q=-23.56,-46.65" in texts[0]
    assert texts[1] == "👤 Contato: Ana Souza — +55 11 91234-5678"


async def test_customer_reaction_to_an_agent_message_shows_on_that_message(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(JOAO, "João", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    reply = desk.slack.post_as_user(CHANNEL, "UANA", "Resolvido!", thread_ts=parent["ts"])
    await desk.slack_event(
        slack_message_event(CHANNEL, "UANA", "Resolvido!", ts=reply["ts"], thread_ts=parent["ts"])
    )
    await desk.settle()
    [sent] = desk.graph.sent
    reaction = {
        "from": JOAO,
        "id": "wamid.REACT",
        "timestamp": "1700000002",
        "type": "reaction",
        "reaction": {"message_id": sent["id"], "emoji": "👍"},
    }
    await desk.whatsapp(wa_webhook(wa_value([wa_contact(JOAO, "João")], [reaction])))
    await desk.settle()
    assert "thumbsup" in desk.slack.message(CHANNEL, reply["ts"])["reactions"]


async def test_agent_files_reach_the_customer_as_image_or_document(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(JOAO, "João", "Pode mandar o comprovante?"))
    await desk.settle()
    [parent] = desk.parents()
    image = desk.slack.add_file("F1", "print.jpg", JPEG, "image/jpeg")
    pdf = desk.slack.add_file("F2", "nota.pdf", PDF, "application/pdf")
    msg = desk.slack.post_as_user(CHANNEL, "UANA", "Segue", thread_ts=parent["ts"], files=[image, pdf])
    await desk.slack_event(
        slack_message_event(
            CHANNEL, "UANA", "Segue", ts=msg["ts"], thread_ts=parent["ts"], files=[image, pdf]
        )
    )
    await desk.settle()

    kinds = [(s["type"], s[s["type"]].get("caption")) for s in desk.graph.sent]
    assert kinds == [("image", "Segue"), ("document", None)]
    uploaded = {data for data, _mime, _name in desk.graph.uploaded.values()}
    assert uploaded == {JPEG, PDF}
    assert desk.graph.sent[1]["document"]["filename"] == "nota.pdf"
