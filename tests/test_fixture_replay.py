"""Payloads written by Meta and Slack (recorded by pywa, bolt-python and java-slack-sdk), replayed
as signed HTTP requests against the running app: none may cause a server error or be lost."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.bootstrap.app import Atende
from testing.signing import sign_slack
from testing.slack.api import FakeSlackAPI
from testing.slack.base import TEAM_ID
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_media_message, wa_text_message
from tests.conftest import CHANNEL, SHARED, SLACK_SECRET, Desk, make_settings, needs_shared

pytestmark = needs_shared
FIXTURES = SHARED / "fixtures"
WA_FLAT = FIXTURES / "whatsapp" / "flat"
WA_FILES = sorted(WA_FLAT.glob("*.json"))
CUSTOMER_MESSAGE_PREFIXES = (
    "message__",
    "callback_button__",
    "callback_selection__",
    "flow_completion__",
    "edited_message__",
    "deleted_message__",
    "system__",
)
CUSTOMER_MESSAGE_FILES = [p for p in WA_FILES if p.name.startswith(CUSTOMER_MESSAGE_PREFIXES)]
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")

SLACK_WIRE = sorted((FIXTURES / "slack" / "wire").glob("*.json"))
JAVA_SAMPLES = sorted(
    (FIXTURES / "slack" / "java-slack-sdk-schema-samples" / "json-logs" / "samples").rglob("*.json")
)

FRANCISCO = "5511912345678"
# java-slack-sdk samples that, once placed in a ticket thread, are an agent writing to the customer.
HUMAN_THREAD_REPLIES = {"MessagePayload", "MessageFileSharePayload", "MessageThreadBroadcastPayload"}

# What an agent must be able to read in the thread for each recorded customer message
# (text of a reply or of a file's comment). Media fixtures must also arrive as a file.
EXPECTED_IN_THREAD = {
    "message__animated_sticker": "Figurinha",
    "message__audio": "Áudio",
    "message__chosen_location": "Facebook HQ",
    "message__contacts": "Chandler Bing",
    "message__current_location": "12.25089,43.90539",
    "message__document": "Documento: caption",
    "message__forwarded": "forwarded text",
    "message__forwarded_many_times": "text forwarded many times",
    "message__image": "Imagem",
    "message__interactive_message_with_err": "tipo de mensagem que não consigo mostrar",
    "message__media_with_url": "Imagem",
    "message__order": "HAMBURGER",
    "message__reaction": "reagiu com 😮",
    "message__referral": "BODY",
    "message__reply": "replied text",
    "message__static_sticker": "Figurinha",
    "message__text": "Body Text",
    "message__unreaction_empty": "removeu uma reação",
    "message__unreaction_no_emoji": "removeu uma reação",
    "message__unsupported": "tipo de mensagem que não consigo mostrar",
    "message__unsupported_with_type": "não consigo mostrar aqui (tipo unsupported: pool)",
    "message__video": "Vídeo: caption",
    "message__voice": "Mensagem de voz",
    "callback_button__button": "🔘 title",
    "callback_button__quick_reply": "🔘 title",
    "callback_button__quick_reply_without_context": "🔘 title",
    "callback_selection__callback": "🔘 title",
    "callback_selection__description": "🔘 title — description",
    "flow_completion__completion": "Formulário enviado",
    "flow_completion__without_flow_token": "Formulário enviado",
    "edited_message__image": "Updated image caption",
    "deleted_message__revoke": "apagou uma mensagem",
    "system__identity_change": "User identity changed",
    "system__phone_number_change": "changed from 972987654321 to 972912345678",
}


# ---------------------------------------------------------------------- helpers


def _dump(body: Any) -> bytes:
    """The flat fixtures' own layout (one-space indent, UTF-8 kept), so a re-serialised body
    differs from the file only where we changed it."""
    return json.dumps(body, indent=1, ensure_ascii=False).encode()


def with_unique_message_ids(raw: bytes, suffix: str) -> bytes:
    """The fixture with ``suffix`` appended to each ``messages[].id``, and nothing else changed.

    Many recorded payloads reuse one wamid (``wamid.xyzxyz``); replayed on one desk the app
    rightly treats the second as a re-delivery and drops it. Context ids, reaction targets and
    status ids are left alone, so the payloads keep their real shape.
    """
    body = json.loads(raw)
    assert _dump(body) == raw, "fixture layout not reproducible; the rewrite would change more than ids"
    for entry in body.get("entry", []):
        for change in entry.get("changes", []):
            for message in change.get("value", {}).get("messages") or []:
                message["id"] = f"{message['id']}{suffix}"
    return _dump(body)


def messages_of(raw: bytes) -> list[dict[str, Any]]:
    body = json.loads(raw)
    return [m for e in body["entry"] for c in e["changes"] for m in (c["value"].get("messages") or [])]


def register_media(desk: Desk, raw: bytes) -> dict[str, bytes]:
    """Make the fake Graph API know every media id the payload refers to; returns id -> bytes."""
    known = {}
    for message in messages_of(raw):
        media = message.get(message.get("type")) if message.get("type") in MEDIA_TYPES else None
        if isinstance(media, dict) and media.get("id"):
            data = f"bytes of {media['id']} ({message['type']})".encode()
            desk.graph.add_media(media["id"], data, media.get("mime_type") or "application/octet-stream")
            known[media["id"]] = data
    return known


def replies(desk: Desk) -> list[dict[str, Any]]:
    """Every reply in every ticket thread, thread by thread."""
    return [reply for parent in desk.parents() for reply in desk.thread_of(parent)]


async def assert_nothing_failed(desk: Desk) -> None:
    assert await desk.rows("SELECT kind, error FROM inbox WHERE error IS NOT NULL") == []
    assert await desk.rows("SELECT kind, last_error FROM outbox WHERE state = 'dead'") == []


def resigned(raw: bytes, content_type: str) -> dict[str, str]:
    """Slack's headers for ``raw`` as if sent now to this app (the fixtures were signed in 2023
    with another secret)."""
    return sign_slack(raw, SLACK_SECRET, int(time.time()), content_type=content_type)


def as_slack_sends(kind: str, sample: dict[str, Any]) -> tuple[bytes, str]:
    """A payload as Slack POSTs it: events as JSON, slash commands as a form, interactivity as
    ``payload=<json>``."""
    if kind == "events":
        return json.dumps(sample).encode(), "application/json"
    if kind == "slash-commands":
        flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in sample.items()}
        return urlencode(flat).encode(), "application/x-www-form-urlencoded"
    return urlencode({"payload": json.dumps(sample)}).encode(), "application/x-www-form-urlencoded"


def placed_in_ticket(sample: dict[str, Any], parent_ts: str, ts: str) -> dict[str, Any]:
    """The sample with its blanked routing values pointed at a live ticket thread.

    The samples blank every value (``""``), so as recorded Bolt drops most of them before any
    of our code runs (and a request naming no workspace is refused); filled in, with our
    workspace, the full-field shapes reach the desk's own listeners.
    """
    sample = json.loads(json.dumps(sample))
    if sample.get("type") == "":
        sample["type"] = "event_callback"  # the only top-level type an Events API sample can have
    view = sample.get("view") if isinstance(sample.get("view"), dict) else {}
    for part in (sample, view, *(sample.get("authorizations") or [])):
        for key in ("team_id", "app_installed_team_id"):
            if part.get(key) == "":
                part[key] = TEAM_ID
    blanks = {
        "channel": CHANNEL,
        "thread_ts": parent_ts,
        "ts": ts,
        "event_ts": ts,
        "user": "UANA",
        "text": "texto de exemplo",
    }
    event = sample.get("event")
    if isinstance(event, dict):
        event.update({k: v for k, v in blanks.items() if event.get(k) == ""})
    for action in sample.get("actions") or []:
        if action.get("action_id") == "":
            action.update(action_id="ticket.claim", value="1")
    if isinstance(event, dict) and event.get("team") == "":
        event["team"] = TEAM_ID
    for key, value in (("user", "UANA"), ("channel", CHANNEL), ("team", TEAM_ID)):
        if isinstance(sample.get(key), dict) and sample[key].get("id") == "":
            sample[key]["id"] = value
    return sample


async def still_opens_threads(desk: Desk) -> None:
    """The app still turns a customer message into a visible thread reply."""
    text = f"ainda funciona? {time.monotonic_ns()}"
    response = await desk.whatsapp(wa_text_message(FRANCISCO, "Francisco", text))
    assert response.status == 200
    await desk.settle()
    assert text in [r["text"] for r in replies(desk)]


# ---------------------------------------------------------------------- WhatsApp


async def test_every_recorded_meta_webhook_is_accepted_and_processed_without_error(desk: Desk) -> None:
    for n, path in enumerate(WA_FILES):
        raw = with_unique_message_ids(path.read_bytes(), f".replay{n}")
        register_media(desk, raw)
        response = await desk.whatsapp(raw)
        assert response.status == 200, f"{path.name}: HTTP {response.status}"
    await desk.settle()
    await assert_nothing_failed(desk)
    stored = await desk.rows("SELECT COUNT(*) FROM inbox WHERE kind = 'message'")
    assert stored == [(sum(len(messages_of(p.read_bytes())) for p in WA_FILES),)]


@pytest.mark.parametrize("path", CUSTOMER_MESSAGE_FILES, ids=lambda p: p.stem)
async def test_every_recorded_customer_message_shows_up_in_a_ticket_thread(desk: Desk, path: Path) -> None:
    raw = path.read_bytes()  # a fresh desk per fixture: the body goes out exactly as recorded
    media = register_media(desk, raw)

    response = await desk.whatsapp(raw)
    assert response.status == 200
    await desk.settle()

    await assert_nothing_failed(desk)
    [parent] = desk.parents()
    [reply] = desk.thread_of(parent)
    assert EXPECTED_IN_THREAD[path.stem] in reply["text"]
    for media_id, data in media.items():
        [shared] = reply["files"]
        assert desk.slack.files[shared["id"]]["data"] == data, f"file {media_id} did not arrive intact"
        assert desk.slack.files[shared["id"]]["thread_ts"] == parent["ts"]
    if not media:
        assert not reply.get("files")


def test_every_customer_message_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in CUSTOMER_MESSAGE_FILES) == sorted(EXPECTED_IN_THREAD)


async def test_a_file_the_graph_api_no_longer_has_is_announced_in_the_thread_not_lost(desk: Desk) -> None:
    body = wa_media_message(
        FRANCISCO,
        "Francisco",
        "document",
        "998877665544",
        "application/pdf",
        caption="nota fiscal",
        filename="nf.pdf",
        wamid="wamid.LOSTFILE",
    )
    response = await desk.whatsapp(body)
    assert response.status == 200
    await desk.settle()

    [parent] = desk.parents()
    [note] = desk.thread_of(parent)
    assert "não consegui baixar o arquivo" in note["text"] and "documento" in note["text"]
    assert not desk.slack.files
    assert await desk.rows(
        "SELECT kind, attachment IS NOT NULL FROM messages WHERE external_id = 'wamid.LOSTFILE'"
    ) == [("document", 1)]
    await assert_nothing_failed(desk)


# ---------------------------------------------------------------------- the real Meta signature


SIGNED = FIXTURES / "whatsapp" / "signature_test_vector.json"
VECTOR = json.loads(SIGNED.read_text()) if SIGNED.exists() else {}  # absent in a clone: the module skips


@pytest.fixture
async def meta_signed_desk(tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI) -> AsyncIterator[Desk]:
    """The app configured with the app secret of pywa's recorded Meta delivery."""
    settings = make_settings(
        tmp_path / "atende.db", graph.url, slack.url, whatsapp_app_secret=VECTOR["app_secret"]
    )
    bot = Atende(settings)
    await bot.start()
    async with aiohttp.ClientSession() as http:
        yield Desk(bot, graph, slack, http)
    await bot.stop()


