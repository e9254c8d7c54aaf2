"""Telegram files both ways, platform faults, a customer who blocked the bot, and inline keyboards."""

from __future__ import annotations

from core.tickets.model import Choice
from handlers.telegram.channel import TelegramChannel, make_bot
from handlers.telegram.parse import to_message
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_audio, tg_callback, tg_document, tg_photo, tg_text, tg_voice
from tests.conftest import CHANNEL, TG_TOKEN, Desk, StartDesk, post_telegram, telegram_settings
from tests.test_conversation_loop import agent_says

ANA = 412345678
JPEG = b"\xff\xd8\xff\xe0fake-jpeg-bytes"
OGG = b"OggS\x00fake-voice-note"
PDF = b"%PDF-1.4 fake invoice"
MP3 = b"ID3\x03fake-song"
MP4 = b"\x00\x00\x00\x18ftypmp42fake-video"


async def opened(desk: Desk, text: str = "Oi") -> dict:
    """Ana writes first; returns the ticket's parent message."""
    await post_telegram(desk, tg_text(ANA, "Ana", text))
    await desk.settle()
    [parent] = desk.parents()
    return parent


def thread_files(desk: Desk) -> list[dict]:
    [parent] = desk.parents()
    return [desk.slack.files[f["id"]] for m in desk.thread_of(parent) for f in (m.get("files") or [])]


