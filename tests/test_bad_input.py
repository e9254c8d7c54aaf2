"""Whatever arrives at the webhooks, malformed, forged, replayed or oversized, gets a clear 4xx
and changes nothing; what is genuine is stored once and shown once."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from testing.signing import sign_slack, sign_whatsapp, slack_event_headers
from testing.slack_payloads import slack_block_action, slack_message_event
from testing.whatsapp_webhooks import wa_contact, wa_status_obj, wa_text_message, wa_text_obj, wa_value
from tests.conftest import CHANNEL, SLACK_SECRET, WA_SECRET, WA_VERIFY, Desk

MARIA = "5511987651234"
ANA = "5511911110001"
BETO = "5521922220002"
FORM = "application/x-www-form-urlencoded"


def webhook(*entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A body with one entry per argument, each a list of change values."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": f"WABA{n}", "changes": [{"field": "messages", "value": value} for value in values]}
            for n, values in enumerate(entries)
        ],
    }


def raw_text_webhook(text_json: str, *, wamid: str = "wamid.RAW", sender: str = MARIA) -> bytes:
    """One text message whose ``text`` object is given as raw JSON text (to carry odd bytes)."""
    return (
        '{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":'
        '{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"PHONE_ID"},'
        f'"contacts":[{{"wa_id":"{sender}","profile":{{"name":"Maria"}}}}],'
        f'"messages":[{{"from":"{sender}","id":"{wamid}","timestamp":"{int(time.time())}","type":"text","text":{text_json}}}]'
        "}}]}]}"
    ).encode()


async def nothing_stored(desk: Desk) -> None:
    await desk.settle()
    assert await desk.rows("SELECT COUNT(*) FROM inbox") == [(0,)]
    assert await desk.rows("SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.parents() == []


async def open_ticket(desk: Desk, text: str = "Oi, preciso de ajuda") -> dict[str, Any]:
    """Maria writes; returns the ticket's parent message in Slack."""
    response = await desk.whatsapp(wa_text_message(MARIA, "Maria", text, wamid="wamid.MARIA1"))
    assert response.status == 200
    await desk.settle()
    [parent] = desk.parents()
    return parent


def agent_reply_event(desk: Desk, parent_ts: str, text: str, user: str = "UANA", **kw: Any) -> bytes:
    """An agent's thread reply, stored in the fake Slack and shaped as the event Slack sends."""
    ts = desk.slack.post_as_user(CHANNEL, user, text, thread_ts=parent_ts)["ts"]
    return slack_message_event(CHANNEL, user, text, ts=ts, thread_ts=parent_ts, **kw)


# ====================================================================== WhatsApp: who may post


async def test_a_webhook_without_a_signature_is_refused_with_401_and_nothing_is_stored(desk: Desk) -> None:
    response = await desk.whatsapp(
        wa_text_message(MARIA, "Maria", "Oi"), headers={"Content-Type": "application/json"}
    )
    assert response.status == 401
    await nothing_stored(desk)


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(
            lambda raw: sign_whatsapp(raw, "another-app-secret")["X-Hub-Signature-256"], id="other-secret"
        ),
        pytest.param(
            lambda raw: sign_whatsapp(raw + b" ", WA_SECRET)["X-Hub-Signature-256"], id="other-body"
        ),
        pytest.param(lambda raw: "sha256=" + "0" * 64, id="zeros"),
        pytest.param(lambda raw: sign_whatsapp(raw, WA_SECRET)["X-Hub-Signature-256"][7:], id="no-prefix"),
        pytest.param(
            lambda raw: "sha1=" + sign_whatsapp(raw, WA_SECRET)["X-Hub-Signature-256"][7:], id="sha1-prefix"
        ),
        pytest.param(lambda raw: "sha256=não-hex", id="not-hex"),
    ],
)
async def test_a_webhook_with_a_wrong_signature_is_refused_with_403_and_nothing_is_stored(
    desk: Desk, signature
) -> None:
    raw = json.dumps(wa_text_message(MARIA, "Maria", "Oi")).encode()
    headers = {"X-Hub-Signature-256": signature(raw), "Content-Type": "application/json"}
    response = await desk.whatsapp(raw, headers=headers)
    assert response.status == 403
    await nothing_stored(desk)


