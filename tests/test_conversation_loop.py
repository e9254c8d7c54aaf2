"""The story of one conversation: WhatsApp customer -> Slack thread -> agent -> customer."""

from __future__ import annotations

from testing.slack_payloads import slack_block_action, slack_message_event
from testing.whatsapp_webhooks import wa_error, wa_status, wa_text_message
from tests.conftest import CHANNEL, Desk

MARIA = "5511987651234"


async def click(desk: Desk, action: str, ticket_id: int, user: str, parent_ts: str) -> int:
    body = slack_block_action(action, str(ticket_id), user_id=user, channel=CHANNEL, message_ts=parent_ts)
    response = await desk.slack_event(body, content_type="application/x-www-form-urlencoded")
    return response.status


async def agent_says(desk: Desk, parent_ts: str, user: str, text: str, **kw) -> str:
    """The agent writes in the thread: Slack stores the message and sends the app the event."""
    ts = desk.slack.post_as_user(CHANNEL, user, text, thread_ts=parent_ts)["ts"]
    body = slack_message_event(CHANNEL, user, text, ts=ts, thread_ts=parent_ts, **kw)
    response = await desk.slack_event(body)
    assert response.status == 200
    return ts


async def test_first_message_opens_a_ticket_thread_with_the_message_as_first_reply(desk: Desk) -> None:
    response = await desk.whatsapp(wa_text_message(MARIA, "Maria Silva", "Não consigo entrar na plataforma"))
    assert response.status == 200
    await desk.settle()

    [parent] = desk.parents()
    assert "+55 11 9****-1234" in str(parent["blocks"])
    assert "Maria Silva" in str(parent["blocks"]) and "Novo" in str(parent["blocks"])
    assert "WhatsApp" in str(parent["blocks"])
    buttons = [e["text"]["text"] for b in parent["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Assumir", "Aguardando cliente", "Escalar", "Resolver", "Modelo"]
    [first] = desk.thread_of(parent)
    assert first["text"] == "Não consigo entrar na plataforma"
    assert first["username"] == "Maria Silva"


async def test_later_messages_join_the_same_thread_in_order(desk: Desk) -> None:
    for n in range(5):
        await desk.whatsapp(wa_text_message(MARIA, "Maria", f"mensagem {n}"))
    await desk.settle()
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == [f"mensagem {n}" for n in range(5)]


async def test_claim_release_and_a_second_agent_told_who_has_it(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()

    assert await click(desk, "ticket.claim", 1, "UANA", parent["ts"]) == 200
    await desk.settle()
    blocks = str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert (
        "<@UANA>" in blocks and "Em atendimento" in blocks and "Liberar" in blocks and "Assumir" not in blocks
    )

    assert await click(desk, "ticket.claim", 1, "UBRUNO", parent["ts"]) == 200
    await desk.slack.wait_for(lambda fake: fake.ephemerals)
    [ephemeral] = desk.slack.ephemerals
    assert ephemeral["user"] == "UBRUNO" and "já está com <@UANA>" in ephemeral["text"]

    await click(desk, "ticket.release", 1, "UANA", parent["ts"])
    await desk.settle()
    assert "Assumir" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_agent_reply_reaches_the_customer_and_notes_stay_internal(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi", wamid="wamid.IN1"))
    await desk.settle()
    [parent] = desk.parents()

    await agent_says(desk, parent["ts"], "UANA", "// cliente antiga, tratar com carinho")
    reply_ts = await agent_says(desk, parent["ts"], "UANA", "Olá Maria! Vou te ajudar.")
    await desk.settle()

    assert desk.graph.sent_texts(MARIA) == ["Olá Maria! Vou te ajudar."]
    assert desk.graph.read_marks == ["wamid.IN1"]
    [sent] = desk.graph.sent
    for status in ("delivered", "read"):
        await desk.whatsapp(wa_status(sent["id"], status, MARIA))
    await desk.settle()
    reactions = desk.slack.message(CHANNEL, reply_ts)["reactions"]
    assert reactions == ["heavy_check_mark", "mailbox_with_mail", "eyes"]


async def test_failed_delivery_explains_why_in_the_thread(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    desk.graph.fail("messages", status=400, code=131047, message="Re-engagement message")
    reply_ts = await agent_says(desk, parent["ts"], "UANA", "Ainda está aí?")
    await desk.settle()
    assert desk.slack.message(CHANNEL, reply_ts)["reactions"] == ["x"]
    notes = [m["text"] for m in desk.thread_of(parent)]
    assert any("janela de 24 horas" in n for n in notes)


async def test_resolve_closes_tells_the_customer_and_next_message_opens_a_linked_ticket(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await desk.settle()

    blocks = str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert "Resolvido" in blocks and "Resolvido por <@UANA>" in blocks
    assert "Assumir" not in blocks
    assert "atendimento foi concluído" in desk.graph.sent_texts(MARIA)[-1]

    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Esqueci de perguntar uma coisa"))
    await desk.settle()
    first, second = desk.parents()
    assert "Ticket #2" in str(second["blocks"]) and "Continuação do ticket #1" in str(second["blocks"])
    assert [m["text"] for m in desk.thread_of(second)] == ["Esqueci de perguntar uma coisa"]


async def test_an_old_account_number_without_the_ninth_digit_is_the_same_customer(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message("5511987651234", "Maria", "primeira"))
    await desk.whatsapp(wa_text_message("551187651234", "Maria", "segunda"))
    await desk.settle()
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["primeira", "segunda"]


async def test_full_numbers_are_shown_only_when_masking_is_turned_off(start_desk) -> None:  # type: ignore[no-untyped-def]
    desk = await start_desk(mask_phones=False)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    assert "+55 11 98765-1234" in str(parent["blocks"])


async def test_only_the_assignee_can_release_and_a_resolved_ticket_cannot_be_resolved_again(
    desk: Desk,
) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    await click(desk, "ticket.claim", 1, "UANA", parent["ts"])
    await click(desk, "ticket.release", 1, "UBRUNO", parent["ts"])
    await desk.slack.wait_for(lambda fake: len(fake.ephemerals) == 1)
    assert "Só <@UANA> pode liberar" in desk.slack.ephemerals[0]["text"]

    await click(desk, "ticket.resolve", 1, "UANA", parent["ts"])
    await click(desk, "ticket.resolve", 1, "UBRUNO", parent["ts"])
    await desk.slack.wait_for(lambda fake: len(fake.ephemerals) == 2)
    assert desk.slack.ephemerals[1]["text"] == "Este ticket já foi resolvido."
    await desk.settle()
    assert sum("atendimento foi concluído" in t for t in desk.graph.sent_texts(MARIA)) == 1


async def test_a_failed_status_from_whatsapp_marks_the_message_and_says_why(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(MARIA, "Maria", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    reply_ts = await agent_says(desk, parent["ts"], "UANA", "Conseguiu acessar?")
    await desk.settle()
    [sent] = desk.graph.sent
    failed = wa_status(sent["id"], "failed", MARIA, errors=[wa_error(131026, "Message undeliverable")])
    await desk.whatsapp(failed)
    await desk.whatsapp(wa_status(sent["id"], "delivered", MARIA))  # late and out of order: ignored
    await desk.settle()

    assert desk.slack.message(CHANNEL, reply_ts)["reactions"] == ["heavy_check_mark", "x"]
    [reason] = [m["text"] for m in desk.thread_of(parent) if "não entregue" in m["text"]]
    assert "não pode receber mensagens" in reason and "131026" in reason
