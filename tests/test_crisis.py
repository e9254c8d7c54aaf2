"""``/suporte crise``: a supervisor declares a crisis, confirms the notice, updates and closes it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from core.common import labels
from core.crisis.audience import AudienceError, parse
from core.crisis.model import CrisisDraft, CrisisStatus, Severity
from core.crisis.scenarios import SCENARIOS
from core.crisis.texts import SCENARIO_MESSAGES
from core.tickets import texts as tickets_texts
from testing.clock import FixedClock
from testing.slack_payloads import slack_block_action, slack_view_submission
from testing.whatsapp_webhooks import wa_text_message
from tests.broadcast_helpers import add_customers, wait_finished
from tests.conftest import CHANNEL, StartDesk

BOSS = "UBOSS"
GROUPS = json.dumps({"cto": "SCTO", "support_team": "SSUP", "dpo": "SDPO"})
# 14:30:05 in São Paulo (UTC-3)
NOW = datetime(2026, 3, 10, 17, 30, 5, tzinfo=UTC)


def draft(scenario: str = "platform_outage", **audience: str) -> CrisisDraft:
    return CrisisDraft(
        scenario,
        Severity.HIGH,
        "o login não abre",
        parse(audience.pop("kind", "all"), **audience),
        "Olá! Problema: {descricao}. Já estamos resolvendo.",
        "aviso_importante",
    )


def form(**fields: str) -> dict:
    """The declaration modal's state as Slack sends it."""
    values: dict = {}
    for block, value in fields.items():
        if block in ("scenario", "severity", "audience", "category"):
            values[block] = {block: {"type": "static_select", "selected_option": {"value": value}}}
        else:
            values[block] = {block: {"type": "plain_text_input", "value": value}}
    return values


async def test_only_supervisors_may_declare_a_crisis(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    answer = await desk.command("crise", user="UAGENT")
    assert "supervisor" in answer["text"].lower()
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UAGENT", "/suporte crise")
    ]
    assert desk.slack.modals() == []