# ====================================================================== WhatsApp: what may be posted


@pytest.mark.parametrize("raw", [b"", b"hello", b"{", b'{"entry": [}', b"NaN,"], ids=repr)
async def test_a_signed_body_that_is_not_json_gets_400(desk: Desk, raw: bytes) -> None:
    response = await desk.whatsapp(raw)
    assert response.status == 400
    await nothing_stored(desk)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param([wa_text_message(MARIA, "Maria", "Oi")], id="a-list"),
        pytest.param({}, id="empty-object"),
        pytest.param("webhook", id="a-string"),
        pytest.param(None, id="null"),
        pytest.param({"entry": "x"}, id="entry-a-string"),
        pytest.param({"entry": [7]}, id="entry-item-a-number"),
        pytest.param({"entry": [{"changes": {"value": {}}}]}, id="changes-an-object"),
        pytest.param({"entry": [{"changes": [{"field": "messages", "value": "x"}]}]}, id="value-a-string"),
        pytest.param(
            {"entry": [{"changes": [{"field": "messages", "value": {"messages": {"id": "x"}}}]}]},
            id="messages-an-object",
        ),
        pytest.param(
            {"entry": [{"changes": [{"field": "messages", "value": {"statuses": "read"}}]}]},
            id="statuses-a-string",
        ),
        pytest.param(
            webhook(
                [
                    wa_value(
                        [wa_contact(MARIA, "Maria")],
                        [{"from": MARIA, "type": "text", "text": {"body": "sem id"}}],
                    )
                ]
            ),
            id="message-without-id",
        ),
        pytest.param(
            webhook(
                [wa_value([wa_contact(MARIA, "Maria")], [{**wa_text_obj(MARIA, "id numérico"), "id": 42}])]
            ),
            id="message-id-a-number",
        ),
        pytest.param(
            webhook([wa_value(None, statuses=[{"status": "read", "recipient_id": MARIA}])]),
            id="status-without-id",
        ),
    ],
)
async def test_signed_json_that_is_not_a_webhook_gets_400(desk: Desk, body: Any) -> None:
    response = await desk.whatsapp(json.dumps(body).encode())
    assert response.status == 400
    await nothing_stored(desk)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\xff\xfe\xfd", id="garbage"),
        pytest.param(raw_text_webhook('{"body":"não"}').replace("ã".encode(), b"\xe3"), id="latin-1-text"),
        pytest.param(
            raw_text_webhook('{"body":"oi SURR"}').replace(b"SURR", b"\xed\xa0\x80"), id="encoded-surrogate"
        ),
        pytest.param(
            raw_text_webhook('{"body":"oi TRUNC"}').replace(b"TRUNC", b"\xf0\x9f\x98"), id="truncated-emoji"
        ),
        pytest.param(json.dumps(wa_text_message(MARIA, "Maria", "em UTF-16")).encode("utf-16"), id="utf-16"),
    ],
)
async def test_a_signed_body_that_is_not_utf8_gets_400(desk: Desk, raw: bytes) -> None:
    response = await desk.whatsapp(raw)
    assert response.status == 400
    await nothing_stored(desk)


@pytest.mark.parametrize(
    "raw",
    [b"[" * 100_000, b'{"a":' * 100_000, b'{"entry":' + b"[" * 5_000],
    ids=["lists", "objects", "inside-entry"],
)
async def test_deeply_nested_json_gets_a_4xx_not_a_server_error(desk: Desk, raw: bytes) -> None:
    response = await desk.whatsapp(raw)
    assert 400 <= response.status < 500
    await nothing_stored(desk)


