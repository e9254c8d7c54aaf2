"""The fakes behave like the real platforms *as seen by the real SDK clients* (pywa_async, slack_sdk).

If these pass, app tests can trust that a success, an error code or a timeout produced by a fake
reaches the app exactly the way the production SDK would deliver it.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import httpx
import pytest
from pywa_async import WhatsApp
from pywa_async import errors as wa_errors
from pywa_async import types as wa_types
from slack_bolt.request.internals import parse_body
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from testing import (
    FakeGraphAPI,
    FakeSlackAPI,
    sign_slack,
    sign_whatsapp,
    slack_block_action,
    slack_event_headers,
    slack_message_event,
    to_bytes,
    wa_bsuid,
    wa_contact,
    wa_media_message,
    wa_status,
    wa_text_message,
    wa_text_obj,
    wa_value,
    wa_webhook,
)
from tests.conftest import SHARED, needs_shared

FIXTURES = SHARED / "fixtures"
WA_TOKEN = "EAAG-test-token"
SLACK_TOKEN = "xoxb-test"
PHONE_ID = "PHONE_ID"
CUSTOMER = "5511999990001"


class RewriteTransport(httpx.AsyncBaseTransport):
    """Sends pywa's hard-coded graph.facebook.com requests to the fake; anything else passes through.

    (The app ships its own equivalent; this one exists so these tests depend on nothing but the fakes.)
    """

    def __init__(self, target_url: str) -> None:
        target = httpx.URL(target_url)
        self._host, self._port = target.host, target.port
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "graph.facebook.com":
            request.url = request.url.copy_with(scheme="http", host=self._host, port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def make_wa(graph: FakeGraphAPI, *, timeout: float = 5.0, token: str = WA_TOKEN) -> WhatsApp:
    session = httpx.AsyncClient(transport=RewriteTransport(graph.url), timeout=timeout)
    return WhatsApp(phone_id=PHONE_ID, token=token, session=session, validate_updates=False)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI(token=WA_TOKEN) as fake:
        yield fake


@pytest.fixture
async def wa(graph: FakeGraphAPI) -> AsyncIterator[WhatsApp]:
    client = make_wa(graph)
    yield client
    await client.api._session.aclose()


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI(token=SLACK_TOKEN) as fake:
        yield fake


@pytest.fixture
def slack(slack_fake: FakeSlackAPI) -> AsyncWebClient:
    return AsyncWebClient(token=SLACK_TOKEN, base_url=slack_fake.url + "/api/", timeout=5)


# ====================================================================== WhatsApp Graph API


async def test_send_text_records_body_and_returns_meta_shaped_id(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    first = await wa.send_message(to=CUSTOMER, text="Olá, tudo bem?")
    second = await wa.send_message(to=CUSTOMER, text="Segunda")

    assert first.id.startswith("wamid.FAKE") and first.id != second.id
    assert graph.sent_texts(CUSTOMER) == ["Olá, tudo bem?", "Segunda"]
    sent = graph.sent[0]
    assert sent["id"] == first.id and sent["type"] == "text" and sent["messaging_product"] == "whatsapp"
    call = graph.calls_to("messages")[0]
    assert re.fullmatch(rf"/v[\d.]+/{PHONE_ID}/messages", call.path)
    assert call.headers["authorization"] == f"Bearer {WA_TOKEN}"


async def test_send_image_bytes_uploads_then_sends_by_id(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    png = b"\x89PNG\r\n\x1a\nfake-image"
    await wa.send_image(to=CUSTOMER, image=png, mime_type="image/png", caption="comprovante")

    assert [c.method_name for c in graph.calls] == ["media.upload", "messages"]
    ((media_id, (data, mime, filename)),) = graph.uploaded.items()
    assert (data, mime) == (png, "image/png") and media_id.isdigit() and filename
    assert graph.sent[0]["image"] == {"id": media_id, "caption": "comprovante"}


async def test_send_document_bytes_keeps_filename(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    pdf = b"%PDF-1.4 fake"
    await wa.send_document(
        to=CUSTOMER, document=pdf, filename="boleto.pdf", mime_type="application/pdf", caption="seu boleto"
    )

    media_id = graph.sent[0]["document"]["id"]
    assert graph.uploaded[media_id] == (pdf, "application/pdf", "boleto.pdf")
    assert graph.sent[0]["document"]["filename"] == "boleto.pdf"


async def test_mark_as_read_and_typing(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    assert (await wa.mark_message_as_read("wamid.IN1")).success
    assert (await wa.indicate_typing("wamid.IN2")).success
    assert graph.read_marks == ["wamid.IN1", "wamid.IN2"]
    assert graph.typing == ["wamid.IN2"]
    assert graph.sent == []


async def test_media_url_and_bytes_of_customer_media(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    graph.add_media("123456", b"OggS-voice", "audio/ogg; codecs=opus")

    info = await wa.get_media_url("123456")
    assert info.mime_type == "audio/ogg; codecs=opus" and info.file_size == 10
    assert await wa.get_media_bytes(info.url) == b"OggS-voice"
    assert [c.method_name for c in graph.calls] == ["media.get", "media.download"]


async def test_unknown_media_is_graph_error_100(wa: WhatsApp) -> None:
    with pytest.raises(wa_errors.WhatsAppError) as exc:
        await wa.get_media_url("999")
    assert exc.value.code == 100 and exc.value.status_code == 400


async def test_graph_faults_surface_as_pywa_errors(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    graph.fail("messages", status=400, code=131047, message="Re-engagement message")
    graph.fail("messages", status=429, code=130429, retry_after=1)
    graph.fail("messages", status=500, code=1)

    with pytest.raises(wa_errors.ReEngagementMessage) as reengage:
        await wa.send_message(to=CUSTOMER, text="a")
    with pytest.raises(wa_errors.RateLimitHit) as limited:
        await wa.send_message(to=CUSTOMER, text="b")
    with pytest.raises(wa_errors.WhatsAppError) as server:
        await wa.send_message(to=CUSTOMER, text="c")
    await wa.send_message(to=CUSTOMER, text="d")  # faults used up

    assert reengage.value.code == 131047 and reengage.value.message == "Re-engagement message"
    assert limited.value.status_code == 429 and limited.value.raw_response.headers["Retry-After"] == "1"
    assert server.value.code == 1 and server.value.status_code == 500
    assert [c.faulted for c in graph.calls_to("messages")] == [True, True, True, False]
    assert graph.sent_texts() == ["d"]


async def test_reject_to_and_fault_match(graph: FakeGraphAPI, wa: WhatsApp) -> None:
    graph.reject_to("5511000000000", 131026, "Message undeliverable")
    graph.fail(
        "messages", status=400, code=131051, times=None, match=lambda c: c.params.get("type") == "sticker"
    )

    with pytest.raises(wa_errors.MessageUndeliverable):
        await wa.send_message(to="5511000000000", text="oi")
    with pytest.raises(wa_errors.UnsupportedMessageType):
        await wa.send_sticker(to=CUSTOMER, sticker="1234")
    await wa.send_message(to=CUSTOMER, text="ok")
    assert graph.sent_texts() == ["ok"]


async def test_bad_token_is_graph_error_190(graph: FakeGraphAPI) -> None:
    client = make_wa(graph, token="wrong")
    try:
        with pytest.raises(wa_errors.WhatsAppError) as exc:
            await client.send_message(to=CUSTOMER, text="x")
        assert exc.value.code == 190 and exc.value.status_code == 401
    finally:
        await client.api._session.aclose()


async def test_graph_delay_beyond_timeout_times_out(graph: FakeGraphAPI) -> None:
    client = make_wa(graph, timeout=1.0)  # generous: the machine may be busy
    graph.delay("messages", 1.5, times=1)
    try:
        with pytest.raises(httpx.TimeoutException):
            await client.send_message(to=CUSTOMER, text="slow")
        graph.delay("messages", 0.05, times=1)  # slow but within the timeout
        await client.send_message(to=CUSTOMER, text="fine")
    finally:
        await client.api._session.aclose()
    # The timed-out send was still processed server-side: the ambiguous case the app must tolerate.
    await graph.wait_for(lambda g: len(g.sent) == 2, timeout=2)
    assert graph.calls_to("messages")[0].delayed == 1.5


async def test_webhook_builders_parse_in_pywa() -> None:
    """Our WhatsApp payloads are signed correctly and pywa turns them into the expected updates."""
    secret = "app-secret"
    wa = WhatsApp(
        phone_id=PHONE_ID, token=WA_TOKEN, app_secret=secret, verify_token="vt", session=httpx.AsyncClient()
    )
    got: list[object] = []

    @wa.on_message()
    async def on_message(_: WhatsApp, msg: wa_types.Message) -> None:
        got.append(msg)

    @wa.on_message_status()
    async def on_status(_: WhatsApp, status: wa_types.MessageStatus) -> None:
        got.append(status)

    bodies = [
        wa_text_message(CUSTOMER, "Maria", "quero ajuda", wamid="wamid.T1"),
        wa_media_message(
            CUSTOMER, "Maria", "document", "555", "application/pdf", filename="rg.pdf", caption="doc"
        ),
        wa_media_message(CUSTOMER, "Maria", "audio", "556", "audio/ogg; codecs=opus", voice=True),
        wa_status("wamid.FAKE1", "failed", CUSTOMER),
        wa_status("wamid.FAKE2", "read", CUSTOMER),
    ]
    for body in bodies:
        raw = to_bytes(body)
        headers = sign_whatsapp(raw, secret)
        assert await wa.webhook_update_validator(raw, headers["X-Hub-Signature-256"]) is None
        assert (await wa.webhook_update_handler(raw)) == ("ok", 200)
    # A signature over different bytes is rejected (validator returns an error tuple).
    assert await wa.webhook_update_validator(b"{}", sign_whatsapp(b"{ }", secret)["X-Hub-Signature-256"])

    text, doc, voice, failed, read = got
    assert text.id == "wamid.T1" and text.text == "quero ajuda" and text.from_user.wa_id == CUSTOMER
    assert text.from_user.name == "Maria" and text.from_user.bsuid == wa_bsuid(CUSTOMER)
    assert doc.document.id == "555" and doc.document.filename == "rg.pdf" and doc.caption == "doc"
    assert voice.audio.voice is True
    assert failed.status.value == "failed" and failed.error.code == 131026
    assert read.status.value == "read"
    await wa.api._session.aclose()


@needs_shared
def test_whatsapp_signature_matches_meta_vector() -> None:
    vec = json.loads((FIXTURES / "whatsapp/signature_test_vector.json").read_text())
    assert sign_whatsapp(vec["raw_body"].encode(), vec["app_secret"]) == vec["headers"]


@needs_shared
def test_wa_webhook_combines_values_in_fixture_shape() -> None:
    fixture = json.loads((FIXTURES / "whatsapp/flat/message__text.json").read_text())
    body = wa_webhook(
        wa_value([wa_contact(CUSTOMER, "Ana")], [wa_text_obj(CUSTOMER, "1"), wa_text_obj(CUSTOMER, "2")]),
        wa_value([wa_contact("5511888880000", "Bia")], [wa_text_obj("5511888880000", "3")]),
    )
    assert body.keys() == fixture.keys()
    changes = body["entry"][0]["changes"]
    assert len(changes) == 2 and changes[0].keys() == fixture["entry"][0]["changes"][0].keys()
    msg, fmsg = changes[0]["value"]["messages"][0], fixture["entry"][0]["changes"][0]["value"]["messages"][0]
    assert msg.keys() == fmsg.keys()
    assert changes[0]["value"]["messages"][0]["id"] != changes[0]["value"]["messages"][1]["id"]


# ====================================================================== Slack Web API


async def test_post_thread_update_react_ephemeral(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    auth = await slack.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == ("UBOT", "BBOT", "T0001")

    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Maria* abriu um chamado"}}]
    parent = await slack.chat_postMessage(
        channel="C1",
        text="Novo chamado",
        blocks=blocks,
        username="Maria (WhatsApp)",
        icon_emoji=":bust_in_silhouette:",
    )
    reply = await slack.chat_postMessage(channel="C1", text="oi", thread_ts=parent["ts"])
    await slack.chat_update(channel="C1", ts=parent["ts"], text="Chamado em atendimento", blocks=[])
    await slack.reactions_add(channel="C1", timestamp=reply["ts"], name="white_check_mark")
    eph = await slack.chat_postEphemeral(channel="C1", user="UAGENT", text="só você vê")
    link = await slack.chat_getPermalink(channel="C1", message_ts=reply["ts"])

    assert float(reply["ts"]) > float(parent["ts"])
    assert parent["message"]["username"] == "Maria (WhatsApp)"
    [top] = slack_fake.channel_messages("C1")
    assert top["text"] == "Chamado em atendimento" and top["blocks"] == [] and top["reply_count"] == 1
    assert [m["text"] for m in slack_fake.thread("C1", parent["ts"])] == ["oi"]
    assert slack_fake.message("C1", reply["ts"])["reactions"] == ["white_check_mark"]
    assert slack_fake.ephemerals[0]["user"] == "UAGENT" and eph["message_ts"]
    assert link["permalink"].startswith(f"https://fake.slack.com/archives/C1/p{reply['ts'].replace('.', '')}")
    with pytest.raises(SlackApiError) as dup:
        await slack.reactions_add(channel="C1", timestamp=reply["ts"], name="white_check_mark")
    assert dup.value.response["error"] == "already_reacted"
    for bad in ("", "nao_existe", "no entry", "thumbsup::skin-tone-9"):  # as Slack: only emoji it knows
        with pytest.raises(SlackApiError) as invalid:
            await slack.reactions_add(channel="C1", timestamp=reply["ts"], name=bad)
        assert invalid.value.response["error"] == "invalid_name"
    await slack.reactions_add(channel="C1", timestamp=reply["ts"], name=":no_entry_sign:")
    await slack.reactions_add(channel="C1", timestamp=reply["ts"], name="+1::skin-tone-3")
    slack_fake.custom_emoji.add("atende")
    await slack.reactions_add(channel="C1", timestamp=reply["ts"], name="atende")
    assert slack_fake.message("C1", reply["ts"])["reactions"] == [
        "white_check_mark",
        "no_entry_sign",
        "+1::skin-tone-3",
        "atende",
    ]
    with pytest.raises(SlackApiError) as missing:
        await slack.chat_update(channel="C1", ts="1.2", text="x")
    assert missing.value.response["error"] == "message_not_found"


async def test_blocks_as_json_string_are_stored_as_list(
    slack_fake: FakeSlackAPI, slack: AsyncWebClient
) -> None:
    blocks = [{"type": "divider"}]
    await slack.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps(blocks)}
    )
    assert slack_fake.channel_messages("C1")[0]["blocks"] == blocks


async def test_files_upload_v2_into_thread(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    parent = await slack.chat_postMessage(channel="C1", text="chamado")
    res = await slack.files_upload_v2(
        content=b"\x89PNG-bytes",
        filename="foto.png",
        channel="C1",
        thread_ts=parent["ts"],
        initial_comment="Maria enviou:",
    )

    file_id = res["file"]["id"]
    stored = slack_fake.files[file_id]
    assert stored["data"] == b"\x89PNG-bytes" and stored["mimetype"] == "image/png"
    assert (stored["channel"], stored["thread_ts"]) == ("C1", parent["ts"])
    [shared] = slack_fake.thread("C1", parent["ts"])
    assert shared["text"] == "Maria enviou:" and shared["files"][0]["id"] == file_id
    assert [c.method_name for c in slack_fake.calls[1:]] == [
        "files.getUploadURLExternal",
        "files.upload_bytes",
        "files.completeUploadExternal",
    ]
    complete = slack_fake.calls_to("files.completeUploadExternal")[0]
    assert isinstance(complete.params["files"], str)  # slack_sdk sends it as a JSON string in the query
    info = await slack.files_info(file=file_id)
    assert info["file"]["size"] == len(b"\x89PNG-bytes")


async def test_agent_file_download_needs_bot_token(slack_fake: FakeSlackAPI) -> None:
    obj = slack_fake.add_file("F123", "nota fiscal.pdf", b"%PDF-agent", "application/pdf")
    async with httpx.AsyncClient() as http:
        ok = await http.get(obj["url_private_download"], headers={"Authorization": f"Bearer {SLACK_TOKEN}"})
        anon = await http.get(obj["url_private"], follow_redirects=True)
    assert ok.status_code == 200 and ok.content == b"%PDF-agent"
    assert ok.headers["content-type"] == "application/pdf"
    # Like Slack: no 401, a redirect to an HTML sign-in page - apps must check the content type.
    assert anon.status_code == 200 and anon.headers["content-type"].startswith("text/html")


async def test_users_info(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    slack_fake.add_user("UAGENT", "Joana Lima", display_name="Joana")
    known = await slack.users_info(user="UAGENT")
    unknown = await slack.users_info(user="UOTHER")
    assert known["user"]["real_name"] == "Joana Lima" and known["user"]["profile"]["display_name"] == "Joana"
    assert unknown["user"]["real_name"] == "UOTHER"


async def test_slack_rate_limit_and_errors(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    slack_fake.fail("chat.postMessage", status=429, retry_after=2, times=2)
    slack_fake.fail("chat.postMessage", status=200, error="channel_not_found")
    slack_fake.fail("chat.postMessage", status=500)

    for _ in range(2):
        with pytest.raises(SlackApiError) as limited:
            await slack.chat_postMessage(channel="C1", text="x")
        assert limited.value.response.status_code == 429
        assert limited.value.response.headers["Retry-After"] == "2"
        assert limited.value.response["error"] == "ratelimited"
    with pytest.raises(SlackApiError) as not_found:
        await slack.chat_postMessage(channel="C1", text="x")
    assert (
        not_found.value.response.status_code == 200
        and not_found.value.response["error"] == "channel_not_found"
    )
    with pytest.raises(SlackApiError) as server:
        await slack.chat_postMessage(channel="C1", text="x")
    assert server.value.response.status_code == 500
    await slack.chat_postMessage(channel="C1", text="finally")
    assert [m["text"] for m in slack_fake.channel_messages("C1")] == ["finally"]
    assert sum(c.faulted for c in slack_fake.calls) == 4


async def test_slack_delay_beyond_timeout(slack_fake: FakeSlackAPI) -> None:
    client = AsyncWebClient(token=SLACK_TOKEN, base_url=slack_fake.url + "/api/", timeout=0.2)  # type: ignore[arg-type]
    slack_fake.delay("chat.postMessage", 1.0, times=1)
    with pytest.raises(asyncio.TimeoutError):
        await client.chat_postMessage(channel="C1", text="slow")
    await client.chat_postMessage(channel="C1", text="fast")


async def test_slack_token_check_and_unknown_method(slack_fake: FakeSlackAPI) -> None:
    bad = AsyncWebClient(token="xoxb-wrong", base_url=slack_fake.url + "/api/")
    with pytest.raises(SlackApiError) as exc:
        await bad.chat_postMessage(channel="C1", text="x")
    assert exc.value.response["error"] == "invalid_auth"
    good = AsyncWebClient(token=SLACK_TOKEN, base_url=slack_fake.url + "/api/")
    with pytest.raises(SlackApiError) as unknown:
        await good.api_call("conversations.bogus", params={"a": "1"})
    assert unknown.value.response["error"] == "unknown_method"
    assert slack_fake.calls_to("conversations.bogus")[0].params == {"a": "1"}


async def test_post_as_user_and_wildcard_fault(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    parent = await slack.chat_postMessage(channel="C1", text="chamado")
    human = slack_fake.post_as_user("C1", "UAGENT", "resposta do agente", thread_ts=parent["ts"])
    assert slack_fake.thread("C1", parent["ts"]) == [human] and "bot_id" not in slack_fake._public(human)

    slack_fake.fail("*", status=503, times=None)
    with pytest.raises(SlackApiError):
        await slack.users_info(user="U1")
    slack_fake.clear_faults()
    await slack.users_info(user="U1")


async def test_wait_for_returns_value_or_explains(slack_fake: FakeSlackAPI, slack: AsyncWebClient) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await slack.chat_postMessage(channel="C9", text="eventually")

    task = asyncio.create_task(later())
    msgs = await slack_fake.wait_for(lambda f: f.channel_messages("C9"), timeout=2)
    assert msgs[0]["text"] == "eventually"
    await task
    with pytest.raises(AssertionError, match="chat.postMessage"):
        await slack_fake.wait_for(lambda f: f.channel_messages("C404"), timeout=0.05)


# ====================================================================== Slack signing/builders


@needs_shared
def test_slack_signature_matches_documented_vector() -> None:
    vec = json.loads((FIXTURES / "slack/signature_test_vector.json").read_text())
    headers = sign_slack(
        vec["body"].encode(),
        vec["signing_secret"],
        int(vec["timestamp"]),
        content_type="application/x-www-form-urlencoded",
    )
    assert headers == vec["headers"]


@needs_shared
def test_slack_builders_verify_and_parse_like_bolt() -> None:
    secret = "s3cret"
    verifier = SignatureVerifier(secret)

    action = slack_block_action(
        "assign", "ticket:42", user_id="UAGENT", channel="C1", message_ts="1700000000.000100"
    )
    a_headers = sign_slack(action, secret, content_type="application/x-www-form-urlencoded")
    assert verifier.is_valid_request(action, a_headers)
    payload = parse_body(action.decode(), "application/x-www-form-urlencoded")
    assert payload["type"] == "block_actions" and payload["actions"][0]["value"] == "ticket:42"
    assert payload["container"] == {
        "type": "message",
        "message_ts": "1700000000.000100",
        "channel_id": "C1",
        "is_ephemeral": False,
    }
    assert list(parse_qs(action.decode())) == ["payload"]

    event = slack_message_event(
        "C1",
        "UAGENT",
        "segue",
        ts="1700000001.000200",
        thread_ts="1700000000.000100",
        files=[{"id": "F1", "name": "a.pdf"}],
    )
    e_headers = slack_event_headers(event, secret, retry_num=1)
    assert verifier.is_valid_request(event, e_headers) and e_headers["X-Slack-Retry-Num"] == "1"
    body = parse_body(event.decode(), "application/json")
    assert body["type"] == "event_callback" and body["event"]["subtype"] == "file_share"
    assert body["event"]["thread_ts"] == "1700000000.000100" and body["event_id"].startswith("Ev")
    assert body["authorizations"][0]["user_id"] == "UBOT"
    fixture = json.loads(
        (FIXTURES / "slack/bolt-python/test_message_file_share__event_payload.json").read_text()
    )
    assert set(body) <= set(fixture) | {"token"}
