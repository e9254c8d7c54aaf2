"""Response templates: an agent answers with a filled template; supervisors keep the list from Slack."""

from __future__ import annotations

import json
import time
from typing import Any

from core.customers.model import Channel, Customer
from core.templates import filling as templates
from core.templates import texts as templates_texts
from core.templates.model import ResponseTemplate
from core.tickets import texts as tickets_texts
from testing.signing import sign_slack
from testing.slack_payloads import slack_block_action, slack_view_action, slack_view_submission
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, SLACK_SECRET, Desk, StartDesk

MARIA = "5511987651234"
FORM = "application/x-www-form-urlencoded"


async def post(desk: Desk, raw: bytes) -> tuple[int, dict[str, Any]]:
    """A signed interactivity POST; returns the status and the JSON answer (empty when none)."""
    headers = sign_slack(raw, SLACK_SECRET, int(time.time()), content_type=FORM)
    async with desk.http.post(f"{desk.url}/slack/events", data=raw, headers=headers) as response:
        body = await response.read()
        return response.status, (json.loads(body) if body.strip() else {})


async def open_ticket(desk: Desk, plan: str | None = "Pro") -> dict:
    """Maria writes; returns the ticket's parent message once it is on the desk."""
    await desk.whatsapp(wa_text_message(MARIA, "Maria Souza", "Oi, fui cobrada duas vezes este mês"))
    await desk.settle()
    if plan:
        await desk.rows("UPDATE customers SET plan = ?", plan)
    [parent] = desk.parents()
    return parent


async def open_modal(desk: Desk, parent: dict, user: str = "UANA", ticket_id: int = 1) -> dict:
    """Press **Modelo** on the ticket; returns the modal Slack was asked to open."""
    raw = slack_block_action(
        "ticket.template", str(ticket_id), user_id=user, channel=CHANNEL, message_ts=parent["ts"]
    )
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: fake.modals())
    return desk.slack.modals()[-1]


async def choose(desk: Desk, modal: dict, template_id: str, user: str = "UANA") -> dict:
    """Pick a template in the open modal; returns the modal as updated."""
    raw = slack_view_action("template.choose", modal, user_id=user, selected=template_id, block_id="template")
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: fake.views[modal["id"]]["view"] != modal)
    return desk.slack.views[modal["id"]]["view"]


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def submission(modal: dict, template_id: str, text: str, gaps: dict[str, str] | None = None) -> dict:
    """The state Slack sends when the agent presses Enviar, with ``gaps`` typed in their fields."""
    values: dict[str, dict[str, Any]] = {
        "template": {
            "template.choose": {"type": "static_select", "selected_option": {"value": template_id}},
        },
        f"text:{template_id}": {"value": {"type": "plain_text_input", "value": text}},
    }
    for gap in (b["block_id"] for b in modal["blocks"] if b.get("block_id", "").startswith("gap:")):
        # Slack sends every input of the modal; an empty one has no value
        values[gap] = {"value": {"type": "plain_text_input", "value": (gaps or {}).get(gap[4:])}}
    return values


async def submit(
    desk: Desk, modal: dict, values: dict, user: str = "UANA", metadata: str | None = None
) -> dict:
    raw = slack_view_submission(
        "template.send",
        values,
        user_id=user,
        private_metadata=modal["private_metadata"] if metadata is None else metadata,
    )
    status, answer = await post(desk, raw)
    assert status == 200
    return answer


# ---------------------------------------------------------------- pure filling


def test_known_values_fill_and_the_rest_stay_as_gaps() -> None:
    customer = Customer(1, Channel.WHATSAPP, MARIA, name="Maria Souza", plan="Pro")
    values = templates.ticket_values(customer, 7, "Ana Lima", None)
    filled = templates.fill(
        "Oi, {customer_name}! Plano {customer_plan}, R$ {amount}. {agent_name} #{ticket_number}", values
    )
    assert filled.text == "Oi, Maria! Plano Pro, R$ {amount}. Ana Lima #7"
    assert filled.gaps == ("amount",)
    assert templates.fill("{amount} {amount}", {"amount": "  "}).gaps == ("amount",)  # blank is no value


def test_a_template_with_a_malformed_placeholder_or_bad_fields_is_not_saved() -> None:
    good = ResponseTemplate("billing_002", "Reembolso", "billing", "empathetic", "Oi, {customer_name}!")
    assert templates.problems(good) == {}
    for body in ("Oi, {Nome}!", "Oi, {customer_name!", "Oi, { customer_name }", "   "):
        bad = ResponseTemplate("billing_002", "Reembolso", "billing", "empathetic", body)
        assert set(templates.problems(bad)) == {"body"}, body
    wrong = ResponseTemplate("Bi", "", "refund", "grumpy", "ok")
    assert set(templates.problems(wrong)) == {"id", "title", "category", "tone"}