async def test_a_body_over_the_size_limit_gets_413_and_nothing_is_stored(desk: Desk) -> None:
    limit = desk.bot.settings.max_body_bytes
    body = json.dumps(wa_text_message(MARIA, "Maria", "x" * limit)).encode()
    assert len(body) > limit
    response = await desk.whatsapp(body)
    assert response.status == 413
    await nothing_stored(desk)


async def test_a_body_just_under_the_size_limit_is_accepted(desk: Desk) -> None:
    limit = desk.bot.settings.max_body_bytes
    overhead = len(json.dumps(wa_text_message(MARIA, "Maria", "", wamid="wamid.BIG")).encode())
    body = json.dumps(wa_text_message(MARIA, "Maria", "x" * (limit - overhead), wamid="wamid.BIG")).encode()
    assert len(body) == limit
    response = await desk.whatsapp(body)
    assert response.status == 200
    await desk.settle()
    assert await desk.rows("SELECT COUNT(*) FROM messages WHERE external_id = 'wamid.BIG'") == [(1,)]


async def test_a_redelivered_webhook_is_acknowledged_both_times_but_shown_once(desk: Desk) -> None:
    raw = json.dumps(wa_text_message(MARIA, "Maria", "Meu boleto não chegou")).encode()
    first = await desk.whatsapp(raw)
    await desk.settle()
    again = await desk.whatsapp(raw)
    await desk.settle()

    assert (first.status, again.status) == (200, 200)
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["Meu boleto não chegou"]
    assert await desk.rows("SELECT COUNT(*) FROM tickets") == [(1,)]


async def test_the_subscription_handshake_echoes_the_challenge_only_for_the_right_token(desk: Desk) -> None:
    url = f"{desk.url}/whatsapp/webhook"
    good = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    async with desk.http.get(url, params=good) as response:
        assert (response.status, await response.text()) == (200, "1158201444")
    for wrong in (
        {**good, "hub.verify_token": "guess"},
        {**good, "hub.mode": "unsubscribe"},
        {"hub.challenge": "1158201444"},
    ):
        async with desk.http.get(url, params=wrong) as response:
            assert response.status == 403
            assert "1158201444" not in await response.text()


# ====================================================================== WhatsApp: odd but genuine


async def test_every_message_of_every_entry_and_change_reaches_the_right_thread_in_order(desk: Desk) -> None:
    contacts = [wa_contact(ANA, "Ana"), wa_contact(BETO, "Beto")]
    count = {ANA: 0, BETO: 0}

    def said(who: str) -> dict[str, Any]:
        count[who] += 1
        return wa_text_obj(who, f"{'Ana' if who == ANA else 'Beto'} {count[who]}")

    # Built in the order Meta lists them; the text numbers follow that order per customer.
    first_entry = [
        wa_value(contacts, [said(ANA), said(BETO), said(ANA)]),
        wa_value(
            contacts,
            [said(BETO), said(ANA), said(BETO)],
            statuses=[wa_status_obj("wamid.NOTOURS1", "delivered", ANA)],
        ),
    ]
    second_entry = [
        wa_value(
            contacts,
            [said(ANA), said(ANA), said(BETO)],
            statuses=[
                wa_status_obj("wamid.NOTOURS2", "read", BETO),
                wa_status_obj("wamid.NOTOURS3", "failed", ANA),
            ],
        ),
        wa_value(contacts, [said(BETO), said(BETO), said(ANA)]),
    ]
    response = await desk.whatsapp(webhook(first_entry, second_entry))
    assert response.status == 200
    await desk.settle()

    threads = {("Ana" if "Ana" in str(p["blocks"]) else "Beto"): desk.thread_of(p) for p in desk.parents()}
    assert [m["text"] for m in threads["Ana"]] == [f"Ana {n}" for n in range(1, 7)]
    assert [m["text"] for m in threads["Beto"]] == [f"Beto {n}" for n in range(1, 7)]
    assert await desk.rows("SELECT error FROM inbox WHERE error IS NOT NULL") == []
    assert await desk.rows("SELECT kind, COUNT(*) FROM inbox GROUP BY kind ORDER BY kind") == [
        ("message", 12),
        ("status", 3),
    ]


