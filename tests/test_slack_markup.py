"""Customer text is data: Slack shows it as written, never as a mention, a broadcast or a link.

A customer's message, name, caption, file name, contact card or place could carry Slack
markup (``<!channel>``, ``<@U…>``, ``<https://evil|www.banco.com.br>``) or invisible bidi
controls. Agents must read exactly what the customer wrote (minus the invisible controls),
and nothing from a customer may notify anyone or link anywhere in Slack.
"""

from __future__ import annotations

from core.backlog import texts as backlog_texts
from core.common import markup
from core.common.markup import Markup
from core.feedback import texts as feedback_texts
from handlers.slack import markup as slack_markup
from handlers.slack.text import to_slack
from testing.slack_mrkdwn import mrkdwn_texts, render
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_document, tg_text
from testing.whatsapp_webhooks import wa_contact, wa_media_message, wa_text_message, wa_value, wa_webhook
from tests.conftest import CHANNEL, Desk, StartDesk, post_telegram
from tests.hostile import slack_leaks
from tests.test_ideas import agent_notes, customer_writes
from tests.test_kb_review import click, resolved_ticket, review_desk, review_posts
from tests.test_satisfaction import MARIA, rate, resolved

HOSTILE = (
    "<!channel> <!here> <!everyone> <@U0HOSTIL> <!subteam^S0HOSTIL> <#C0HOSTIL> "
    "<https://HOSTIL.example/login|www.banco.com.br> &lt;3 &amp; <> "
    "fatura\u202egnp.exe \u200bzero\u200dwidth \u2066isolado\u2069 👨\u200d👩\u200d👧"
)
SHOWN = (
    "<!channel> <!here> <!everyone> <@U0HOSTIL> <!subteam^S0HOSTIL> <#C0HOSTIL> "
    "<https://HOSTIL.example/login|www.banco.com.br> &lt;3 &amp; <> "
    "faturagnp.exe zerowidth isolado 👨\u200d👩\u200d👧"
)
"""What an agent must read: every character, minus the bidi and zero-width controls (emoji joiners stay)."""
HOSTILE_NAME = "<!channel> Ana \u202e<@U0HOSTIL>"
SHOWN_NAME = "<!channel> Ana <@U0HOSTIL>"
JOAO = "5521998887777"


def assert_nothing_live(desk: Desk) -> None:
    """Nothing the customer wrote is a live mention, broadcast or link in Slack, and no invisible control."""
    assert slack_leaks(desk.slack) == []


async def test_whatsapp_text_and_profile_name_reach_slack_as_written_and_ping_no_one(desk: Desk) -> None:
    await desk.whatsapp(wa_text_message(JOAO, HOSTILE_NAME, HOSTILE))
    await desk.settle()

    [parent] = desk.parents()
    [message] = desk.thread_of(parent)
    assert desk.slack.shown(message) == SHOWN
    assert message["username"] == SHOWN_NAME
    [header] = [render(t).text for t in _section_texts(parent)]
    assert header.startswith(f"*Ticket #1 · {SHOWN_NAME}*")
    assert_nothing_live(desk)


async def test_telegram_text_and_first_name_reach_slack_as_written_and_ping_no_one(tdesk: Desk) -> None:
    await post_telegram(tdesk, tg_text(41, HOSTILE_NAME, HOSTILE))
    await tdesk.settle()

    [parent] = tdesk.parents()
    [message] = tdesk.thread_of(parent)
    assert tdesk.slack.shown(message) == SHOWN
    assert message["username"].startswith(SHOWN_NAME)
    assert_nothing_live(tdesk)


async def test_captions_file_names_contacts_and_places_are_shown_as_written(desk: Desk) -> None:
    desk.graph.add_media("1003", b"%PDF-1.4 fake", "application/pdf")
    await desk.whatsapp(
        wa_media_message(
            JOAO,
            HOSTILE_NAME,
            "document",
            "1003",
            "application/pdf",
            filename="fatura\u202efdp.exe <!here>",
            caption=HOSTILE,
        )
    )
    location = {
        "from": JOAO,
        "id": "wamid.LOC",
        "timestamp": "1700000000",
        "type": "location",
        "location": {"latitude": -23.56, "longitude": -46.65, "name": "<!here>", "address": HOSTILE},
    }
    card = {
        "from": JOAO,
        "id": "wamid.CARD",
        "timestamp": "1700000001",
        "type": "contacts",
        "contacts": [{"name": {"formatted_name": "<!channel> Ana"}, "phones": [{"phone": "<@U0HOSTIL>"}]}],
    }
    await desk.whatsapp(wa_webhook(wa_value([wa_contact(JOAO, HOSTILE_NAME)], [location, card])))
    await desk.settle()

    [parent] = desk.parents()
    document, place, contact = desk.thread_of(parent)
    assert SHOWN in desk.slack.shown(document) and SHOWN_NAME in desk.slack.shown(document)
    [uploaded] = [desk.slack.files[f["id"]] for f in document["files"]]
    assert uploaded["title"] == "faturafdp.exe <!here>"
    assert SHOWN in desk.slack.shown(place) and "<!here>" in desk.slack.shown(place)
    assert desk.slack.shown(contact) == "👤 Contato: <!channel> Ana — <@U0HOSTIL>"
    assert_nothing_live(desk)


