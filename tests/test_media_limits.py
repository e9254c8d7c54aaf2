"""Files over MAX_MEDIA_BYTES: a visible note instead of the file, never a crash, never read past the cap.

Files under the cap travel through a temporary file and Slack's streamed upload; that memory
stays flat is measured by ``bench/media_memory.py``, not asserted here.
"""

from __future__ import annotations

from testing.slack_payloads import slack_message_event
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_document
from testing.whatsapp_webhooks import wa_media_message, wa_text_message
from tests.conftest import CHANNEL, StartDesk, post_telegram, telegram_settings
from tests.test_media import JOAO, PDF, thread_files

CAP = 1_000
BIG_PDF = b"%PDF-1.4 " + b"x" * 4_000  # 4 KB: over the test's 1 KB cap


async def test_a_whatsapp_file_declared_over_the_cap_is_a_note_and_is_never_downloaded(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(max_media_bytes=CAP)
    desk.graph.add_media("2001", BIG_PDF, "application/pdf")
    desk.graph.add_media("2002", PDF, "application/pdf")
    await desk.whatsapp(
        wa_media_message(JOAO, "João", "document", "2001", "application/pdf", filename="a.pdf")
    )
    await desk.whatsapp(
        wa_media_message(JOAO, "João", "document", "2002", "application/pdf", filename="b.pdf")
    )
    await desk.settle()

    [parent] = desk.parents()
    note, small = desk.thread_of(parent)
    assert note["text"] == (
        "⚠️ O cliente enviou documento, mas ele é grande demais para trazer para cá"
        " (o arquivo tem 4 KB, acima do limite de 1 KB). Peça que envie por outro meio, como um link."
    )
    assert note["username"] == "João" and not note.get("files")
    assert [desk.slack.files[f["id"]]["data"] for f in thread_files(desk)] == [
        PDF
    ]  # the next file still comes
    downloads = [c.path for c in desk.graph.calls_to("media.download")]
    assert downloads == ["/download/2002"]  # the big one was refused by its declared size


async def test_a_whatsapp_file_larger_than_declared_stops_at_the_cap(start_desk: StartDesk) -> None:
    desk = await start_desk(max_media_bytes=CAP)
    desk.graph.add_media("2003", BIG_PDF, "application/pdf", file_size=500)  # Graph says 500 bytes
    await desk.whatsapp(wa_media_message(JOAO, "João", "document", "2003", "application/pdf"))
    await desk.settle()
    [parent] = desk.parents()
    [note] = desk.thread_of(parent)
    assert "grande demais" in note["text"] and "acima do limite" in note["text"]
    assert thread_files(desk) == []


async def test_a_telegram_file_over_the_cap_is_a_note(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_desk(max_media_bytes=CAP, **telegram_settings(telegram))
    await telegram.wait_for(lambda fake: fake.webhook)
    telegram.add_file("DO9", BIG_PDF, "documents/file_9.pdf")
    assert (
        await post_telegram(desk, tg_document(4123, "Ana", "DO9", "grande.pdf", "application/pdf"))
    ).status == 200
    await desk.settle()
    [parent] = desk.parents()
    [note] = desk.thread_of(parent)
    assert "grande demais" in note["text"] and thread_files(desk) == []


async def test_an_agent_file_over_the_cap_is_not_sent_and_the_thread_says_why(start_desk: StartDesk) -> None:
    desk = await start_desk(max_media_bytes=CAP)
    await desk.whatsapp(wa_text_message(JOAO, "João", "Pode mandar a nota?"))
    await desk.settle()
    [parent] = desk.parents()
    big = desk.slack.add_file("F9", "nota.pdf", BIG_PDF, "application/pdf")
    msg = desk.slack.post_as_user(CHANNEL, "UANA", "Segue", thread_ts=parent["ts"], files=[big])
    await desk.slack_event(
        slack_message_event(CHANNEL, "UANA", "Segue", ts=msg["ts"], thread_ts=parent["ts"], files=[big])
    )
    await desk.settle()
    assert desk.graph.uploaded == {} and desk.graph.sent == []
    assert desk.slack.message(CHANNEL, msg["ts"])["reactions"] == ["x"]
    assert any("acima do limite" in m["text"] for m in desk.thread_of(parent))