async def test_a_delivery_signed_by_meta_opens_a_ticket(meta_signed_desk: Desk) -> None:
    desk = meta_signed_desk
    response = await desk.whatsapp(VECTOR["raw_body"].encode(), headers=VECTOR["headers"])
    assert response.status == 200
    await desk.settle()
    [parent] = desk.parents()
    assert [r["text"] for r in desk.thread_of(parent)] == ["Hey there! I am using PyWa."]


async def test_a_meta_delivery_with_one_byte_changed_is_refused_and_nothing_is_stored(
    meta_signed_desk: Desk,
) -> None:
    desk = meta_signed_desk
    original = VECTOR["raw_body"].encode()
    tampered = original.replace(b"I am using PyWa", b"I am using PyWb")
    assert (
        len(tampered) == len(original) and sum(a != b for a, b in zip(tampered, original, strict=True)) == 1
    )
    response = await desk.whatsapp(tampered, headers=VECTOR["headers"])
    assert response.status == 403
    await desk.settle()
    assert await desk.rows("SELECT COUNT(*) FROM inbox") == [(0,)]
    assert desk.parents() == []


# ---------------------------------------------------------------------- Slack


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_every_recorded_slack_request_is_answered_without_a_server_error(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    await desk.whatsapp(wa_text_message(FRANCISCO, "Francisco", "Oi"))
    await desk.settle()
    answers = {}
    for path in SLACK_WIRE:
        wire = json.loads(path.read_text())
        raw = wire["raw_body"].encode()
        content_type = wire["headers"]["Content-Type"]
        response = await desk.slack_event(raw, headers=resigned(raw, content_type))
        answers[path.stem] = response.status
    # 404 is Bolt saying nobody listens for that action or command: fine, and not an error.
    assert {name: status for name, status in answers.items() if status >= 500} == {}
    await desk.settle()
    assert _errors(caplog) == []
    assert desk.graph.sent == [], "a recorded Slack payload was relayed to a customer"
    await still_opens_threads(desk)


@pytest.mark.parametrize("path", JAVA_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
async def test_every_slack_schema_sample_is_answered_without_a_server_error(
    desk: Desk, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await desk.whatsapp(wa_text_message(FRANCISCO, "Francisco", "Oi"))
    await desk.settle()
    [parent] = desk.parents()
    sample = json.loads(path.read_bytes())

    for variant in (sample, placed_in_ticket(sample, parent["ts"], desk.slack.next_ts())):
        raw, content_type = as_slack_sends(path.parent.name, variant)
        response = await desk.slack_event(raw, headers=resigned(raw, content_type))
        assert response.status < 500
    await desk.settle()

    assert _errors(caplog) == []
    assert await desk.rows("SELECT kind, last_error FROM outbox WHERE state = 'dead'") == []
    if path.stem in HUMAN_THREAD_REPLIES:
        assert desk.graph.sent_texts(FRANCISCO) == ["texto de exemplo"]
    else:
        assert desk.graph.sent_texts(FRANCISCO) == []
    claimed = [("UANA",)] if path.stem == "BlockActionPayload" else [(None,)]
    assert await desk.rows("SELECT assignee FROM tickets") == claimed
    await still_opens_threads(desk)
