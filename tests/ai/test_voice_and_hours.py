"""Voice notes are heard (or handed to a person), and customers who write while the desk is closed are told when it opens."""

from __future__ import annotations

from datetime import UTC, datetime

from testing.whatsapp_webhooks import wa_media_message
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import MARIA, write

OGG = b"OggS\x00fake-voice-note"
# Saturday 21 November 2026, 15:00 in São Paulo: closed until Monday 23/11 at 8h
SATURDAY = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
# Monday 2 November 2026 (Finados, a national holiday), 10:00 in São Paulo: closed until Tuesday 03/11
FINADOS = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)


async def send_voice_note(desk: AIDesk) -> None:
    desk.graph.add_media("7001", OGG, "audio/ogg; codecs=opus")
    response = await desk.whatsapp(
        wa_media_message(MARIA, "Maria", "audio", "7001", "audio/ogg; codecs=opus", voice=True)
    )
    assert response.status == 200
    await desk.settle()


async def test_a_voice_note_is_transcribed_by_gemini_and_answered_like_text(ai_desk: AIDesk) -> None:
    await send_voice_note(ai_desk)

    assert ai_desk.gemini.audio == [("audio/ogg", OGG)]
    texts = ai_desk.texts()
    [transcript] = [t for t in texts if t.startswith("📝 *Transcrição*")]
    assert "Não consigo entrar na plataforma" in transcript and "`gemini-2.5-flash`" in transcript
    assert "Primeiros passos" in next(t for t in texts if t.startswith("🤖"))
    [answer] = ai_desk.sent_texts()
    assert "Confirme o seu e-mail" in answer
    assert (await ai_desk.rows("SELECT transcript IS NOT NULL FROM ai_triage")) == [(1,)]


async def test_without_gemini_a_voice_note_waits_for_a_person(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(use_gemini=False)
    await send_voice_note(desk)

    assert any("precisa de uma pessoa para ouvir" in t.lower() for t in desk.texts())
    assert len(desk.thread()[0].get("files") or []) == 1  # the audio itself stays in the thread
    [told] = desk.sent_texts()
    assert "Recebi seu áudio" in told
    assert (await desk.rows("SELECT reason, requires_human FROM ai_triage")) == [("audio_needs_person", 1)]


async def test_on_saturday_the_ai_answers_and_says_when_a_person_is_back(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(at=SATURDAY)
    await write(desk, "Não consigo entrar na plataforma, a senha dá errada")

    [answer] = desk.sent_texts()
    assert "Confirme o seu e-mail" in answer
    assert "volta segunda-feira (23/11) às 8h" in answer


async def test_on_a_holiday_a_draft_waits_and_the_customer_hears_when_the_desk_opens_once(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(at=FINADOS)
    await write(desk, "A integração com o Instagram desconectou sozinha")
    await write(desk, "A integração continua desconectada")

    [told] = desk.sent_texts()
    assert "volta terça-feira (03/11) às 8h" in told
    assert len(desk.draft_posts()) == 2  # the answers wait for an agent


async def test_during_business_hours_a_draft_sends_nothing_to_the_customer(ai_desk: AIDesk) -> None:
    await write(ai_desk, "A integração com o Instagram desconectou sozinha")

    assert ai_desk.sent_texts() == []
    assert len(ai_desk.draft_posts()) == 1