async def test_someone_who_is_not_a_supervisor_submitting_the_form_gets_no_preview_and_no_draft(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    await add_customers(desk, ["5511900000001"], at=datetime.now(UTC))
    fields = form(
        scenario="platform_outage",
        severity="critica",
        description="o app não abre",
        audience="list",
        phones="+55 11 90000-0001",
        message="Olá! {descricao}.",
    )
    answer = await desk.slack_form(slack_view_submission("crisis.draft", fields, user_id="UAGENT"))

    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"], ensure_ascii=False)
    assert tickets_texts.SUPERVISORS_ONLY in shown and "destinatário" not in shown  # nothing about the phone
    assert await desk.rows("SELECT COUNT(*) FROM crisis_drafts") == [(0,)]
    assert await desk.rows("SELECT actor, detail FROM events WHERE action = 'access.refused'") == [
        ("UAGENT", "crise prévia")
    ]


async def test_declaring_shows_the_preview_and_sends_nothing_before_the_confirmation(
    start_desk: StartDesk,
) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(
        clock, slack_supervisors=BOSS, crisis_stakeholder_groups=GROUPS, whatsapp_daily_limit=2
    )
    desk.graph.clock = lambda: clock.now().timestamp()
    await add_customers(desk, [f"55119000000{n:02d}" for n in range(4)], at=NOW)

    await desk.command("crise", user=BOSS)
    [modal] = desk.slack.modals()
    assert modal["callback_id"] == "crisis.draft"
    message_block = next(b for b in modal["blocks"] if b["block_id"] == "message:platform_outage")
    assert "{descricao}" in message_block["element"]["initial_value"]

    # bad fields are explained, field by field
    bad = await desk.slack_form(
        slack_view_submission(
            "crisis.draft",
            form(
                scenario="platform_outage",
                severity="alta",
                description="",
                audience="list",
                phones="abc\n123",
                message="Oi",
            ),
            user_id=BOSS,
        ),
    )
    assert bad["response_action"] == "errors"
    assert set(bad["errors"]) == {"description", "phones"} and "abc" in bad["errors"]["phones"]

    shown = await desk.slack_form(
        slack_view_submission(
            "crisis.draft",
            form(
                scenario="platform_outage",
                severity="critica",
                description="o app não abre",
                audience="all",
                message="Olá! {descricao}. Estamos resolvendo.",
                template="aviso_importante",
            ),
            user_id=BOSS,
        ),
    )
    assert shown["response_action"] == "update" and shown["view"]["callback_id"] == "crisis.confirm"
    summary = shown["view"]["blocks"][0]["text"]["text"]
    assert "4 destinatários" in summary and "Agora: 2" in summary and "Depois: 2" in summary
    assert "Olá! o app não abre. Estamos resolvendo." in shown["view"]["blocks"][2]["text"]["text"]
    assert desk.graph.sent == [] and await desk.rows("SELECT COUNT(*) FROM broadcasts") == [(0,)]

    # the confirmation declares the crisis and queues the notice
    done = await desk.slack_form(
        slack_view_submission(
            "crisis.confirm", {}, user_id=BOSS, private_metadata=shown["view"]["private_metadata"]
        ),
    )
    assert done == {"response_action": "clear"}
    [(crisis_id, status, suspended)] = await desk.rows("SELECT id, status, sla_suspended FROM crises")
    assert crisis_id == "SUPPORT_CRISIS_20260310_143005" and status == "investigando" and suspended == 1
    [(broadcast_id,)] = await desk.rows("SELECT id FROM broadcasts WHERE key = ?", crisis_id)
    await desk.settle()
    await desk.slack.wait_for(
        lambda fake: any("Crise" in m.get("text", "") for m in fake.channel_messages(CHANNEL))
    )
    [parent] = [m for m in desk.slack.channel_messages(CHANNEL) if "Crise" in m.get("text", "")]
    facts = parent["blocks"][0]["text"]["text"]
    assert "<!subteam^SCTO>" in facts and "<!subteam^SSUP>" in facts and "CEO" in facts
    assert "imediata" in facts and "SLAs suspensos" in facts
    await desk.slack.wait_for(
        lambda fake: any("Envio #" in m.get("text", "") for m in fake.thread(CHANNEL, parent["ts"]))
    )
    assert len(desk.graph.sent_templates()) == 2  # the daily limit: the other two wait
    await desk.bot.broadcasts.cancel(broadcast_id, BOSS)
    await wait_finished(desk, broadcast_id)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
async def test_each_scenario_calls_its_stakeholders_and_says_its_response_time(
    start_desk: StartDesk, scenario: str
) -> None:
    desk = await start_desk(slack_supervisors=BOSS, crisis_stakeholder_groups=GROUPS)
    crisis = await desk.bot.crises.declare(draft(scenario), BOSS, notify=False)
    assert re.fullmatch(r"SUPPORT_CRISIS_\d{8}_\d{6}", crisis.id)
    await desk.settle()
    [parent] = desk.slack.channel_messages(CHANNEL)
    facts = parent["blocks"][0]["text"]["text"]
    expected = SCENARIOS[scenario]
    for name in expected.stakeholders:
        group = json.loads(GROUPS).get(name)
        assert (f"<!subteam^{group}>" if group else labels.of(labels.STAKEHOLDER, name)) in facts
    assert ("imediata" if expected.response_minutes == 0 else f"{expected.response_minutes} min") in facts
    assert ("SLAs suspensos" in facts) is expected.suspend_sla
    assert await desk.rows("SELECT sla_suspended FROM crises") == [(int(expected.suspend_sla),)]


async def test_scenarios_can_be_changed_in_settings(start_desk: StartDesk) -> None:
    changed = json.dumps({"ai_service_degradation": {"response_minutes": 5, "suspend_sla": True}})
    desk = await start_desk(crisis_scenarios=changed)
    crisis = await desk.bot.crises.declare(draft("ai_service_degradation"), BOSS, notify=False)
    assert crisis.sla_suspended
    with pytest.raises(ValueError, match="unknown scenario"):
        await start_desk(crisis_scenarios='{"meteoro": {}}')


async def test_audiences_plan_active_category_and_pasted_list(start_desk: StartDesk) -> None:
    desk = await start_desk()
    now = datetime.now(UTC)
    pro = await add_customers(desk, ["5511911110001", "5511911110002"], at=now, plan="Pro")
    basic = await add_customers(desk, ["5511922220001"], at=now, plan="Basico")
    await desk.rows(
        "UPDATE customers SET active_at = ? WHERE id = ?", (now - timedelta(days=2)).isoformat(), basic[0]
    )
    await desk.rows(
        "UPDATE customers SET active_at = ? WHERE id = ?", (now - timedelta(days=40)).isoformat(), pro[0]
    )
    await desk.whatsapp(wa_text_message("5511933330001", "Caio", "não consigo pagar o boleto"))
    await desk.settle()
    [(writer, ticket)] = await desk.rows(
        "SELECT c.id, t.id FROM customers c JOIN tickets t ON t.customer_id = c.id WHERE c.address = '5511933330001'"
    )
    [(message_id,)] = await desk.rows("SELECT id FROM messages WHERE ticket_id = ?", ticket)
    await desk.rows(
        "INSERT INTO ai_triage (message_id, ticket_id, category, urgency, complexity, sentiment, language,"
        " confidence, requires_human, model, at) VALUES (?, ?, 'billing', 'medium', 'simple', 0, 'pt', 0.9, 0,"
        " 'offline', ?)",
        message_id,
        ticket,
        now.isoformat(),
    )

    async def who(**audience: str) -> tuple[list[int], int]:
        found = await desk.bot.crises.preview(draft(**audience))
        return sorted(found.customer_ids), found.unknown_phones

    assert await who(kind="plan", plan="pro") == (sorted(pro), 0)
    assert await who(kind="active", number="7") == (sorted([basic[0], writer]), 0)
    assert await who(kind="category", category="billing", number="24") == ([writer], 0)
    assert await who(kind="category", category="technical", number="24") == ([], 0)
    assert await who(kind="list", phones="(11) 91111-0002\n+55 11 99999-0000, 551122220001") == ([pro[1]], 2)
    assert len((await who(kind="all"))[0]) == 4

    with pytest.raises(AudienceError, match="entre 1 e 365"):
        parse("active", number="0")
    with pytest.raises(AudienceError, match="categoria"):
        parse("category", number="3", category="nope")


async def test_status_updates_reach_the_same_customers_and_closing_resumes_the_slas(
    start_desk: StartDesk,
) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(clock, slack_supervisors=BOSS)
    ids = await add_customers(desk, ["5511944440001", "5511944440002"], at=clock.now())
    await add_customers(desk, ["5511955550001"], at=clock.now(), plan="Outro")
    await desk.rows("UPDATE customers SET plan = 'Pro' WHERE id IN (?, ?)", *ids)
    # a ticket whose first-response clock would breach during the crisis
    await desk.whatsapp(wa_text_message("5511966660001", "Rita", "socorro", timestamp=int(NOW.timestamp())))
    await desk.settle()

    crisis = await desk.bot.crises.declare(draft(kind="plan", plan="Pro"), BOSS, notify=True)
    await desk.settle()
    [(first,)] = await desk.rows("SELECT id FROM broadcasts WHERE key = ?", crisis.id)
    await wait_finished(desk, first)
    assert sorted(m["to"] for m in desk.graph.sent_templates()) == ["5511944440001", "5511944440002"]

    [(due_before,)] = await desk.rows("SELECT due_at FROM sla_timers WHERE kind = 'first_response'")
    clock.advance(hours=3)
    assert (await desk.bot.support.sla_tick()).breaches == 0  # suspended during the crisis
    [parent] = [m for m in desk.slack.channel_messages(CHANNEL) if "Crise" in m.get("text", "")]

    # a non-supervisor cannot open the update form
    click = slack_block_action(
        "crisis.update", crisis.id, user_id="UAGENT", channel=CHANNEL, message_ts=parent["ts"]
    )
    assert (await desk.slack_event(click, content_type="application/x-www-form-urlencoded")).status == 200
    assert await desk.rows("SELECT actor FROM events WHERE action = 'access.refused'") == [("UAGENT",)]

    update_form = {
        "status": {"status": {"type": "static_select", "selected_option": {"value": "resolvido"}}},
        "text": {"text": {"type": "plain_text_input", "value": "Tudo normalizado, obrigado!"}},
        "notify": {"notify": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    }
    closed = await desk.slack_form(
        slack_view_submission("crisis.update_view", update_form, user_id=BOSS, private_metadata=crisis.id),
    )
    assert closed == {"response_action": "clear"}
    [(closing,)] = await desk.rows(
        "SELECT id FROM broadcasts WHERE key LIKE ? AND id != ?", f"{crisis.id}:%", first
    )
    await wait_finished(desk, closing)
    closing_texts = [
        m["template"]["components"][0]["parameters"][0]["text"] for m in desk.graph.sent_templates()
    ]
    assert closing_texts[-2:] == ["Tudo normalizado, obrigado!"] * 2  # the same two customers, no one else
    assert await desk.rows("SELECT status, sla_suspended FROM crises") == [("resolvido", 0)]
    [(due_after,)] = await desk.rows("SELECT due_at FROM sla_timers WHERE kind = 'first_response'")
    assert due_after == pytest.approx(due_before + 3 * 3600, abs=1)  # pushed back by the suspension
    thread = [m["text"] for m in desk.slack.thread(CHANNEL, parent["ts"])]
    assert any("Resolvido — Tudo normalizado" in t for t in thread) and any("encerrada" in t for t in thread)
    shown = desk.slack.message(CHANNEL, parent["ts"])
    assert shown is not None and all(b["type"] != "actions" for b in shown["blocks"])
    # a closed crisis takes no more updates
    again = await desk.bot.crises.update(crisis.id, CrisisStatus.MONITORING, "x", BOSS, notify=False)
    assert again is None


async def test_a_restart_between_the_preview_and_the_confirmation_loses_nothing(
    start_desk: StartDesk,
) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(clock, slack_supervisors=BOSS)
    phones = ["5511977770001", "5511977770002"]
    await add_customers(desk, phones, at=NOW)
    shown = await desk.slack_form(
        slack_view_submission(
            "crisis.draft",
            form(
                scenario="billing_system_failure",
                severity="alta",
                description="a fatura veio em dobro",
                audience="list",
                phones="\n".join(phones),
                message="Olá! {descricao}. Já estamos corrigindo.",
                template="aviso_importante",
            ),
            user_id=BOSS,
        ),
    )
    token = shown["view"]["private_metadata"]
    assert desk.graph.sent == [] and await desk.rows("SELECT COUNT(*) FROM crises") == [(0,)]

    await desk.bot.stop()  # a deploy while the supervisor reads the preview
    desk = await start_desk(clock, slack_supervisors=BOSS)

    # only the supervisor who filled it in may confirm it
    other = await desk.slack_form(
        slack_view_submission("crisis.confirm", {}, user_id="UBOSS2", private_metadata=token)
    )
    assert "supervisor" in other["view"]["blocks"][0]["text"]["text"].lower()
    done = await desk.slack_form(
        slack_view_submission("crisis.confirm", {}, user_id=BOSS, private_metadata=token)
    )
    assert done == {"response_action": "clear"}
    [(crisis_id, scenario, description)] = await desk.rows("SELECT id, scenario, description FROM crises")
    assert scenario == "billing_system_failure" and description == "a fatura veio em dobro"
    [(broadcast_id, body)] = await desk.rows("SELECT id, body FROM broadcasts WHERE key = ?", crisis_id)
    assert body == "Olá! a fatura veio em dobro. Já estamos corrigindo."
    await wait_finished(desk, broadcast_id)
    assert sorted(m["to"] for m in desk.graph.sent_templates()) == phones

    # a second click on the same confirmation declares nothing more
    again = await desk.slack_form(
        slack_view_submission("crisis.confirm", {}, user_id=BOSS, private_metadata=token)
    )
    assert "expirou" in again["view"]["blocks"][0]["text"]["text"]
    assert await desk.rows("SELECT COUNT(*) FROM crises") == [(1,)]
    assert await desk.rows("SELECT COUNT(*) FROM crisis_drafts") == [(0,)]


async def test_a_draft_left_unconfirmed_for_a_day_expires(start_desk: StartDesk) -> None:
    clock = FixedClock(NOW)
    desk = await start_desk(clock, slack_supervisors=BOSS)
    await add_customers(desk, ["5511977770003"], at=NOW)
    old = await desk.bot.crises.hold(draft(), BOSS)
    clock.advance(hours=25)
    await desk.bot.crises.hold(draft(), BOSS)  # a newer preview clears the stale ones
    assert await desk.bot.crises.confirm(old, BOSS) is None
    assert await desk.rows("SELECT COUNT(*) FROM crises") == [(0,)]


def _message_block(view: dict) -> dict:
    return next(b for b in view["blocks"] if b["block_id"].startswith("message:"))


async def test_the_message_starts_as_the_picked_scenarios_own_text(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    assert len(set(SCENARIO_MESSAGES.values())) == len(SCENARIOS) == len(SCENARIO_MESSAGES)
    await desk.command("crise", user=BOSS)
    [modal] = desk.slack.modals()
    assert _message_block(modal)["element"]["initial_value"] == SCENARIO_MESSAGES["platform_outage"]

    async def pick(scenario: str, typed: dict) -> dict:
        """The supervisor picks a scenario with the form filled as ``typed``; the redrawn form."""
        shown = {**desk.slack.modals()[-1], "state": {"values": form(**typed)}}
        pick = slack_block_action(
            "crisis.scenario",
            scenario,
            user_id=BOSS,
            channel=CHANNEL,
            message_ts="",
            block_id="scenario",
            action_type="static_select",
            view=shown,
        )
        await desk.slack_event(pick, content_type="application/x-www-form-urlencoded")
        await desk.slack.wait_for(
            lambda fake: _message_block(fake.modals()[-1])["block_id"] == f"message:{scenario}"
        )
        return desk.slack.modals()[-1]

    # the stock text follows the scenario, and what was typed elsewhere stays
    billing = await pick(
        "billing_system_failure",
        {"description": "a fatura veio em dobro", "message": SCENARIO_MESSAGES["platform_outage"]},
    )
    assert _message_block(billing)["element"]["initial_value"] == SCENARIO_MESSAGES["billing_system_failure"]
    assert "devolvemos o valor" in SCENARIO_MESSAGES["billing_system_failure"]
    description = next(b for b in billing["blocks"] if b["block_id"] == "description")
    assert description["element"]["initial_value"] == "a fatura veio em dobro"
    # the supervisor's own words are never replaced
    own = await pick("data_privacy_incident", {"message": "Oi! {descricao}. Falamos já já."})
    assert _message_block(own)["element"]["initial_value"] == "Oi! {descricao}. Falamos já já."

    async def preview(scenario: str, message: str) -> str:
        fields = dict(scenario=scenario, severity="alta", description="a IA está lenta", audience="all")
        shown = await desk.slack_form(
            slack_view_submission("crisis.draft", form(**fields, message=message), user_id=BOSS)
        )
        return shown["view"]["blocks"][2]["text"]["text"]

    # an emptied field, or another scenario's stock text, sends the chosen scenario's text
    for message in ("", SCENARIO_MESSAGES["platform_outage"]):
        shown = await preview("ai_service_degradation", message)
        assert "O que está acontecendo: a IA está lenta" in shown and "pessoas da nossa equipe" in shown


async def test_a_message_too_long_for_a_template_once_the_description_is_in_is_refused(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(slack_supervisors=BOSS)
    refused = await desk.slack_form(
        slack_view_submission(
            "crisis.draft",
            {
                **form(scenario="platform_outage", severity="alta", description="x" * 500, audience="all"),
                "message:platform_outage": {
                    "message": {"type": "plain_text_input", "value": "{descricao} " + "a" * 900}
                },
            },
            user_id=BOSS,
        ),
    )
    assert refused["response_action"] == "errors"
    assert "1401 caracteres" in refused["errors"]["message:platform_outage"]
    assert await desk.rows("SELECT COUNT(*) FROM crisis_drafts") == [(0,)]