async def test_a_lone_surrogate_escape_in_a_message_is_shown_not_lost(desk: Desk) -> None:
    # Valid UTF-8 and valid JSON, but "\ud83d" alone is half an emoji: not encodable text.
    response = await desk.whatsapp(raw_text_webhook('{"body":"obrigada \\ud83d"}', wamid="wamid.HALF\\udc00"))
    assert response.status == 200
    await desk.settle()
    assert await desk.rows("SELECT error FROM inbox WHERE error IS NOT NULL") == []
    [parent] = desk.parents()
    assert [m["text"] for m in desk.thread_of(parent)] == ["obrigada \ufffd"]


def _odd(message_patch: dict[str, Any] | None = None, contact: Any = None) -> dict[str, Any]:
    message = {**wa_text_obj(MARIA, "texto"), **(message_patch or {})}
    return webhook([wa_value([contact if contact is not None else wa_contact(MARIA, "Maria")], [message])])


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        pytest.param(_odd(contact={"wa_id": MARIA, "profile": "Maria"}), "texto", id="profile-a-string"),
        pytest.param(_odd(contact={"wa_id": MARIA, "profile": {"name": 7}}), "texto", id="name-a-number"),
        pytest.param(  # found by bench/fuzz
            {
                **_odd(),
                "entry": [
                    {
                        "changes": [
                            {
                                "field": "messages",
                                "value": {"contacts": True, "messages": [wa_text_obj(MARIA, "texto")]},
                            }
                        ]
                    }
                ],
            },
            "texto",
            id="contacts-not-a-list",
        ),
        pytest.param(_odd({"text": {"body": ["a", "b"]}}), "não consigo mostrar", id="text-a-list"),
        pytest.param(
            _odd({"type": "reaction", "reaction": {"message_id": ["x"], "emoji": "👍"}}),
            "não consigo mostrar",
            id="reaction-target-a-list",
        ),
        pytest.param(
            _odd({"type": "image", "image": {"id": "55", "mime_type": {"x": 1}}}),
            "não consigo mostrar",
            id="mime-type-an-object",
        ),
        pytest.param(_odd({"type": ["text"]}), "não consigo mostrar", id="type-a-list"),
        pytest.param(
            _odd({"type": "contacts", "contacts": "Chandler"}), "não consigo mostrar", id="contacts-a-string"
        ),
        pytest.param(_odd({"timestamp": "ontem"}), "texto", id="timestamp-not-a-number"),
    ],
)
async def test_a_message_with_oddly_typed_fields_still_shows_up_in_the_thread(
    desk: Desk, body: dict, shown: str
) -> None:
    response = await desk.whatsapp(body)
    assert response.status == 200
    await desk.settle()
    assert await desk.rows("SELECT error FROM inbox WHERE error IS NOT NULL") == []
    [parent] = desk.parents()
    [reply] = desk.thread_of(parent)
    assert shown in reply["text"]


@pytest.mark.parametrize(
    "status",
    [
        {"status": ["read"]},
        {"status": {"read": True}},
        {"status": "failed", "errors": 131026},
        {"status": "failed", "errors": [{"code": [131026], "title": {"t": 1}}]},
        {"timestamp": {"at": 1}},
    ],
    ids=["state-a-list", "state-an-object", "errors-a-number", "error-code-a-list", "timestamp-an-object"],
)
async def test_a_status_with_oddly_typed_fields_does_not_break_the_inbox(desk: Desk, status: dict) -> None:
    parent = await open_ticket(desk)
    body = webhook(
        [
            wa_value(
                [wa_contact(MARIA, "Maria")], statuses=[{**wa_status_obj("wamid.X", "read", MARIA), **status}]
            )
        ]
    )
    response = await desk.whatsapp(body)
    assert response.status == 200
    await desk.settle()
    assert await desk.rows("SELECT error FROM inbox WHERE error IS NOT NULL") == []
    assert len(desk.thread_of(parent)) == 1


