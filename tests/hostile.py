"""Hostile HTTP input for property-based fuzzing, shared by ``tests/test_fuzz.py`` and ``bench/fuzz.py``.

The running bot is started on its own event loop in a background thread, wired to the fake
Graph and Slack APIs, so that hypothesis (which drives plain functions) can throw thousands of
requests at the real HTTP endpoints: random bytes, deep JSON, control characters, and real
recorded payloads with parts removed or replaced, both correctly signed and unsigned
(for Telegram: with and without the webhook's secret token). Customer messages whose every
customer-controlled field (text, names, captions, file names, places, contact cards, button
titles) carries Slack markup, bidi controls or oversize text check what reaches Slack.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import aiohttp
from hypothesis import strategies as st

from bot.bootstrap.app import Atende
from testing.signing import sign_slack, sign_whatsapp
from testing.slack.api import FakeSlackAPI
from testing.slack_mrkdwn import render
from testing.slack_payloads import slack_message_event
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_callback, tg_contact, tg_document, tg_photo, tg_text, tg_voice
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import (
    PHONE_ID,
    SHARED,
    SLACK_SECRET,
    SLACK_TOKEN,
    TG_SECRET,
    TG_TOKEN,
    WA_SECRET,
    WA_TOKEN,
    make_settings,
    telegram_settings,
)

T = TypeVar("T")

FIXTURES = SHARED / "fixtures"
WHATSAPP_SAMPLES = [
    json.loads(p.read_text()) for p in sorted((FIXTURES / "whatsapp" / "flat").glob("*.json"))
]
SLACK_SAMPLES = [
    json.loads(p.read_text())
    for p in sorted((FIXTURES / "slack" / "bolt-python").glob("*.json"))
    + sorted((FIXTURES / "slack" / "wire").glob("*.json"))
]
SLACK_SAMPLES = [s for s in SLACK_SAMPLES if isinstance(s, dict)]
# Without the workspace's recordings (a clone), mutate the builders' payloads, made in the same shape.
WHATSAPP_SAMPLES = WHATSAPP_SAMPLES or [wa_text_message("5511987654321", "Ana", "Oi")]
SLACK_SAMPLES = SLACK_SAMPLES or [json.loads(slack_message_event("CSUPPORT", "UANA", "oi", ts="1.000100"))]

MAX_BODY = 65_536
"""The fuzzed bot's MAX_BODY_BYTES: a larger body is refused (413) before anything is read."""

# Tables a request can only reach through a verified signature.
STORED = ("inbox", "messages", "tickets", "customers", "events")

# ------------------------------------------------------------------------------------ strategies

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)  # control characters included
header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
json_values = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=30,
)


def deep(depth: int) -> Any:
    """JSON nested ``depth`` levels deep (a classic parser-exhaustion attack)."""
    value: Any = "fundo"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@st.composite
def mutated(draw: st.DrawFn, samples: list[Any]) -> Any:
    """A real payload with a few of its parts deleted or replaced by random JSON."""
    value = json.loads(json.dumps(draw(st.sampled_from(samples))))
    for _ in range(draw(st.integers(1, 4))):
        containers = _containers(value)
        holder, key = draw(st.sampled_from(containers))
        if isinstance(holder, dict) and draw(st.booleans()):
            del holder[key]
        else:
            holder[key] = draw(json_values)
    return value


def _containers(value: Any) -> list[tuple[Any, Any]]:
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in list(items):
            found.append((node, key))
            stack.append(child)
    return found or [({"": None}, "")]


def body_bytes(value: Any) -> st.SearchStrategy[bytes]:
    """A JSON value as bytes, sometimes with a stray invalid UTF-8 byte or a NUL spliced in."""
    raw = json.dumps(value, ensure_ascii=False).encode()
    spoiled = [raw[:-1] + b"\xff}", raw.replace(b'"', b'"\x00', 1), raw * 2]
    return st.sampled_from([raw] * len(spoiled) + spoiled)