async def test_photo_voice_note_document_and_audio_are_uploaded_into_the_thread(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    telegram.add_file("PH1", JPEG, "photos/file_1.jpg")
    telegram.add_file("VO1", OGG, "voice/file_2.oga")
    telegram.add_file("DO1", PDF, "documents/file_3.pdf")
    telegram.add_file("AU1", MP3, "music/file_4.mp3")
    for update in (
        tg_photo(ANA, "Ana", "PH1", caption="Tela do erro"),
        tg_voice(ANA, "Ana", "VO1"),
        tg_document(ANA, "Ana", "DO1", "boleto.pdf", "application/pdf"),
        tg_audio(ANA, "Ana", "AU1", "jingle.mp3"),
    ):
        assert (await post_telegram(tdesk, update)).status == 200
    await tdesk.settle()

    uploaded = thread_files(tdesk)
    assert [u["data"] for u in uploaded] == [JPEG, OGG, PDF, MP3]
    assert uploaded[2]["name"] == "boleto.pdf" and uploaded[3]["name"] == "jingle.mp3"
    [parent] = tdesk.parents()
    comments = [m["text"] for m in tdesk.thread_of(parent)]
    assert "Tela do erro" in comments[0] and "Mensagem de voz" in comments[1] and "Documento" in comments[2]


async def test_a_file_telegram_will_not_serve_is_reported_in_the_thread(tdesk: Desk) -> None:
    await post_telegram(tdesk, tg_photo(ANA, "Ana", "GONE"))
    await tdesk.settle()
    [parent] = tdesk.parents()
    [note] = tdesk.thread_of(parent)
    assert "não consegui baixar" in note["text"] and "Invalid file_id" in note["text"]


async def test_agent_files_reach_the_customer_as_photo_and_document(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    parent = await opened(tdesk, "Pode mandar o comprovante?")
    image = tdesk.slack.add_file("F1", "print.jpg", JPEG, "image/jpeg")
    pdf = tdesk.slack.add_file("F2", "nota.pdf", PDF, "application/pdf")
    await agent_says(tdesk, parent["ts"], "UANA", "Segue", files=[image, pdf])
    await tdesk.settle()

    photo, document = telegram.sent_to(ANA)
    assert (photo["method"], photo["caption"], photo["file"][0]) == ("sendPhoto", "Segue", JPEG)
    assert (document["method"], document["file"][:2]) == ("sendDocument", (PDF, "nota.pdf"))
    assert "caption" not in document


async def test_agent_voice_notes_audio_and_video_reach_the_customer_as_such(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    parent = await opened(tdesk, "Me manda um áudio explicando?")
    voice = tdesk.slack.add_file("F1", "explicacao.ogg", OGG, "audio/ogg")
    song = tdesk.slack.add_file("F2", "jingle.mp3", MP3, "audio/mpeg")
    video = tdesk.slack.add_file("F3", "tutorial.mp4", MP4, "video/mp4")
    await agent_says(tdesk, parent["ts"], "UANA", "Aqui está", files=[voice, song, video])
    await tdesk.settle()

    sent = telegram.sent_to(ANA)
    assert [(m["method"], m["file"][0]) for m in sent] == [
        ("sendVoice", OGG),  # plays as a voice note in the chat
        ("sendAudio", MP3),
        ("sendVideo", MP4),
    ]
    assert sent[0]["caption"] == "Aqui está"


async def test_throttling_and_server_errors_are_retried_in_order(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    parent = await opened(tdesk)
    telegram.fail("sendMessage", status=429, retry_after=0.2)
    telegram.fail("sendMessage", status=502)
    await agent_says(tdesk, parent["ts"], "UANA", "primeira")
    await agent_says(tdesk, parent["ts"], "UANA", "segunda")
    await tdesk.settle()

    assert telegram.sent_texts(ANA) == ["primeira", "segunda"]
    faulted = [c for c in telegram.calls_to("sendMessage") if c.faulted]
    assert [c.status for c in faulted] == [429, 502]
    assert not any("não entregue" in m["text"] for m in tdesk.thread_of(parent))


async def test_a_customer_who_blocked_the_bot_is_shown_in_the_thread_not_retried(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    parent = await opened(tdesk)
    telegram.block(ANA)
    reply_ts = await agent_says(tdesk, parent["ts"], "UANA", "Conseguiu acessar?")
    await tdesk.settle()

    assert len(telegram.calls_to("sendMessage")) == 1  # tried once: blocking is not a hiccup
    assert tdesk.slack.message(CHANNEL, reply_ts)["reactions"] == ["x"]
    [reason] = [m["text"] for m in tdesk.thread_of(parent) if "não entregue" in m["text"]]
    assert "bloqueou" in reason and "bot was blocked by the user" in reason


async def test_a_send_that_keeps_failing_is_given_up_and_said(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_desk(**telegram_settings(telegram), outbox_max_attempts=2)
    parent = await opened(desk)
    telegram.fail("sendMessage", status=500, times=None)
    reply_ts = await agent_says(desk, parent["ts"], "UANA", "Oi?")
    await desk.settle()
    assert len(telegram.calls_to("sendMessage")) == 2
    assert desk.slack.message(CHANNEL, reply_ts)["reactions"] == ["x"]


async def test_choices_are_an_inline_keyboard_and_a_tap_comes_back_as_the_pick(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    await opened(tdesk)
    bot = make_bot(TG_TOKEN, telegram.url, timeout=5, poll_timeout=0)
    rating = [Choice(str(n), "⭐" * n) for n in range(1, 6)]
    await TelegramChannel(bot).send_choices(str(ANA), "Como foi o atendimento?", rating, "Avaliar")
    yes_no = [Choice("sim", "Sim"), Choice("nao", "Não")]
    await TelegramChannel(bot).send_choices(str(ANA), "Resolvemos?", yes_no, "Responder")
    await bot.shutdown()

    keyboard, short = telegram.sent_to(ANA)
    rows = keyboard["reply_markup"]["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in rows] == [["1"], ["2"], ["3"], ["4"], ["5"]]
    assert [[b["text"] for b in row] for row in short["reply_markup"]["inline_keyboard"]] == [["Sim", "Não"]]

    tap = tg_callback(ANA, "Ana", "5", keyboard)
    pick = to_message(tap)
    assert pick is not None and pick.choice_id == "5"
    for _ in range(2):  # Telegram re-delivers: still one pick
        assert (await post_telegram(tdesk, tap)).status == 200
    await tdesk.settle()
    [parent] = tdesk.parents()
    assert [m["text"] for m in tdesk.thread_of(parent)][-1] == "🔘 ⭐⭐⭐⭐⭐"
    assert sum(m["text"] == "🔘 ⭐⭐⭐⭐⭐" for m in tdesk.thread_of(parent)) == 1
    await telegram.wait_for(lambda fake: tap["callback_query"]["id"] in fake.answered_callbacks)


async def test_a_long_answer_goes_in_several_messages_and_a_long_caption_before_the_file(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    parent = await opened(tdesk)
    paragraphs = [f"Parágrafo {n}: " + "passo a passo " * 40 for n in range(12)]  # ~7,000 characters
    await agent_says(tdesk, parent["ts"], "UANA", "\n".join(paragraphs))
    image = tdesk.slack.add_file("F1", "print.jpg", JPEG, "image/jpeg")
    long_caption = "Veja o destaque em vermelho. " * 60  # ~1,700 characters
    await agent_says(tdesk, parent["ts"], "UANA", long_caption, files=[image])
    await tdesk.settle()

    *texts, caption_text, photo = telegram.sent_to(ANA)
    assert len(texts) == 2 and all(len(t["text"]) <= 4096 for t in texts)
    assert "\n".join(t["text"] for t in texts) == "\n".join(paragraphs).strip()
    assert caption_text["text"] == long_caption.strip()
    assert photo["method"] == "sendPhoto" and "caption" not in photo