# ====================================================================== Slack: who may post


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda raw, ct: {"Content-Type": ct}, id="no-headers"),
        pytest.param(
            lambda raw, ct: {
                k: v
                for k, v in sign_slack(raw, SLACK_SECRET, content_type=ct).items()
                if k != "X-Slack-Signature"
            },
            id="no-signature",
        ),
        pytest.param(
            lambda raw, ct: {
                k: v
                for k, v in sign_slack(raw, SLACK_SECRET, content_type=ct).items()
                if k != "X-Slack-Request-Timestamp"
            },
            id="no-timestamp",
        ),
        pytest.param(lambda raw, ct: sign_slack(raw, "not-our-secret", content_type=ct), id="other-secret"),
        pytest.param(
            lambda raw, ct: {**sign_slack(raw, SLACK_SECRET, content_type=ct), "X-Slack-Signature": "v0=abc"},
            id="garbage-signature",
        ),
        pytest.param(
            lambda raw, ct: {
                **sign_slack(raw, SLACK_SECRET, content_type=ct),
                "X-Slack-Request-Timestamp": str(int(time.time()) - 1),
            },
            id="other-timestamp",
        ),
        pytest.param(
            lambda raw, ct: {
                **sign_slack(raw, SLACK_SECRET, content_type=ct),
                "X-Slack-Request-Timestamp": "agora",
            },
            id="timestamp-not-a-number",
        ),
        pytest.param(
            lambda raw, ct: {**sign_slack(raw, SLACK_SECRET, content_type=ct), "X-Slack-Signature": "v0=não"},
            id="signature-not-ascii",
        ),
    ],
)
async def test_a_slack_request_without_a_valid_signature_gets_401_and_changes_nothing(
    desk: Desk, forge
) -> None:
    parent = await open_ticket(desk)
    reply = agent_reply_event(desk, parent["ts"], "Seu reembolso foi aprovado")
    click = slack_block_action("ticket.claim", "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])

    for raw, content_type in ((reply, "application/json"), (click, FORM)):
        response = await desk.slack_event(raw, headers=forge(raw, content_type))
        assert response.status == 401
    await desk.settle()

    assert desk.graph.sent == [] and desk.graph.read_marks == []
    assert await desk.rows("SELECT status, assignee FROM tickets") == [("new", None)]
    assert "Assumir" in str(desk.slack.message(CHANNEL, parent["ts"])["blocks"])


async def test_a_correctly_signed_request_older_than_five_minutes_is_refused_as_a_replay(desk: Desk) -> None:
    parent = await open_ticket(desk)
    reply = agent_reply_event(desk, parent["ts"], "Resposta velha")
    response = await desk.slack_event(reply, timestamp=int(time.time()) - 6 * 60)
    assert response.status == 401
    click = slack_block_action("ticket.claim", "1", user_id="UANA", channel=CHANNEL, message_ts=parent["ts"])
    response = await desk.slack_event(click, content_type=FORM, timestamp=int(time.time()) + 6 * 60)
    assert response.status == 401
    await desk.settle()
    assert desk.graph.sent == []
    assert await desk.rows("SELECT assignee FROM tickets") == [(None,)]


# ====================================================================== Slack: what may be posted


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        pytest.param(b"{not json", "application/json", id="json-broken"),
        pytest.param(b"", "application/json", id="json-empty"),
        pytest.param(b"[1, 2]", "application/json", id="json-a-list"),
        pytest.param(b'"event_callback"', "application/json", id="json-a-string"),
        pytest.param(b"null", "application/json", id="json-null"),
        pytest.param(b"[" * 100_000, "application/json", id="json-nested-deep"),
        pytest.param(b'{"type": "event_callback", "event": null}', "application/json", id="event-null"),
        pytest.param(
            b'{"type": "event_callback", "event": "message"}', "application/json", id="event-a-string"
        ),
        pytest.param(
            b'{"type": "event_callback", "event": {"type": "message"}, "authorizations": 3}',
            "application/json",
            id="authorizations-a-number",
        ),
        pytest.param(b"payload=%7Bbroken", FORM, id="form-payload-broken"),
        pytest.param(b"payload=%5B1%5D", FORM, id="form-payload-a-list"),
        pytest.param(b"{x=1", FORM, id="form-starting-with-a-brace"),
        pytest.param(
            b"payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%22x%22%7D",
            FORM,
            id="form-actions-a-string",
        ),
        pytest.param(
            b"payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%7D%5D%7D",
            FORM,
            id="form-action-without-id",
        ),
        pytest.param(
            b"payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A5%7D", FORM, id="form-user-a-number"
        ),
        pytest.param(  # found by bench/fuzz: Bolt reads actions[0] of an action payload without actions
            b"payload=%7B%22type%22%3A%22interactive_message%22%2C%22callback_id%22%3A%22x%22%7D",
            FORM,
            id="form-interactive-message-without-actions",
        ),
        pytest.param(  # found by bench/fuzz: a submitted view without its type
            b"payload=%7B%22type%22%3A%22view_submission%22%2C%22view%22%3A%7B%22callback_id%22%3A%22x%22%7D%7D",
            FORM,
            id="form-view-submission-without-view-type",
        ),
        pytest.param(  # found by bench/fuzz: a user id that is not a string
            b'{"type": "block_actions", "team": {"id": "T9"}, "user": {"id": [null]}, "actions": [{"action_id": "x"}]}',
            "application/json",
            id="user-id-a-list",
        ),
    ],
)
async def test_a_signed_slack_body_that_cannot_be_read_gets_a_4xx_not_a_server_error(
    desk: Desk, raw: bytes, content_type: str
) -> None:
    parent = await open_ticket(desk)
    response = await desk.slack_event(raw, content_type=content_type)
    assert 400 <= response.status < 500
    await desk.settle()
    assert desk.graph.sent == []
    assert len(desk.thread_of(parent)) == 1


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe", b'{"type": "url_verification", "challenge": "\xe9"}', b"payload=%7B%7D\x80"],
    ids=["garbage", "latin-1-json", "form-with-a-stray-byte"],
)
async def test_a_signed_slack_body_that_is_not_utf8_gets_400(desk: Desk, raw: bytes) -> None:
    response = await desk.slack_event(raw)
    assert response.status == 400