@dataclass(frozen=True)
class Request:
    """One hostile request and whether it carries a valid signature (and customer text aimed at Slack)."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    signed: bool
    customer_text: bool = False


# ------------------------------------------------------------------ customer text aimed at Slack

HOSTILE_MARK = "HOSTIL"
"""In every mention and link target below: a live one found in Slack came from a customer."""
SLACK_MARKUP = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    f"<@U0{HOSTILE_MARK}>",
    f"<@U0{HOSTILE_MARK}|gerente>",
    f"<!subteam^S0{HOSTILE_MARK}>",
    f"<#C0{HOSTILE_MARK}>",
    f"<https://{HOSTILE_MARK}.example/login|www.banco.com.br>",
    f"<https://{HOSTILE_MARK}.example>",
    f"<mailto:x@{HOSTILE_MARK}.example|suporte@banco.com.br>",
    f"<!date^1700000000^{{date}}|{HOSTILE_MARK}>",
    "&lt;!here&gt;",
    "&amp;",
    "<",
    ">",
    "*",
    "`",
]
INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE += ["\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u2060", "\ufeff"]
hostile_text = st.one_of(
    st.lists(st.sampled_from(SLACK_MARKUP + INVISIBLE) | text, min_size=1, max_size=10).map("".join),
    # oversize: past WhatsApp's 4,096 characters, Slack's 3,000 per section and 40,000 per message
    st.tuples(st.sampled_from(SLACK_MARKUP + INVISIBLE), st.integers(3_000, 12_000)).map(
        lambda piece: (piece[0] * (piece[1] // len(piece[0]) + 1))[: piece[1]]
    ),
)
CUSTOMER_FIELDS = frozenset(
    {
        "body",  # WhatsApp text
        "name",  # profile name, location name
        "caption",
        "filename",
        "address",
        "formatted_name",
        "first_name",
        "last_name",
        "phone",
        "title",  # reply button and list row titles
        "description",
        "text",  # Telegram text
        "file_name",
        "phone_number",
        "username",
        "emoji",
    }
)


@st.composite
def customer_fields(draw: st.DrawFn, samples: list[Any]) -> Any:
    """A real customer payload with every customer-controlled string replaced by hostile text."""
    value = json.loads(json.dumps(draw(st.sampled_from(samples))))
    for holder, key in _containers(value):
        if key in CUSTOMER_FIELDS and isinstance(holder[key], str):
            holder[key] = draw(hostile_text)
    return value


CUSTOMER_WHATSAPP = [
    sample for sample in WHATSAPP_SAMPLES if any(key == "messages" for _, key in _containers(sample))
]


@st.composite
def whatsapp_customer_text(draw: st.DrawFn) -> Request:
    raw = json.dumps(draw(customer_fields(CUSTOMER_WHATSAPP)), ensure_ascii=False).encode()
    return Request("POST", "/whatsapp/webhook", raw, sign_whatsapp(raw, WA_SECRET), True, True)


@st.composite
def telegram_customer_text(draw: st.DrawFn) -> Request:
    raw = json.dumps(draw(customer_fields(TELEGRAM_SAMPLES)), ensure_ascii=False).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "Content-Type": "application/json"}
    return Request("POST", "/telegram/webhook", raw, headers, True, True)


customer_text_requests = st.one_of(whatsapp_customer_text(), telegram_customer_text())


def slack_leaks(slack: FakeSlackAPI) -> list[str]:
    """What a customer made live in Slack: broadcasts, their mentions and links, invisible controls.

    The desk's own markup (an agent's mention on a claimed ticket) is allowed; anything naming
    the hostile targets, and any broadcast, is a leak.
    """
    leaks = []
    for where, text in slack.parsed_texts():
        for live in render(text).live:
            if live.kind == "broadcast" or HOSTILE_MARK in f"{live.target}|{live.label}":
                leaks.append(f"{where}: live {live.kind} {live.target}|{live.label}")
        leaks += [f"{where}: invisible U+{ord(ch):04X}" for ch in set(text) & set(INVISIBLE)]
    for message in slack.messages.values():
        plain = [message.get("username") or "", *(f.get("title") or "" for f in message.get("files") or [])]
        leaks += [f"name or title: invisible U+{ord(ch):04X}" for ch in set("".join(plain)) & set(INVISIBLE)]
    return leaks


@st.composite
def whatsapp_requests(draw: st.DrawFn) -> Request:
    value = draw(st.one_of(mutated(WHATSAPP_SAMPLES), json_values, st.integers(50, 400).map(deep)))
    raw = draw(body_bytes(value) | st.binary(max_size=300))
    signed = draw(st.booleans())
    headers = sign_whatsapp(raw, WA_SECRET) if signed else draw(_forged_whatsapp_headers(raw))
    return Request("POST", "/whatsapp/webhook", raw, headers, signed)


@st.composite
def _forged_whatsapp_headers(draw: st.DrawFn, raw: bytes) -> dict[str, str]:
    good = sign_whatsapp(raw, WA_SECRET)["X-Hub-Signature-256"]
    forged = draw(
        st.sampled_from(
            ["", "sha256=", good[:-1] + ("0" if good[-1] != "0" else "1"), "md5=abc", good.upper()]
        )
        | header_text
    )
    return {"X-Hub-Signature-256": forged} if draw(st.booleans()) else {}


@st.composite
def handshake_requests(draw: st.DrawFn) -> Request:
    params = draw(
        st.dictionaries(st.sampled_from(["hub.mode", "hub.verify_token", "hub.challenge", "x"]), text)
    )
    return Request("GET", "/whatsapp/webhook?" + urlencode(params), b"", {}, False)


@st.composite
def slack_requests(draw: st.DrawFn) -> Request:
    value = draw(st.one_of(mutated(SLACK_SAMPLES), json_values, st.integers(50, 400).map(deep)))
    as_form = draw(st.booleans())
    if as_form:
        raw = urlencode({"payload": json.dumps(value, ensure_ascii=False)}).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        raw = draw(body_bytes(value) | st.binary(max_size=300))
        content_type = "application/json"
    signed = draw(st.booleans())
    timestamp = int(time.time())
    if signed:
        headers = sign_slack(raw, SLACK_SECRET, timestamp, content_type=content_type)
    else:
        # a wrong secret, a replay from 6 minutes ago, or no signature at all
        choice = draw(st.sampled_from(["wrong", "replay", "none"]))
        if choice == "none":
            headers = {"Content-Type": content_type}
        else:
            secret, ts = (
                ("not-the-secret", timestamp) if choice == "wrong" else (SLACK_SECRET, timestamp - 360)
            )
            headers = sign_slack(raw, secret, ts, content_type=content_type)
    return Request("POST", "/slack/events", raw, headers, signed)


TELEGRAM_SAMPLES = [
    tg_text(41, "Ana Souza", "Oi"),
    tg_photo(41, "Ana", "PH1", caption="Tela"),
    tg_voice(41, "Ana", "VO1"),
    tg_document(41, "Ana", "DO1", "boleto.pdf", "application/pdf"),
    tg_contact(41, "Ana", "+55 11 98765-1234", user_id=41),
    tg_callback(
        41,
        "Ana",
        "5",
        {
            "message_id": 9,
            "text": "Nota?",
            "reply_markup": {"inline_keyboard": [[{"text": "5", "callback_data": "5"}]]},
        },
    ),
]


@st.composite
def telegram_requests(draw: st.DrawFn) -> Request:
    value = draw(st.one_of(mutated(TELEGRAM_SAMPLES), json_values, st.integers(50, 400).map(deep)))
    raw = draw(body_bytes(value) | st.binary(max_size=300))
    signed = draw(st.booleans())
    forged = draw(st.sampled_from(["", TG_SECRET[:-1], TG_SECRET.upper(), TG_SECRET + " "]) | header_text)
    secret = TG_SECRET if signed else forged
    signed = secret.strip() == TG_SECRET  # HTTP drops a header value's surrounding spaces: still the secret
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if signed or draw(st.booleans()) else {}
    return Request("POST", "/telegram/webhook", raw, headers, signed)


CUSTOMERS_TOKEN = "fuzz-platform-token"
CUSTOMER_SAMPLES = [
    [
        {"name": "Maria Silva", "phone": "+55 11 98765-4321", "plan": "Pro", "signup_date": "2026-11-20"},
        {"phone": "5521998765432", "setup_done": "sim", "usage_count": 12, "renewal_date": "2027-01-05"},
    ],
    {"phone": "5531991234567", "last_active": "2026-12-01T10:00:00-03:00"},
]


@st.composite
def customers_requests(draw: st.DrawFn) -> Request:
    """The platform's pushes: JSON (mutated records), CSV or noise, with the token or a forged one."""
    as_csv = draw(st.booleans())
    if as_csv:
        raw = draw(
            st.sampled_from([b"phone,plan\n5511987654321,Pro\n", b"name;phone\n"]) | st.binary(max_size=300)
        )
        content_type = "text/csv"
    else:
        value = draw(st.one_of(mutated(CUSTOMER_SAMPLES), json_values, st.integers(50, 400).map(deep)))
        raw = draw(body_bytes(value) | st.binary(max_size=300))
        content_type = "application/json"
    signed = draw(st.booleans())
    token = (
        CUSTOMERS_TOKEN
        if signed
        else draw(st.sampled_from(["", CUSTOMERS_TOKEN[:-1], "Bearer"]) | header_text)
    )
    headers = {"Content-Type": content_type}
    if signed or draw(st.booleans()):
        headers["Authorization"] = f"Bearer {token}"
    return Request("POST", "/customers", raw, headers, signed)


