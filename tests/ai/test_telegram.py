"""The AI core is the same on Telegram: it reads, hears voice notes and answers in the customer's chat."""

from __future__ import annotations

from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_text, tg_voice
from tests.ai.conftest import StartAIDesk
from tests.conftest import post_telegram, telegram_settings

ANA = 412345678
OGG = b"OggS\x00fake-voice-note"


async def test_a_telegram_question_is_answered_by_the_ai_on_telegram(
    start_ai_desk: StartAIDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_ai_desk(**telegram_settings(telegram))
    update = tg_text(ANA, "Ana", "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada")
    assert (await post_telegram(desk, update)).status == 200
    await desk.settle()

    [answer] = telegram.sent_texts(ANA)
    assert "Confirme o seu e-mail" in answer
    assert desk.sent_texts() == []  # nothing on WhatsApp
    assert "Resposta automática enviada" in desk.texts()[1]  # under the AI's triage line
    assert await desk.rows("SELECT author, delivery FROM messages WHERE direction = 'out'") == [
        ("ai:gemini-2.5-flash", "sent")
    ]


async def test_a_telegram_voice_note_is_transcribed_and_answered(
    start_ai_desk: StartAIDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_ai_desk(**telegram_settings(telegram))
    telegram.add_file("VOICE1", OGG, "voice/file_9.oga")
    assert (await post_telegram(desk, tg_voice(ANA, "Ana", "VOICE1"))).status == 200
    await desk.settle()

    assert desk.gemini.audio == [("audio/ogg", OGG)]
    assert any(t.startswith("📝 *Transcrição*") for t in desk.texts())
    [answer] = telegram.sent_texts(ANA)
    assert "Confirme o seu e-mail" in answer