async def test_an_event_redelivered_with_retry_headers_reaches_the_customer_once(desk: Desk) -> None:
    parent = await open_ticket(desk)
    raw = agent_reply_event(desk, parent["ts"], "Já estou verificando, Maria.")
    first = await desk.slack_event(raw)
    await desk.settle()
    for attempt in (1, 2):
        response = await desk.slack_event(
            raw, headers=slack_event_headers(raw, SLACK_SECRET, retry_num=attempt)
        )
        assert response.status == 200
    await desk.settle()

    assert first.status == 200
    assert desk.graph.sent_texts(MARIA) == ["Já estou verificando, Maria."]


async def test_an_event_retried_before_the_first_delivery_finished_reaches_the_customer_once(
    desk: Desk,
) -> None:
    parent = await open_ticket(desk)
    raw = agent_reply_event(desk, parent["ts"], "Um momento, por favor.")
    await desk.slack_event(raw)
    await desk.slack_event(
        raw, headers=slack_event_headers(raw, SLACK_SECRET, retry_num=1, retry_reason="http_error")
    )
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == ["Um momento, por favor."]


# ====================================================================== Slack: what is not for the customer


def _edited(desk: Desk, parent_ts: str) -> bytes:
    ts = desk.slack.post_as_user(CHANNEL, "UANA", "texto corrigido", thread_ts=parent_ts)["ts"]
    body = json.loads(
        slack_message_event(CHANNEL, "UANA", "", ts=desk.slack.next_ts(), subtype="message_changed")
    )
    event = body["event"]
    del event["user"]
    event.update(
        hidden=True,
        message={
            "type": "message",
            "user": "UANA",
            "text": "texto corrigido",
            "ts": ts,
            "thread_ts": parent_ts,
            "edited": {"user": "UANA", "ts": event["ts"]},
        },
        previous_message={
            "type": "message",
            "user": "UANA",
            "text": "texto",
            "ts": ts,
            "thread_ts": parent_ts,
        },
    )
    return json.dumps(body).encode()


