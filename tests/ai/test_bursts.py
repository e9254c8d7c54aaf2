"""A customer who writes in a burst ("oi", "tudo bem?", "meu pix não caiu") gets one answer that read it all."""

from __future__ import annotations

from datetime import UTC, datetime

from core.ai.responder import BURST_MAX, burst
from core.tickets.model import Direction, Message, MessageKind
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import MARIA

BIA = "5511977776666"
DISPUTE = "vocês cobraram duas vezes no meu cartão, quero meu dinheiro de volta"


def _triage_lines(slack: FakeSlackAPI) -> list[str]:
    return [m["text"].partition("\n")[0] for m in slack.messages.values() if m["text"].startswith("🤖")]


async def _while_the_ai_is_busy(desk: AIDesk, first: str, *lines: str) -> None:
    """``first`` is sent and its model call held for 1.5 s; then ``lines`` come, and everything settles."""
    desk.gemini.delay("generateContent", 1.5, times=1)
    await desk.whatsapp(wa_text_message(BIA, "Bia", first))
    await desk.gemini.wait_for(lambda fake: fake.calls_to("generateContent"), timeout=10)
    for line in lines:
        await desk.whatsapp(wa_text_message(MARIA, "Maria", line))
    await desk.settle(timeout=20)


async def test_three_lines_sent_while_the_ai_is_busy_are_answered_once_as_one_message(
    start_ai_desk: StartAIDesk,
) -> None:
    # One AI worker, held by another customer's slow model call, while Maria writes three lines.
    desk = await start_ai_desk(ai_concurrency=1, ai_timeout_seconds=20.0, ai_oncall_group="SONCALL")
    await _while_the_ai_is_busy(desk, "Oi, meu pedido não chegou", "oi", "tudo bem?", DISPUTE)

    [maria] = await desk.rows("SELECT id FROM tickets WHERE customer_id = (SELECT MAX(id) FROM customers)")
    [(first, last, read, category, human)] = await desk.rows(
        "SELECT message_id, through_message_id, messages_read, category, requires_human FROM ai_triage"
        " WHERE ticket_id = ?",
        maria[0],
    )
    said = await desk.rows(
        "SELECT id FROM messages WHERE ticket_id = ? AND direction = 'in' ORDER BY id", maria[0]
    )
    assert (first, last, read) == (said[0][0], said[-1][0], 3)
    # the dispute in the third line decides, though the job was queued for "oi"
    assert (category, human) == ("billing", 1)
    lines = _triage_lines(desk.slack)
    assert len(lines) == 2  # Bia's, and one for Maria's three lines
    assert "3 mensagens lidas juntas" in next(line for line in lines if "Cobrança" in line)
    [handoff] = [t for t in desk.sent_texts() if "pessoa" in t]  # Maria is told once, not three times
    alerts = [m for m in desk.slack.messages.values() if "🚨" in m["text"] and "SONCALL" in m["text"]]
    assert len(alerts) == 1
    # the later lines' jobs were closed with the answer, never run
    assert await desk.rows(
        "SELECT state, attempts FROM outbox WHERE kind = 'AnswerWithAI' AND lane = ? ORDER BY id",
        f"ai:{maria[0]}",
    ) == [("done", 1), ("done", 0), ("done", 0)]


async def test_an_erasure_request_later_in_the_burst_reaches_the_alert(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(ai_concurrency=1, ai_timeout_seconds=20.0)
    await _while_the_ai_is_busy(
        desk, "Oi, meu pedido não chegou", "bom dia", "quero que vocês apaguem todos os meus dados, pela LGPD"
    )

    [alert] = [
        m["text"] for m in desk.slack.messages.values() if "🚨" in m["text"] and "lidas juntas" in m["text"]
    ]
    assert "pedido de exclusão de dados (LGPD)" in alert


async def test_a_draft_for_a_burst_is_still_current_when_an_agent_sends_it(
    start_ai_desk: StartAIDesk,
) -> None:
    # The draft answers the burst's last line: the lines before it do not make it stale.
    desk = await start_ai_desk(ai_autoreply="off", ai_concurrency=1, ai_timeout_seconds=20.0)
    await _while_the_ai_is_busy(
        desk,
        "Oi, meu pedido não chegou",
        "oi",
        "não consigo entrar na plataforma",
        "diz que a senha está errada",
    )
    [(draft_id, text)] = await desk.rows(
        "SELECT d.id, d.body FROM ai_drafts d JOIN ai_triage a ON a.through_message_id = d.message_id"
    )

    await desk.press("ai.draft.send", draft_id)
    await desk.settle()

    assert text in desk.sent_texts()
    assert await desk.rows("SELECT state FROM ai_drafts WHERE id = ?", draft_id) == [("sent",)]


async def test_a_line_sent_after_the_ai_answered_is_a_turn_of_its_own(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk()
    await desk.whatsapp(
        wa_text_message(MARIA, "Maria", "Oi, não consigo entrar na plataforma, a senha dá errada")
    )
    await desk.settle()
    await desk.whatsapp(wa_text_message(MARIA, "Maria", DISPUTE))
    await desk.settle()

    assert await desk.rows(
        "SELECT messages_read, through_message_id, category FROM ai_triage ORDER BY message_id"
    ) == [
        (1, None, "onboarding"),
        (1, None, "billing"),
    ]
    assert not any("lidas juntas" in line for line in _triage_lines(desk.slack))


def _message(
    id: int, kind: MessageKind = MessageKind.TEXT, direction: Direction = Direction.INBOUND
) -> Message:
    return Message(
        id=id,
        ticket_id=1,
        direction=direction,
        kind=kind,
        text=f"linha {id}",
        sent_at=datetime(2026, 12, 7, tzinfo=UTC),
    )


def test_a_burst_is_the_customer_s_plain_text_in_a_row_and_nothing_else() -> None:
    first = _message(1)
    # ends at the first reply on the desk's side: what an agent or the AI said is not the customer's
    assert [
        m.id for m in burst(first, [_message(2), _message(3, direction=Direction.OUTBOUND), _message(4)])
    ] == [
        1,
        2,
    ]
    # a voice note, a tapped option or a file is a turn of its own
    for kind in (MessageKind.VOICE, MessageKind.INTERACTIVE, MessageKind.IMAGE):
        assert [m.id for m in burst(first, [_message(2), _message(3, kind), _message(4)])] == [1, 2]
        assert burst(_message(1, kind), [_message(2)]) == (_message(1, kind),)
    # a very long run is answered in parts
    assert len(burst(first, [_message(i) for i in range(2, 40)])) == BURST_MAX
