"""With SLACK_APP_TOKEN set the bot talks to Slack over Socket Mode: no public URL needed."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from testing.slack_payloads import slack_block_action, slack_message_event
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import CHANNEL, StartDesk


async def test_agent_reply_and_buttons_arrive_over_socket_mode(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_app_token="xapp-test", slack_signing_secret="")
    await desk.slack.wait_for(lambda fake: fake.socket_connected)
    await desk.whatsapp(wa_text_message("5511955554444", "Lia", "Oi, tudo bem?"))
    await desk.settle()
    [parent] = desk.parents()

    reply = desk.slack.post_as_user(CHANNEL, "UANA", "Tudo ótimo, Lia!", thread_ts=parent["ts"])
    event = json.loads(
        slack_message_event(CHANNEL, "UANA", "Tudo ótimo, Lia!", ts=reply["ts"], thread_ts=parent["ts"])
    )
    envelope = await desk.slack.socket_send(event)
    click = slack_block_action("ticket.claim", "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])
    action_envelope = await desk.slack.socket_send(
        json.loads(parse_qs(click.decode())["payload"][0]), "interactive"
    )

    await desk.slack.wait_for(
        lambda fake: {a["envelope_id"] for a in fake.socket_acks} >= {envelope, action_envelope}
    )
    await desk.graph.wait_for(lambda fake: fake.sent_texts("5511955554444"))
    await desk.settle()
    assert desk.graph.sent_texts("5511955554444") == ["Tudo ótimo, Lia!"]
    assert "<@UANA>" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_http_events_are_refused_in_socket_mode(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_app_token="xapp-test", slack_signing_secret="")
    response = await desk.slack_event(b'{"type": "event_callback"}')
    assert response.status == 401