def _deleted(desk: Desk, parent_ts: str) -> bytes:
    ts = desk.slack.post_as_user(CHANNEL, "UANA", "apagada", thread_ts=parent_ts)["ts"]
    body = json.loads(
        slack_message_event(CHANNEL, "UANA", "", ts=desk.slack.next_ts(), subtype="message_deleted")
    )
    event = body["event"]
    del event["user"]
    event.update(
        hidden=True,
        deleted_ts=ts,
        previous_message={
            "type": "message",
            "user": "UANA",
            "text": "apagada",
            "ts": ts,
            "thread_ts": parent_ts,
        },
    )
    return json.dumps(body).encode()


def _classic_bot(desk: Desk, parent_ts: str) -> bytes:
    body = json.loads(
        agent_reply_event(desk, parent_ts, "bot clássico", subtype="bot_message", bot_id="BCLASSIC")
    )
    del body["event"]["user"]
    body["event"]["username"] = "Integração antiga"
    return json.dumps(body).encode()


def _thread_of_no_ticket(desk: Desk, parent_ts: str) -> bytes:
    chat_ts = desk.slack.post_as_user(CHANNEL, "UBRUNO", "alguém viu o deploy?")["ts"]
    return agent_reply_event(desk, chat_ts, "vi sim")


def _top_level(desk: Desk, parent_ts: str) -> bytes:
    ts = desk.slack.post_as_user(CHANNEL, "UANA", "bom dia, time!")["ts"]
    return slack_message_event(CHANNEL, "UANA", "bom dia, time!", ts=ts)


def _other_channel(desk: Desk, parent_ts: str) -> bytes:
    ts = desk.slack.post_as_user("CRANDOM", "UANA", "fora do canal", thread_ts=parent_ts)["ts"]
    return slack_message_event("CRANDOM", "UANA", "fora do canal", ts=ts, thread_ts=parent_ts)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(
            lambda d, p: agent_reply_event(d, p, "sou um bot", user="UOTHERBOT", bot_id="BOTHER"),
            id="another-bot",
        ),
        pytest.param(
            lambda d, p: agent_reply_event(d, p, "eco do próprio app", user="UBOT", bot_id="BBOT"),
            id="the-app-itself",
        ),
        pytest.param(_classic_bot, id="classic-bot-message"),
        pytest.param(_edited, id="message-changed"),
        pytest.param(_deleted, id="message-deleted"),
        pytest.param(
            lambda d, p: agent_reply_event(d, p, "entrou", subtype="channel_join"), id="channel-join"
        ),
        pytest.param(_top_level, id="top-level-message"),
        pytest.param(_other_channel, id="thread-in-another-channel"),
        pytest.param(_thread_of_no_ticket, id="thread-that-is-no-ticket"),
    ],
)
async def test_what_is_not_an_agent_reply_in_a_ticket_thread_never_reaches_the_customer(
    desk: Desk, event
) -> None:
    parent = await open_ticket(desk)
    response = await desk.slack_event(event(desk, parent["ts"]))
    assert response.status == 200
    await desk.settle()
    assert desk.graph.sent == [] and desk.graph.read_marks == []

    # The same thread still relays a real agent reply: the silence above was a decision.
    await desk.slack_event(agent_reply_event(desk, parent["ts"], "Oi Maria, sou a Ana."))
    await desk.settle()
    assert desk.graph.sent_texts(MARIA) == ["Oi Maria, sou a Ana."]
