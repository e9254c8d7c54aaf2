"""A fake WhatsApp Cloud (Graph) API that pywa talks to over HTTP.

pywa hard-codes ``https://graph.facebook.com/v{version}``, so the app (and the tests) rewrite that
host to this server; every ``/v<anything>/`` prefix is accepted so a pywa upgrade that bumps the
Graph version does not break the fake. Request shapes follow what pywa 4.5 actually sends:
sends, read marks and typing indicators all POST JSON to ``/{phone_id}/messages``; byte media is
first uploaded as multipart to ``/{phone_id}/media`` and then sent by id.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import re
import time
from typing import Any

import aiohttp
from aiohttp import web

from .fake_server import Call, FakeServer, Fault, Handler
from .signing import sign_whatsapp
from .whatsapp_webhooks import wa_status

WINDOW_SECONDS = 24 * 3600

_VERSIONED = re.compile(r"^/v[^/]+/(?P<rest>.+?)/?$")

# Default Graph error per HTTP status when a fault names none (codes pywa maps to its exceptions).
_DEFAULT_ERRORS: dict[int, tuple[int, str]] = {
    400: (100, "(#100) Invalid parameter"),
    401: (190, "Invalid OAuth access token - Cannot parse access token"),
    403: (10, "(#10) Application does not have permission for this action"),
    404: (100, "(#100) Unsupported request - method type"),
    429: (130429, "(#130429) Rate limit hit"),
    500: (1, "An unknown error occurred"),
    503: (2, "Service temporarily unavailable"),
}

SEND_KINDS = frozenset(
    {
        "text",
        "image",
        "document",
        "audio",
        "video",
        "sticker",
        "interactive",
        "template",
        "reaction",
        "location",
        "contacts",
    }
)


def graph_error(
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    type_: str = "OAuthException",
    details: str | None = None,
) -> dict[str, Any]:
    """An error body in Meta's shape (what pywa's ``WhatsAppError.from_dict`` parses)."""
    err: dict[str, Any] = {
        "message": message,
        "type": type_,
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details or message},
        "fbtrace_id": "AFakeTraceId0000000000",
    }
    if subcode is not None:
        err["error_subcode"] = subcode
    return {"error": err}


STATUS_RETRY_MAX_SECONDS = 0.5
"""Longest wait between two deliveries of a status webhook (Meta's grow to hours; tests are short)."""


class FakeGraphAPI(FakeServer):
    """Fake Graph API for WhatsApp: messages, media upload / url / download.

    Method names used for recording and faults: ``messages``, ``media.upload``, ``media.get``,
    ``media.delete``, ``media.download``, ``phone.get``, ``unknown``.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        run_id: str = "",
        phone_id: str | None = None,
    ) -> None:
        """``run_id`` goes into every wamid: a fake started again on a kept database (the demo)
        must not hand out the ids of the last run, as real wamids are never reused.

        ``phone_id`` is the business number this account has: ``GET /{phone_id}`` describes it
        and sends from any other id are refused, as Graph does (None: any id sends, none is described).
        """
        super().__init__(token=token, host=host, port=port)
        self.phone_id = phone_id
        self.sent: list[dict[str, Any]] = []
        """Every accepted send: the JSON body pywa posted plus the assigned ``id`` (wamid)."""
        self.read_marks: list[str] = []
        """Message ids marked as read (including those sent with a typing indicator)."""
        self.typing: list[str] = []
        """Message ids a typing indicator was shown for."""
        self.uploaded: dict[str, tuple[bytes, str, str | None]] = {}
        """media_id -> (bytes, mime_type, filename) for media pywa uploaded."""
        self.media: dict[str, tuple[bytes, str]] = {}
        """media_id -> (bytes, mime_type) downloadable via GET /{media_id} (customer media + uploads)."""
        self._rejections: dict[str, tuple[int, str]] = {}
        self._run_id = run_id
        self._wamids = itertools.count(1)
        self._media_ids = itertools.count(910_000_000_000_001)
        self._declared_sizes: dict[str, int] = {}
        self._windows: dict[str, float] | None = None
        self._templates: set[str] | None = None
        self._status_hook: tuple[str, str] | None = None
        self._status_tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self.clock = time.time
        """What "now" is for the 24-hour windows (a test may hand in its fake clock's time)."""

    # ------------------------------------------------------------------ test/sandbox API

    def add_media(self, media_id: str, data: bytes, mime_type: str, *, file_size: int | None = None) -> None:
        """Register media a customer "sent", so the app can fetch its URL and bytes.

        ``file_size`` is what the media URL lookup declares (default: the real size): a smaller
        one checks that a download stops at the desk's cap whatever the platform said.
        """
        self.media[str(media_id)] = (data, mime_type)
        if file_size is not None:
            self._declared_sizes[str(media_id)] = file_size

    def reject_to(self, phone: str, code: int = 131026, message: str = "Message undeliverable") -> None:
        """Every send to ``phone`` fails with this Graph error (HTTP 400), e.g. a user who blocked us."""
        self._rejections[phone] = (code, message)

    def enforce_windows(self) -> None:
        """From now on, refuse free-form messages outside the 24-hour window, as WhatsApp does
        (error 131047); templates are still accepted. Off by default, so tests that do not care
        about windows need not open them."""
        if self._windows is None:
            self._windows = {}

    def customer_wrote(self, phone: str, at: float | None = None) -> None:
        """The customer wrote to us at ``at`` (default now): their window is open for 24 hours."""
        self.enforce_windows()
        assert self._windows is not None
        self._windows[phone] = self.clock() if at is None else at

    def approve_templates(self, *names: str) -> None:
        """Only these templates exist (others fail with 132001); by default any name is accepted."""
        self._templates = set(names)

    def report_statuses(self, webhook_url: str, app_secret: str) -> None:
        """Post a signed ``sent`` status webhook for every accepted send, echoing its
        ``biz_opaque_callback_data``, as Meta does; re-sent while the app does not answer 200."""
        self._status_hook = (webhook_url, app_secret)

    def sent_templates(self, to: str | None = None) -> list[dict[str, Any]]:
        """The template messages sent (optionally only to ``to``)."""
        msgs = self.sent if to is None else self.sent_to(to)
        return [m for m in msgs if m.get("type") == "template"]

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        """Accepted sends addressed to ``to`` (phone or BSUID), oldest first."""
        return [m for m in self.sent if m.get("to") == to or m.get("recipient") == to]

    def sent_texts(self, to: str | None = None) -> list[str]:
        """Bodies of the text messages sent (optionally only to ``to``) — the common assertion."""
        msgs = self.sent if to is None else self.sent_to(to)
        return [m["text"]["body"] for m in msgs if m.get("type") == "text"]

    # ------------------------------------------------------------------ routing

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        path = request.path
        if path.startswith("/download/") and request.method == "GET":
            return "media.download", self._download
        m = _VERSIONED.match(path)
        if m:
            parts = m.group("rest").split("/")
            if len(parts) == 2 and parts[1] == "messages" and request.method == "POST":
                return "messages", self._messages
            if len(parts) == 2 and parts[1] == "media" and request.method == "POST":
                return "media.upload", self._upload
            if len(parts) == 1 and request.method == "GET" and parts[0] == self.phone_id:
                return "phone.get", self._phone_get
            if len(parts) == 1 and request.method == "GET":
                return "media.get", self._media_get
            if len(parts) == 1 and request.method == "DELETE":
                return "media.delete", self._media_delete
        return "unknown", self._unknown

    def _error(
        self, status: int, code: int, message: str, *, subcode: int | None = None, details: str | None = None
    ) -> web.Response:
        return web.json_response(graph_error(code, message, subcode=subcode, details=details), status=status)

    def _window_open(self, address: str) -> bool:
        if self._windows is None:
            return True
        wrote = self._windows.get(address)
        return wrote is not None and self.clock() - wrote < WINDOW_SECONDS

    def _template_error(self, template: dict[str, Any]) -> web.Response | None:
        """Meta's checks on a template send: a name, a language, a known template, clean variables."""
        name = template.get("name")
        language = (template.get("language") or {}).get("code")
        if not name or not language:
            return self._error(
                400, 100, "(#100) The parameter template['name'] and ['language'] are required."
            )
        if self._templates is not None and name not in self._templates:
            return self._error(404, 132001, "Template name does not exist in the translation")
        for component in template.get("components") or []:
            for parameter in component.get("parameters") or []:
                text = parameter.get("text") or ""
                if "\n" in text or "\t" in text or "     " in text:
                    return self._error(
                        400, 132018, "There was an issue with the parameters in your template."
                    )
        return None

    async def _report(self, wamid: str, address: str, body: dict[str, Any]) -> None:
        """Deliver a ``sent`` status webhook, retrying with backoff while the app does not answer 200.

        Like Meta: a status posted while the app was down is delivered once it is back, however
        long that takes (Meta retries for up to seven days), never dropped.
        """
        assert self._status_hook is not None
        url, secret = self._status_hook
        payload = wa_status(wamid, "sent", address)
        status = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
        if body.get("biz_opaque_callback_data"):
            status["biz_opaque_callback_data"] = body["biz_opaque_callback_data"]
        raw = json.dumps(payload).encode()
        if self._http is None:
            self._http = aiohttp.ClientSession()
        wait = 0.2
        while True:  # Meta keeps retrying for days; here until the fake stops
            try:
                async with self._http.post(url, data=raw, headers=sign_whatsapp(raw, secret)) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(wait)
            wait = min(wait * 2, STATUS_RETRY_MAX_SECONDS)

    async def stop(self) -> None:
        for task in list(self._status_tasks):
            task.cancel()
        await asyncio.gather(*self._status_tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
            self._http = None
        await super().stop()

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        default_code, default_msg = _DEFAULT_ERRORS.get(fault.status, (1, "An unknown error occurred"))
        code = fault.code if fault.code is not None else default_code
        return self._error(fault.status, code, fault.message or default_msg, subcode=fault.subcode)

    def _unauthorized(self) -> web.Response:
        return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")

    # ------------------------------------------------------------------ handlers

    def _refused(self, call: Call) -> web.Response | None:
        """Graph's answer to a wrong token, or to a send from a number this account does not have."""
        if not self.bearer_ok(call):
            return self._unauthorized()
        number = call.path.strip("/").split("/")[1]
        if self.phone_id is not None and number != self.phone_id:
            return self._unknown_object(number, "post")
        return None

    async def _phone_get(self, request: web.Request, call: Call) -> web.StreamResponse:
        """The business number, as ``GET /{phone_number_id}`` describes it."""
        if not self.bearer_ok(call):
            return self._unauthorized()
        return web.json_response(
            {
                "verified_name": "Atende Demo",
                "display_phone_number": "+55 11 4000-0000",
                "quality_rating": "GREEN",
                "platform_type": "CLOUD_API",
                "code_verification_status": "VERIFIED",
                "id": self.phone_id,
            }
        )

    async def _messages(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (refused := self._refused(call)) is not None:
            return refused
        body = call.params
        if body.get("messaging_product") != "whatsapp":
            return self._error(400, 100, "(#100) The parameter messaging_product is required.")
        if body.get("status") == "read":
            message_id = body.get("message_id")
            if not message_id:
                return self._error(400, 100, "(#100) The parameter message_id is required.")
            self.read_marks.append(message_id)
            if "typing_indicator" in body:
                self.typing.append(message_id)
            return web.json_response({"success": True})
        to, recipient = body.get("to"), body.get("recipient")
        if not to and not recipient:
            return self._error(400, 100, "(#100) The parameter to is required.")
        kind = body.get("type", "text")
        if kind not in SEND_KINDS:
            return self._error(400, 100, f"(#100) Param type must be one of {sorted(SEND_KINDS)}")
        if not isinstance(body.get(kind), dict):
            return self._error(400, 100, f"(#100) The parameter {kind} is required.")
        if kind == "text" and not body[kind].get("body"):
            return self._error(400, 100, "(#100) Param text['body'] is required.")
        if kind == "template" and (refused := self._template_error(body[kind])) is not None:
            return refused
        address = str(to or recipient)  # one of them is set: checked above
        if address in self._rejections:
            code, message = self._rejections[address]
            return self._error(400, code, message)
        if kind != "template" and not self._window_open(address):
            return self._error(
                400,
                131047,
                "Re-engagement message",
                details="Message failed to send because more than 24 hours have passed since the "
                "customer last replied to this number.",
            )
        wamid = f"wamid.FAKE{self._run_id}{next(self._wamids)}"
        self.sent.append({**body, "id": wamid})
        if self._status_hook is not None:
            task = asyncio.get_running_loop().create_task(self._report(wamid, address, body))
            self._status_tasks.add(task)
            task.add_done_callback(self._status_tasks.discard)
        contact = {"input": address, "wa_id": address} if to else {"input": address, "user_id": address}
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}
        )

    async def _upload(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (refused := self._refused(call)) is not None:
            return refused
        if call.params.get("messaging_product") != "whatsapp":
            return self._error(400, 100, "(#100) The parameter messaging_product is required.")
        part = call.files.get("file")
        if part is None:
            return self._error(400, 100, "(#100) The parameter file is required.")
        mime = call.params.get("type") or part.content_type
        media_id = str(next(self._media_ids))  # numeric: pywa treats digit strings as media ids
        self.uploaded[media_id] = (part.data, mime, part.filename)
        self.media[media_id] = (part.data, mime)
        return web.json_response({"id": media_id})

    async def _media_get(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self.bearer_ok(call):
            return self._unauthorized()
        media_id = call.path.rstrip("/").rsplit("/", 1)[-1]
        if media_id not in self.media:
            return self._unknown_object(media_id, "get")
        data, mime = self.media[media_id]
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/download/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": self._declared_sizes.get(media_id, len(data)),
                "id": media_id,
            }
        )

    async def _media_delete(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self.bearer_ok(call):
            return self._unauthorized()
        media_id = call.path.rstrip("/").rsplit("/", 1)[-1]
        if self.media.pop(media_id, None) is None:
            return self._unknown_object(media_id, "delete")
        self.uploaded.pop(media_id, None)
        return web.json_response({"success": True})

    async def _download(self, request: web.Request, call: Call) -> web.StreamResponse:
        # Meta's lookaside URLs also demand the bearer token; without it the download fails.
        if not self.bearer_ok(call):
            return self._unauthorized()
        media_id = request.path.split("/")[2]
        if media_id not in self.media:
            return web.Response(status=404, text="Not Found")
        data, mime = self.media[media_id]
        return web.Response(body=data, headers={"Content-Type": mime})

    async def _unknown(self, request: web.Request, call: Call) -> web.StreamResponse:
        return self._error(400, 100, f"(#100) Unknown path components: {request.path}")

    def _unknown_object(self, object_id: str, verb: str) -> web.Response:
        return self._error(
            400,
            100,
            f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
            "missing permissions, or does not support this operation.",
            subcode=33,
        )