async def test_a_telegram_document_name_cannot_hide_its_extension(
    tdesk: Desk, telegram: FakeTelegramAPI
) -> None:
    telegram.add_file("DO1", b"%PDF-1.4 fake", "documents/file_3.pdf")
    await post_telegram(tdesk, tg_document(41, "Ana", "DO1", "recibo\u202efdp.exe", "application/pdf"))
    await tdesk.settle()
    [parent] = tdesk.parents()
    [document] = tdesk.thread_of(parent)
    [uploaded] = [tdesk.slack.files[f["id"]] for f in document["files"]]
    assert uploaded["title"] == "recibofdp.exe" and uploaded["name"] == "recibofdp.exe"
    assert_nothing_live(tdesk)


def _section_texts(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message.get("blocks") or [] if b.get("type") == "section"]


async def test_a_csat_comment_is_shown_as_written(desk: Desk) -> None:
    parent = await resolved(desk)
    await rate(desk, 3)
    await desk.whatsapp(wa_text_message(MARIA, "Maria", HOSTILE))
    await desk.settle()

    assert feedback_texts.csat_comment(SHOWN) in [desk.slack.shown(m) for m in desk.thread_of(parent)]
    assert_nothing_live(desk)


async def test_a_knowledge_base_proposal_shows_the_customers_words_as_written(start_desk: StartDesk) -> None:
    desk = await review_desk(start_desk)
    parent = await resolved_ticket(desk, HOSTILE, "Em Plano e cobrança, clique em Alterar vencimento.")
    await click(desk, "ticket.kb_save", 1, parent["ts"], channel=CHANNEL)
    await desk.settle()

    [proposal] = review_posts(desk)
    assert SHOWN in "\n".join(render(text).text for text in mrkdwn_texts(proposal["blocks"]))
    assert_nothing_live(desk)


async def test_an_idea_is_listed_as_written(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    parent = await customer_writes(desk, MARIA, "Maria Souza", "Dá pra exportar os relatórios em PDF?")
    # the agent typed "<!here> PDF & <@U0HOSTIL>": Slack escapes what people type
    await agent_notes(desk, parent, "//ideia &lt;!here&gt; PDF &amp; &lt;@U0HOSTIL&gt;")

    listing = await desk.command("ideias", user="UBOSS")
    shown = render(listing["text"])
    assert "1. *<!here> PDF & <@U0HOSTIL>*" in shown.text and shown.live == ()
    assert backlog_texts.idea_recorded(1, "<!here> PDF & <@U0HOSTIL>", 1) == desk.slack.shown(
        desk.thread_of(parent)[-1]
    )
    assert_nothing_live(desk)


def test_desk_markup_keeps_its_mentions_and_escapes_whatever_is_put_into_it() -> None:
    line = Markup("{} resolveu o ticket de {}").format(slack_markup.user("U123"), "<!here> Ana & Bia")
    assert render(to_slack(line)).text == "@U123 resolveu o ticket de <!here> Ana & Bia"
    assert [live.target for live in render(to_slack(line)).live] == ["U123"]
    assert to_slack(f"{line}") == to_slack(str(line)) != line  # an f-string drops the markup: all escaped
    assert to_slack("Oi " + slack_markup.group("S1")) == "Oi <!subteam^S1>"
    assert to_slack(slack_markup.user("<!here>")) == "&lt;!here&gt;"  # not a Slack id: plain text
    assert to_slack(slack_markup.link("javascript:alert(1)", "clique")) == "clique"


def test_a_long_text_is_cut_by_its_escaped_length_without_splitting_an_escape() -> None:
    cut = markup.shorten("<" * 1000, 2900)
    assert len(cut) <= 2900 and cut.endswith("&lt;…") and render(cut).text == "<" * 724 + "…"
    assert markup.shorten("curto & bom", 2900) == "curto &amp; bom"


async def test_what_an_agent_types_in_a_command_is_answered_as_typed(desk: Desk) -> None:
    answer = await desk.command("p&amp;d &lt;!here&gt;")  # Slack escapes what people type
    assert "p&d" in render(answer["text"]).text and render(answer["text"]).live == ()


async def test_the_longest_whatsapp_message_of_markup_reaches_the_thread_whole(desk: Desk) -> None:
    text = ("<!here> & " * 410)[:4096]  # WhatsApp's limit; escaped it is about 2.5 times longer
    await desk.whatsapp(wa_text_message(JOAO, "Ana", text))
    await desk.settle()

    [parent] = desk.parents()
    [message] = desk.thread_of(parent)
    assert desk.slack.shown(message) == text
    assert_nothing_live(desk)