# the handshake is simple: give the endpoints with bodies most of the cases
any_request = st.one_of(
    customer_text_requests,
    customers_requests(),
    whatsapp_requests(),
    slack_requests(),
    telegram_requests(),
    whatsapp_requests(),
    slack_requests(),
    telegram_requests(),
    handshake_requests(),
)

# ------------------------------------------------------------------------------------ the target


class FuzzTarget:
    """The bot and its fakes on a background event loop; ``send`` is callable from plain code."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._tmp = tempfile.TemporaryDirectory()

    def __enter__(self) -> FuzzTarget:
        self._thread.start()
        self._run(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        self._run(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._tmp.cleanup()

    def send(self, request: Request) -> int:
        """Deliver one request; returns the HTTP status."""
        return self._run(self._send(request))

    def stored_rows(self) -> int:
        """Rows in every table a verified request can fill, once earlier requests are fully processed."""
        return self._run(self._count_when_quiet())

    def slack_leaks(self) -> list[str]:
        """:func:`slack_leaks` of the fake Slack, once earlier requests are fully processed."""
        return self._run(self._leaks_when_quiet())

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=60)

    async def _start(self) -> None:
        self.graph = FakeGraphAPI(token=WA_TOKEN, phone_id=PHONE_ID)
        self.slack = FakeSlackAPI(token=SLACK_TOKEN)
        self.telegram = FakeTelegramAPI(token=TG_TOKEN)
        await self.graph.start()
        await self.slack.start()
        await self.telegram.start()
        db = Path(self._tmp.name) / "fuzz.db"
        telegram = telegram_settings(self.telegram)
        self.bot = Atende(
            make_settings(
                db,
                self.graph.url,
                self.slack.url,
                max_body_bytes=MAX_BODY,
                customers_api_token=CUSTOMERS_TOKEN,
                **telegram,
            )
        )
        await self.bot.start()
        self.http = aiohttp.ClientSession()

    async def _stop(self) -> None:
        await self.http.close()
        await self.bot.stop()
        await self.slack.stop()
        await self.graph.stop()
        await self.telegram.stop()

    async def _send(self, request: Request) -> int:
        url = f"http://127.0.0.1:{self.bot.port}{request.path}"
        async with self.http.request(
            request.method, url, data=request.body or None, headers=request.headers
        ) as response:
            await response.read()
            return response.status

    async def _count_when_quiet(self) -> int:
        # the work an earlier signed request started (inbox, outbox) must not count against this one
        await self._quiet()
        return await self._count()

    async def _leaks_when_quiet(self) -> list[str]:
        await self._quiet()
        return slack_leaks(self.slack)

    async def _quiet(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pending = (await self.bot.outbox.counts()).get("pending", 0)
            if await self.bot.inbox.backlog() == 0 and pending == 0:
                return
            await asyncio.sleep(0.01)

    async def _count(self) -> int:
        total = 0
        async with self.bot.db.locked() as conn:
            for table in STORED:
                async with conn.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
                    row = await cursor.fetchone()
                    total += row[0] if row else 0
        return total