# ---------------------------------------------------------------- the agent's modal


async def test_the_playbook_templates_ship_and_fill_from_the_customer_and_the_agent(desk: Desk) -> None:
    desk.slack.add_user("UANA", "Ana Lima")
    parent = await open_ticket(desk)
    buttons = [e["action_id"] for b in parent["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "ticket.template" in buttons

    modal = await open_modal(desk, parent)
    options = [o["value"] for o in block(modal, "template")["element"]["options"]]
    assert options == ["billing_001", "feature_001", "technical_001"]

    filled = await choose(desk, modal, "billing_001")
    text = block(filled, "text:billing_001")["element"]["initial_value"]
    assert text.startswith("Oi, Maria! Tudo bem?")
    assert "Plano: Pro" in text and "Ana Lima" in text
    # what the desk does not know stays visible as a placeholder, each with its own highlighted field
    assert "{next_billing_date}" in text and "{amount}" in text
    gap_labels = [b["label"]["text"] for b in filled["blocks"] if b.get("block_id", "").startswith("gap:")]
    assert gap_labels == [
        "⚠️ Próxima cobrança (falta preencher)",
        "⚠️ Valor (R$) (falta preencher)",
        "⚠️ Explicação da cobrança (falta preencher)",
    ]
    assert "Sem valor no cadastro" in str(filled["blocks"])


async def test_a_submission_with_gaps_is_refused_and_nothing_reaches_the_customer(desk: Desk) -> None:
    parent = await open_ticket(desk)
    modal = await choose(desk, await open_modal(desk, parent), "billing_001")
    text = block(modal, "text:billing_001")["element"]["initial_value"]

    answer = await submit(desk, modal, submission(modal, "billing_001", text, {"amount": "49,90"}))
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {"text:billing_001", "gap:next_billing_date", "gap:specific_billing_explanation"}
    assert "{next_billing_date}" in errors["text:billing_001"]
    assert "{amount}" not in errors["text:billing_001"]  # that one was filled by hand
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == []
    assert await desk.rows("SELECT count(*) FROM messages WHERE direction = 'out'") == [(0,)]

    # a placeholder typed into the text by hand is a gap as well
    answer = await submit(desk, modal, submission(modal, "billing_001", "Oi {customer_name}, tudo certo"))
    assert answer["errors"] == {"text:billing_001": templates_texts.template_gaps_error(["customer_name"])}


async def test_gaps_filled_by_hand_and_edits_are_sent_through_the_reply_path(desk: Desk) -> None:
    desk.slack.add_user("UANA", "Ana Lima")
    parent = await open_ticket(desk)
    modal = await choose(desk, await open_modal(desk, parent), "billing_001")
    text = block(modal, "text:billing_001")["element"]["initial_value"]
    edited = text.replace("Tudo bem?", "Tudo bem? Desculpe a confusão.")
    by_hand = {
        "next_billing_date": "10/12/2026",
        "amount": "49,90",
        "specific_billing_explanation": "A segunda cobrança foi estornada hoje.",
    }

    answer = await submit(desk, modal, submission(modal, "billing_001", edited, by_hand))
    assert answer == {}  # the modal closes
    await desk.settle()
    [sent] = desk.graph.sent_texts(MARIA)
    assert sent.startswith("Oi, Maria! Tudo bem? Desculpe a confusão.")
    assert "Próxima cobrança: 10/12/2026" in sent and "R$ 49,90" in sent and "estornada hoje" in sent
    assert "{" not in sent
    # the thread shows what was sent, and the delivery mark lands on that post
    shown = desk.thread_of(parent)[-1]
    assert shown["text"].startswith(templates_texts.template_sent("Cobrança: situação do plano"))
    assert "R$ 49,90" in shown["text"]
    await desk.slack.wait_for(lambda fake: fake.message(CHANNEL, shown["ts"]).get("reactions"))
    assert await desk.rows("SELECT author, delivery FROM messages WHERE direction = 'out'") == [
        ("UANA", "sent")
    ]
    # it counts as the agent's reply: the customer has the turn
    assert "Aguardando cliente" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'template.sent'") == [
        ("UANA", "billing_001")
    ]


async def test_unknown_template_and_malformed_modal_values_get_field_errors(desk: Desk) -> None:
    parent = await open_ticket(desk)
    modal = await open_modal(desk, parent)

    answer = await submit(desk, modal, submission(modal, "nao_existe", "Oi, tudo certo"))
    assert answer["errors"] == {"template": templates_texts.TEMPLATE_UNKNOWN}
    answer = await submit(desk, modal, {})
    assert answer["errors"] == {"template": templates_texts.TEMPLATE_CHOOSE}
    malformed = {"template": {"template.choose": {"selected_option": "billing_001"}}, "text:billing_001": []}
    answer = await submit(desk, modal, malformed)
    assert answer["errors"] == {"template": templates_texts.TEMPLATE_CHOOSE}
    answer = await submit(desk, modal, submission(modal, "feature_001", "Oi!"), metadata="{not json")
    assert answer["errors"] == {"template": templates_texts.TEMPLATE_TICKET_GONE}
    answer = await submit(desk, modal, submission(modal, "feature_001", "   "))
    assert answer["errors"] == {"text:feature_001": templates_texts.TEMPLATE_TEXT_EMPTY}
    # picking a template that no longer exists says so in the modal instead of failing
    updated = await choose(desk, modal, "sumiu_001")
    assert templates_texts.TEMPLATE_UNKNOWN in str(updated["blocks"])
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == []


async def test_slack_refusing_to_show_the_modal_is_told_not_turned_into_an_error(desk: Desk) -> None:
    parent = await open_ticket(desk)
    desk.slack.fail("views.open", status=200, error="expired_trigger_id")
    raw = slack_block_action("ticket.template", "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: fake.ephemerals)
    assert desk.slack.ephemerals[-1]["text"] == templates_texts.TEMPLATE_NOT_OPENED

    modal = await open_modal(desk, parent)
    closed = {**modal, "id": "VGONE"}  # the agent closed the modal before the pick arrived
    raw = slack_view_action(
        "template.choose", closed, user_id="UANA", selected="billing_001", block_id="template"
    )
    assert (await post(desk, raw))[0] == 200


async def test_only_agents_may_send_a_template(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_agents="UANA")
    parent = await open_ticket(desk)
    modal = await open_modal(desk, parent)
    answer = await submit(desk, modal, submission(modal, "feature_001", "Oi!"), user="UINTRUSO")
    assert answer["errors"] == {"template": tickets_texts.AGENTS_ONLY}
    assert ("UINTRUSO",) in await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'")


# ---------------------------------------------------------------- supervisors' list


async def open_list(desk: Desk, user: str = "UBOSS") -> dict:
    answer = await desk.command("modelos", user=user)
    assert answer["text"] == templates_texts.TEMPLATES_OPENED
    return desk.slack.modals()[-1]


async def save(desk: Desk, form: dict, fields: dict[str, str], user: str = "UBOSS") -> dict:
    values: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        if name in ("category", "tone"):
            values[name] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            values[name] = {"value": {"type": "plain_text_input", "value": value}}
    raw = slack_view_submission(
        "templates.save", values, user_id=user, private_metadata=form["private_metadata"]
    )
    status, answer = await post(desk, raw)
    assert status == 200
    return answer


async def test_supervisors_add_and_edit_templates_from_slack(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    listing = await open_list(desk)
    assert "billing_001" in str(listing["blocks"]) and "Editar" in str(listing["blocks"])

    raw = slack_view_action("templates.new", listing, user_id="UBOSS", value="")
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: fake.modals()[-1]["callback_id"] == "templates.save")
    form = desk.slack.modals()[-1]
    new = {
        "id": "billing_002",
        "title": "Reembolso aprovado",
        "category": "billing",
        "tone": "empathetic",
        "body": "Oi, {customer_name}! Seu reembolso de R$ {amount} foi aprovado.\r\n{agent_name}",
    }
    answer = await save(desk, form, new)
    assert answer["response_action"] == "update"
    assert "Reembolso aprovado" in str(answer["view"]["blocks"])

    # taken id, malformed placeholder
    answer = await save(desk, form, new)
    assert answer["errors"] == {"id": templates_texts.TEMPLATE_ID_TAKEN}
    answer = await save(desk, form, {**new, "id": "billing_003", "body": "Oi, {Nome do cliente}!"})
    assert set(answer["errors"]) == {"body"} and "{Nome do cliente}" in answer["errors"]["body"]

    # edit: the id is fixed, the rest changes
    raw = slack_view_action("templates.edit", listing, user_id="UBOSS", value="billing_002")
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: "Editar" in fake.modals()[-1]["title"]["text"])
    edit_form = desk.slack.modals()[-1]
    assert block(edit_form, "title")["element"]["initial_value"] == "Reembolso aprovado"
    answer = await save(desk, edit_form, {**new, "title": "Reembolso feito", "id": "ignorado"})
    assert answer["response_action"] == "update"
    rows = await desk.rows(
        "SELECT id, title, body, updated_by FROM response_templates WHERE id LIKE 'billing_00%'"
    )
    assert rows[1] == (
        "billing_002",
        "Reembolso feito",
        "Oi, {customer_name}! Seu reembolso de R$ {amount} foi aprovado.\n{agent_name}",
        "UBOSS",
    )
    assert len(rows) == 2

    # the new template is offered in a ticket at once
    parent = await open_ticket(desk)
    modal = await open_modal(desk, parent)
    assert "billing_002" in [o["value"] for o in block(modal, "template")["element"]["options"]]


async def test_only_supervisors_open_or_save_templates(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    assert (await desk.command("modelos", user="UANA"))["text"] == tickets_texts.SUPERVISORS_ONLY
    listing = await open_list(desk)
    answer = await save(desk, {"private_metadata": '{"edit": "billing_001"}'}, {"title": "x"}, user="UANA")
    assert answer["errors"] == {"title": templates_texts.TEMPLATE_SUPERVISORS_ONLY}
    raw = slack_view_action("templates.edit", listing, user_id="UANA", value="billing_001")
    await post(desk, raw)
    refused = await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused' ORDER BY id")
    assert refused == [
        ("UANA", "/suporte modelos"),
        ("UANA", "templates.save"),
        ("UANA", "templates.edit billing_001"),
    ]
    assert await desk.rows("SELECT title FROM response_templates WHERE id = 'billing_001'") == [
        ("Cobrança: situação do plano",)
    ]


async def test_supervisors_delete_a_template_from_its_form_and_agents_no_longer_see_it(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    listing = await open_list(desk)
    raw = slack_view_action("templates.new", listing, user_id="UBOSS", value="")
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: fake.modals()[-1]["callback_id"] == "templates.save")
    assert "delete" not in [
        b.get("block_id") for b in desk.slack.modals()[-1]["blocks"]
    ]  # nothing to delete yet

    raw = slack_view_action("templates.edit", listing, user_id="UBOSS", value="technical_001")
    assert (await post(desk, raw))[0] == 200
    await desk.slack.wait_for(lambda fake: "Editar" in fake.modals()[-1]["title"]["text"])
    form = desk.slack.modals()[-1]
    box = block(form, "delete")
    assert box["optional"] and "initial_options" not in box["element"]  # never ticked by default
    ticked = {"type": "checkboxes", "selected_options": [{"value": box["element"]["options"][0]["value"]}]}
    unticked = {"type": "checkboxes", "selected_options": []}

    async def submit_form(delete: dict, user: str = "UBOSS") -> dict:
        values = {"title": {"value": {"type": "plain_text_input", "value": ""}}, "delete": {"value": delete}}
        raw = slack_view_submission(
            "templates.save", values, user_id=user, private_metadata=form["private_metadata"]
        )
        status, answer = await post(desk, raw)
        assert status == 200
        return answer

    # unticked, the form is an edit like any other (here refused: the title is empty)
    assert "title" in (await submit_form(unticked))["errors"]
    # someone who is not a supervisor cannot delete
    assert (await submit_form(ticked, user="UANA"))["errors"] == {
        "title": templates_texts.TEMPLATE_SUPERVISORS_ONLY
    }
    assert await desk.rows("SELECT count(*) FROM response_templates WHERE id = 'technical_001'") == [(1,)]

    answer = await submit_form(ticked)
    assert answer["response_action"] == "update"
    assert "technical_001" not in str(answer["view"]["blocks"]) and "billing_001" in str(
        answer["view"]["blocks"]
    )
    assert await desk.rows("SELECT id FROM response_templates ORDER BY id") == [
        ("billing_001",),
        ("feature_001",),
    ]
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'template.deleted'") == [
        ("UBOSS", "technical_001")
    ]
    # the same form sent again (a double click) says the template is gone
    assert (await submit_form(ticked))["errors"] == {"delete": templates_texts.TEMPLATE_UNKNOWN}

    parent = await open_ticket(desk)
    modal = await open_modal(desk, parent)
    assert [o["value"] for o in block(modal, "template")["element"]["options"]] == [
        "billing_001",
        "feature_001",
    ]
