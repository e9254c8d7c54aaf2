"""LGPD: a supervisor gets a customer's data privately, erases it everywhere, and old bodies expire."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.workers.retention import RetentionWorker
from core.common.phone import mask
from core.common.ptbr_text import normalize
from core.privacy import texts as privacy_texts
from core.tickets import texts as tickets_texts
from handlers.slack.lgpd import ERASE
from storage.sqlite.read.personal_data import classified
from testing.slack_payloads import slack_block_action
from testing.whatsapp_webhooks import wa_media_message, wa_text_message
from tests.conftest import CHANNEL, Desk, StartDesk
from tests.test_conversation_loop import agent_says

PHONE = "5511987651234"
OLD_FORM = "551187651234"  # the same number without the ninth digit
NAME = "Maria Quitéria Souza"
SAID = "meu cpf é 123.456.789-09 e o pedido sumiu"
CAPTION = "comprovante do pix girassol"
ANSWER = "Maria, encontrei seu pedido número 4321"
BOSS = "UBOSS"
IDEA = "boleto com a marca da Doceria Girândola"
JPEG = b"\xff\xd8\xff\xe0 fake jpeg with gps exif"


async def conversation(desk: Desk) -> str:
    await desk.whatsapp(wa_text_message(PHONE, NAME, SAID))
    desk.graph.add_media("3001", JPEG, "image/jpeg")
    await desk.whatsapp(wa_media_message(PHONE, NAME, "image", "3001", "image/jpeg", caption=CAPTION))
    await desk.settle()
    [parent] = desk.parents()
    await agent_says(desk, parent["ts"], "UANA", ANSWER)
    await desk.settle()
    return parent["ts"]


def stored_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as a forensic look at the disk would see them."""
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())


async def test_every_table_says_whether_it_holds_customer_data(desk: Desk) -> None:
    tables = [row[0] for row in await desk.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables
    assert [t for t in tables if not classified(t)] == []


async def test_a_supervisor_receives_the_customer_data_privately(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    await conversation(desk)

    answer = await desk.command("lgpd exportar +55 (11) 98765-1234", user=BOSS)
    [(customer_id,)] = await desk.rows("SELECT id FROM customers")
    assert answer["text"] == privacy_texts.lgpd_exported(customer_id)
    [export] = [f for f in desk.slack.files.values() if f["name"].startswith("lgpd-")]
    assert export["channel"] == "DBOSS"  # the app's private conversation with the supervisor
    document = json.loads(export["data"])
    data = document["dados"]
    assert data["customers"][0]["name"] == NAME and data["customers"][0]["address"] == PHONE
    bodies = [m["body"] for m in data["messages"]]
    assert SAID in bodies and ANSWER in bodies
    assert any(CAPTION in (m["attachment"] or "") for m in data["messages"])
    assert len(data["tickets"]) == 1
    assert "inbox" not in data and "outbox" not in data
    # the audit says who asked, about which record, and nothing personal
    [(actor, detail)] = await desk.rows("SELECT actor, detail FROM events WHERE action = 'lgpd.exported'")
    assert (actor, detail) == (BOSS, f"cliente #{customer_id}")


async def test_only_supervisors_and_known_numbers(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    await conversation(desk)
    assert (await desk.command("lgpd exportar +5511987651234", user="UANA"))[
        "text"
    ] == tickets_texts.SUPERVISORS_ONLY
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UANA",)]
    unknown = await desk.command("lgpd apagar +55 21 99999-0000", user=BOSS)
    assert unknown["text"] == privacy_texts.lgpd_not_found("+55 21 9****-0000")
    assert (await desk.command("lgpd", user=BOSS))["text"] == privacy_texts.LGPD_USAGE
    assert (await desk.command("lgpd mostrar +5511987651234", user=BOSS))["text"] == privacy_texts.LGPD_USAGE
    assert not [f for f in desk.slack.files.values() if f["name"].startswith("lgpd-")]


async def test_erasure_asks_first_then_leaves_no_trace_in_the_database_file(
    start_desk: StartDesk, tmp_path: Path
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    parent_ts = await conversation(desk)
    await agent_says(desk, parent_ts, "UANA", f"//ideia {IDEA}")  # the backlog keeps her words as the idea
    await desk.settle()
    [(idea_key,)] = await desk.rows("SELECT key FROM ideas")
    assert idea_key == normalize(IDEA)
    [(customer_id,)] = await desk.rows("SELECT id FROM customers")
    counts_before = await desk.rows("SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM messages)")

    # asking changes nothing yet: it answers with a confirmation button
    question = await desk.command(f"lgpd apagar {OLD_FORM}", user=BOSS)
    assert question["text"] == privacy_texts.lgpd_confirm(customer_id, mask(OLD_FORM))
    [button] = [e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == ERASE and button["confirm"]
    assert await desk.rows("SELECT name FROM customers") == [(NAME,)]

    # an agent pressing it is refused; the supervisor's press erases
    for user in ("UANA", BOSS):
        click = slack_block_action(ERASE, button["value"], user_id=user, channel=CHANNEL, message_ts="1.1")
        assert (await desk.slack_event(click, content_type="application/x-www-form-urlencoded")).status == 200
    await desk.slack.wait_for(
        lambda fake: any(e["text"] == privacy_texts.lgpd_erased(customer_id) for e in fake.ephemerals)
    )
    assert await desk.rows("SELECT name FROM customers") == [(None,)]
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UANA",)]

    # reports still count the ticket and its messages
    assert (
        await desk.rows("SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM messages)")
        == counts_before
    )
    [(detail,)] = await desk.rows("SELECT detail FROM events WHERE action = 'lgpd.erased'")
    assert detail.startswith(f"cliente #{customer_id}:")

    assert await desk.rows("SELECT summary FROM ideas") == [("(apagado a pedido do cliente)",)]
    await desk.bot.stop()  # nothing cached in memory may write it back
    on_disk = stored_bytes(tmp_path / "atende.db")
    assert b"Ticket" in on_disk or len(on_disk) > 10_000  # the file is really there
    for secret in (
        PHONE,
        OLD_FORM,
        NAME,
        "Quitéria",
        SAID,
        "123.456.789-09",
        CAPTION,
        ANSWER,
        "4321",
        IDEA,
        idea_key,
    ):
        assert secret.encode() not in on_disk, f"{secret!r} is still in the database file"


async def test_retention_blanks_old_bodies_and_keeps_recent_ones(start_desk: StartDesk) -> None:
    desk = await start_desk(retention_days=30)
    now = desk.bot.clock.now()
    old = int((now - timedelta(days=31)).timestamp())
    await desk.whatsapp(wa_text_message(PHONE, NAME, "mensagem antiga", timestamp=old))
    await desk.whatsapp(wa_text_message(PHONE, NAME, "mensagem nova", timestamp=int(now.timestamp())))
    await desk.settle()

    await RetentionWorker(desk.bot.privacy, desk.bot.clock, 30).run_once()
    assert await desk.rows("SELECT body FROM messages ORDER BY id") == [(None,), ("mensagem nova",)]
