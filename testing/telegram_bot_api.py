"""A fake Telegram Bot API that python-telegram-bot talks to over HTTP.

Point the bot at it with ``TELEGRAM_API_URL=<fake.url>``: python-telegram-bot then calls
``<url>/bot<token>/<method>`` and downloads files from ``<url>/file/bot<token>/<path>``.
Wire details mirrored from python-telegram-bot 22: every method is a POST; parameters come
form-encoded (objects such as ``reply_markup`` as JSON strings), or as multipart when a file is
uploaded. Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code",
"description", "parameters"}``; a 429 carries ``parameters.retry_after``, which the library
turns into ``RetryAfter``.

Besides sends and file downloads the fake keeps a queue of updates for ``getUpdates`` (long
polling with ``offset`` confirmation, like Telegram), the webhook registration, and chats that
blocked the bot. Method names for recording and faults are the Bot API's (``sendMessage``);
file downloads are ``file.download``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from aiohttp import web

from .fake_server import Call, FakeServer, Fault, Handler

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Atende", "username": "atende_bot"}
BLOCKED = "Forbidden: bot was blocked by the user"

_SEND_MEDIA = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendAudio": "audio",
    "sendVideo": "video",
}
_DEFAULT_ERRORS = {
    400: "Bad Request: message text is empty",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    429: "Too Many Requests: retry after 1",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def tg_error(status: int, description: str, retry_after: float | None = None) -> web.Response:
    """An error answer in the Bot API's shape."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


class FakeTelegramAPI(FakeServer):
    """Fake Bot API: messages and files both ways, polling, webhook registration, blocked chats."""

    def __init__(self, *, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(token=token, host=host, port=port)
        self.sent: list[dict[str, Any]] = []
        """Every accepted send: ``method``, ``chat_id`` (int), ``message_id`` and the parameters;
        ``file`` holds ``(bytes, filename, content_type)`` of an upload."""
        self.files: dict[str, tuple[bytes, str]] = {}
        """file_id -> (bytes, path under the file URL) of files a customer "sent"."""
        self.webhook: dict[str, Any] = {}
        """The last setWebhook parameters (empty after deleteWebhook)."""
        self.answered_callbacks: list[str] = []
        self.updates: list[dict[str, Any]] = []
        """Updates waiting for getUpdates; removed once confirmed by a higher ``offset``."""
        self._blocked: set[int] = set()
        self._new_update = asyncio.Event()
        self._message_ids = itertools.count(5001)
        self._file_ids = itertools.count(1)
        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "sendMessage": self._send,
            **dict.fromkeys(_SEND_MEDIA, self._send),
            "getFile": self._get_file,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "answerCallbackQuery": self._answer_callback,
        }

    # ------------------------------------------------------------------ test/sandbox API

    def add_file(self, file_id: str, data: bytes, path: str) -> None:
        """Register a file a customer "sent" (``path`` like ``photos/file_1.jpg``)."""
        self.files[file_id] = (data, path)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to this chat answers 403."""
        self._blocked.add(chat_id)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next getUpdates (polling mode)."""
        self.updates.append(update)
        self._new_update.set()

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Accepted sends to one chat, oldest first."""
        return [m for m in self.sent if m["chat_id"] == chat_id]

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts of the sendMessage calls to one chat: the common assertion."""
        return [m["text"] for m in self.sent_to(chat_id) if m["method"] == "sendMessage"]

    # ------------------------------------------------------------------ routing

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        parts = request.path.strip("/").split("/")
        if len(parts) >= 3 and parts[0] == "file" and parts[1].startswith("bot"):
            return "file.download", self._download
        if len(parts) == 2 and parts[0].startswith("bot"):
            return parts[1], self._methods.get(parts[1], self._unknown)
        return "unknown", self._unknown

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        description = fault.message or _DEFAULT_ERRORS.get(fault.status, "Internal Server Error")
        return tg_error(fault.status, description, fault.retry_after if fault.status == 429 else None)

    def _token_ok(self, request: web.Request) -> bool:
        segment = next(p for p in request.path.split("/") if p.startswith("bot"))
        return self.token is None or segment == f"bot{self.token}"

    # ------------------------------------------------------------------ handlers

    async def _get_me(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        return web.json_response({"ok": True, "result": BOT_USER})

    async def _send(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        params = call.params
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            return tg_error(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            return tg_error(403, BLOCKED)
        method = call.method_name
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
        }
        record: dict[str, Any] = {"method": method, "chat_id": chat_id, "message_id": message["message_id"]}
        if method == "sendMessage":
            if not params.get("text"):
                return tg_error(400, "Bad Request: message text is empty")
            message["text"] = record["text"] = params["text"]
        else:
            field = _SEND_MEDIA[method]
            part = call.files.get(field)
            if part is None:
                return tg_error(400, f"Bad Request: there is no {field} in the request")
            record["file"] = (part.data, part.filename, part.content_type)
            file_id = f"sent-{next(self._file_ids)}"
            media = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(part.data)}
            # the fields the real Bot API always returns for each kind (the library requires them)
            if field in ("photo", "video"):
                media |= {"width": 1, "height": 1}
            if field in ("voice", "audio", "video"):
                media["duration"] = 1
            message[field] = [media] if field == "photo" else media
            if params.get("caption"):
                message["caption"] = record["caption"] = params["caption"]
        if params.get("reply_markup"):
            markup = json.loads(params["reply_markup"])
            message["reply_markup"] = record["reply_markup"] = markup
        self.sent.append(record)
        return web.json_response({"ok": True, "result": message})

    async def _get_file(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        file_id = str(call.params.get("file_id", ""))
        if file_id not in self.files:
            return tg_error(400, "Bad Request: invalid file_id")
        data, path = self.files[file_id]
        result = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(data), "file_path": path}
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request, call: Call) -> web.StreamResponse:
        if self.token is not None and request.path.split("/")[2] != f"bot{self.token}":
            return web.Response(status=401, text="Unauthorized")
        path = request.path.split("/", 3)[3]
        for data, file_path in self.files.values():
            if file_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404, text="Not Found")

    async def _get_updates(self, request: web.Request, call: Call) -> web.StreamResponse:
        """Long polling: confirm everything below ``offset``, then wait up to ``timeout`` for more."""
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        if self.webhook:
            return tg_error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(call.params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:
            self._new_update.clear()
            assert self._stopping is not None
            wait = asyncio.ensure_future(self._new_update.wait())
            stop = asyncio.ensure_future(self._stopping.wait())
            await asyncio.wait(
                {wait, stop}, timeout=float(call.params.get("timeout") or 0), return_when="FIRST_COMPLETED"
            )
            wait.cancel()
            stop.cancel()
        return web.json_response({"ok": True, "result": list(self.updates)})

    async def _set_webhook(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        if not str(call.params.get("url", "")).startswith("https://"):
            return tg_error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(call.params)
        return web.json_response({"ok": True, "result": True, "description": "Webhook was set"})

    async def _delete_webhook(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        self.webhook = {}
        return web.json_response({"ok": True, "result": True, "description": "Webhook was deleted"})

    async def _answer_callback(self, request: web.Request, call: Call) -> web.StreamResponse:
        if not self._token_ok(request):
            return tg_error(401, "Unauthorized")
        self.answered_callbacks.append(str(call.params.get("callback_query_id")))
        return web.json_response({"ok": True, "result": True})

    async def _unknown(self, request: web.Request, call: Call) -> web.StreamResponse:
        return tg_error(404, "Not Found")
