"""A fake Slack Web API that slack_sdk's AsyncWebClient talks to over HTTP.

Point the client at it with ``AsyncWebClient(token=..., base_url=fake.url + "/api/")``. It keeps a
small message store (channels, threads, reactions, files) so tests can assert on what agents see.
Wire details mirrored from slack_sdk 3.x: chat.* methods send a JSON body (``blocks`` already a
list), reactions.* / chat.delete / files.*External send everything as *query params* on a POST,
users.info / files.info / chat.getPermalink are GETs, and ``files.completeUploadExternal`` gets
``files`` as a JSON *string*. The v2 upload POSTs the raw bytes to the returned ``upload_url`` and
only accepts a text/plain answer.
"""

from __future__ import annotations

import itertools
import json
import mimetypes
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import emoji
from aiohttp import WSMsgType, web

from .fake_server import Call, FakeServer, Fault, Handler
from .slack_mrkdwn import Live, message_texts, mrkdwn_texts, render

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"

# Methods slack_sdk/bolt call before a token is known to be good; the brief keeps auth.test open.
_NO_AUTH = frozenset({"auth.test"})

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]+$")
"""What a conversation id looks like (``C`` public, ``G`` older private, ``D`` direct message)."""


def _blocks(value: Any) -> list[dict[str, Any]] | None:
    """``blocks`` arrive as a list (JSON body) or as a JSON string (form/query); store a list."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, list) else None
    return list(value)


SECTION_LIMIT = 3000
"""Slack refuses a section whose text is longer (``invalid_blocks``), escapes counted."""


def _oversize(blocks: Any) -> bool:
    """A section text over Slack's limit anywhere in ``blocks`` (as a list or its JSON string)."""
    parsed = _blocks(blocks) if not isinstance(blocks, list) else blocks
    return any(
        block.get("type") == "section" and len((block.get("text") or {}).get("text") or "") > SECTION_LIMIT
        for block in parsed or []
        if isinstance(block, dict)
    )


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


class FakeSlackAPI(FakeServer):
    """Fake Slack Web API: chat, reactions, users, files (v2 upload flow and private downloads).

    Method names for recording and faults are the Slack method names (``chat.postMessage``);
    the byte upload is ``files.upload_bytes`` and private file downloads ``files.download``.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        ts_origin: float = 1_700_000_000,
    ) -> None:
        """Message ts count up from ``ts_origin`` (seconds) in steps of 100 µs: a fake started
        again on a kept database (the demo) starts from the current time, as real ts never repeat."""
        super().__init__(token=token, host=host, port=port)
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        """(channel, ts) -> stored message, in posting order."""
        self.ephemerals: list[dict[str, Any]] = []
        self.deleted: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        """file_id -> {name, title, data, mimetype, channel, thread_ts, user} for uploads and add_file."""
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self._ts_origin = ts_origin
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._methods: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._permalink,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "users.info": self._users_info,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._files_info,
            "apps.connections.open": self._connections_open,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "usergroups.users.list": self._usergroup_users,
            "conversations.open": self._conversations_open,
            "conversations.replies": self._conversations_replies,
            "conversations.info": self._conversations_info,
        }
        self.channels: dict[str, dict[str, Any]] = {}
        """channel id -> {name, is_private, is_member} for channels a test described with ``add_channel``;
        any other id shaped like one is a public channel the bot is in (the common case)."""
        self.views: dict[str, dict[str, Any]] = {}
        """view_id -> {"view": ..., "trigger_id"/"user_id"/"method"} for modals and App Home tabs."""
        self.home_tabs: dict[str, dict[str, Any]] = {}
        """user_id -> the App Home view last published for that user."""
        self.custom_emoji: set[str] = set()
        """The workspace's own emoji names, accepted by ``reactions.add`` beside the standard ones."""
        self.usergroups: dict[str, list[str]] = {}
        """usergroup id -> member user ids (set by tests, read by ``usergroups.users.list``)."""
        self.responses: dict[str, list[dict[str, Any]]] = {}
        """response_url id -> JSON bodies posted to it (delayed slash-command answers)."""
        self._view_ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []
        """Envelope acknowledgements received from Socket Mode clients, in order."""

    # ------------------------------------------------------------------ test/sandbox API

    def next_ts(self) -> str:
        """A fresh message ts: monotonically increasing "1700000000.000100"-style strings."""
        micros = round(self._ts_origin * 1_000_000) + next(self._ts) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages of a channel, oldest first (thread replies excluded)."""
        return [
            m for (ch, ts), m in self.messages.items() if ch == channel and m.get("thread_ts") in (None, ts)
        ]

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Replies in a thread, oldest first, without the parent."""
        return [
            m
            for (ch, ts), m in self.messages.items()
            if ch == channel and m.get("thread_ts") == thread_ts and ts != thread_ts
        ]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One stored message, or None."""
        return self.messages.get((channel, ts))

    def post_as_user(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        files: list[dict[str, Any]] | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Store a message a human wrote in Slack (so threads look real) and return it, ``ts`` included.

        Pair it with ``slack_message_event(channel, user, text, ts=msg["ts"], ...)`` to deliver the event.
        """
        return self._store(
            channel, {"text": text, "thread_ts": thread_ts, "files": files, "blocks": blocks}, user=user
        )

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        display_name: str | None = None,
        is_bot: bool = False,
        email: str | None = None,
    ) -> dict[str, Any]:
        """Register a workspace member for users.info (unknown ids answer with their id as name)."""
        user = self._user_obj(user_id, name, display_name=display_name, is_bot=is_bot, email=email)
        self.users[user_id] = user
        return user

    def add_file(
        self,
        file_id: str,
        name: str,
        data: bytes,
        mimetype: str,
        *,
        user: str = "UAGENT",
        title: str | None = None,
    ) -> dict[str, Any]:
        """Register a file an agent uploaded; returns the Slack file object to put in a message event."""
        self.files[file_id] = {
            "name": name,
            "title": title or name,
            "data": data,
            "mimetype": mimetype,
            "channel": None,
            "thread_ts": None,
            "user": user,
        }
        return self._file_obj(file_id)

    def add_channel(
        self, channel_id: str, name: str, *, is_member: bool = True, is_private: bool = False
    ) -> None:
        """Describe a channel: a bot outside it cannot post there (``not_in_channel``), and cannot
        even see a private one (``channel_not_found``), as in Slack."""
        self.channels[channel_id] = {"name": name, "is_private": is_private, "is_member": is_member}

    def _channel(self, channel_id: str) -> dict[str, Any] | None:
        """The channel as the bot sees it, or None when Slack would answer ``channel_not_found``."""
        described = self.channels.get(channel_id)
        if described is None:
            if not CHANNEL_ID.match(channel_id):  # a name ("#suporte"): conversations.* want ids
                return None
            described = {"name": channel_id.lower(), "is_private": False, "is_member": True}
        if described["is_private"] and not described["is_member"]:
            return None
        return described

    @property
    def socket_connected(self) -> bool:
        """A Socket Mode client is connected and was greeted."""
        return any(not ws.closed for ws in self._sockets)

    async def socket_send(self, payload: dict[str, Any], kind: str = "events_api") -> str:
        """Deliver an envelope (``events_api``, ``interactive``, ``slash_commands``) over Socket Mode.

        Returns its envelope id; the client's acknowledgement lands in ``socket_acks``.
        """
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        for ws in self._sockets:
            if not ws.closed:
                await ws.send_json(envelope)
        return envelope_id

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        await super().stop()

    def response_url(self) -> str:
        """A fresh response_url served by this fake, for slash-command and action payloads."""
        key = uuid.uuid4().hex[:12]
        self.responses[key] = []
        return f"{self.url}/response/{key}"

    def modals(self) -> list[dict[str, Any]]:
        """Views opened, pushed or updated as modals, oldest first."""
        return [v["view"] for v in self.views.values() if v["view"].get("type") == "modal"]

    def shown(self, message: dict[str, Any]) -> str:
        """A message's ``text`` as an agent reads it in Slack (mentions and links rendered, escapes undone)."""
        return render(message.get("text") or "").text

    def parsed_texts(self) -> Iterator[tuple[str, str]]:
        """(where, text) for every text Slack would parse as mrkdwn, on every surface the bot wrote.

        Channel and thread messages (file comments included), ephemeral messages, modals,
        App Home tabs and answers posted to a response_url.
        """
        for (channel, ts), message in self.messages.items():
            if message.get("user") == BOT_USER_ID:
                for text in message_texts(message):
                    yield f"message {channel}/{ts}", text
        for ephemeral in self.ephemerals:
            for text in message_texts(ephemeral):
                yield f"ephemeral to {ephemeral['user']}", text
        for view_id, view in self.views.items():
            for text in mrkdwn_texts(view["view"]):
                yield f"view {view_id}", text
        for user, home in self.home_tabs.items():
            for text in mrkdwn_texts(home):
                yield f"App Home of {user}", text
        for key, bodies in self.responses.items():
            for body in bodies:
                for text in message_texts({**body, "blocks": _blocks(body.get("blocks"))}):
                    yield f"response {key}", text

    def live_markup(self) -> list[tuple[str, Live]]:
        """Every live mention, broadcast and link in what the bot wrote, with where it is."""
        return [(where, live) for where, text in self.parsed_texts() for live in render(text).live]

    def file_object(self, file_id: str) -> dict[str, Any]:
        """The Slack-shaped object for a stored file (as files.info returns it)."""
        return self._file_obj(file_id)

    # ------------------------------------------------------------------ routing

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        path = request.path
        if path.startswith("/api/"):
            name = path[len("/api/") :].strip("/")
            return name, self._methods.get(name, self._unknown_method)
        if path.startswith("/upload/") and request.method == "POST":
            return "files.upload_bytes", self._upload_bytes
        if path.startswith("/files-pri/") and request.method == "GET":
            return "files.download", self._download
        if path == "/signin":
            return "signin", self._signin_page
        if path.startswith("/response/") and request.method == "POST":
            return "response_url", self._response_url
        if path == "/socket-mode":
            return "socket_mode", self._socket_mode
        return "unknown", self._not_found

    @staticmethod
    def _ok(**data: Any) -> web.Response:
        return web.json_response({"ok": True, **data})

    @staticmethod
    def _err(error: str, status: int = 200, **extra: Any) -> web.Response:
        return web.json_response({"ok": False, "error": error, **extra}, status=status)

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        if fault.status == 429:
            default = "ratelimited"
        elif fault.status >= 500 or fault.status == 200:
            default = "fatal_error"
        else:
            default = "invalid_request"
        return self._err(fault.error or default, status=fault.status)

    def _auth_failed(self, call: Call) -> web.Response | None:
        if call.method_name in _NO_AUTH or self.token is None:
            return None
        if self.bearer_ok(call) or call.params.get("token") == self.token:
            return None
        return self._err("invalid_auth")

    # ------------------------------------------------------------------ object builders

    def _user_obj(
        self,
        user_id: str,
        name: str,
        *,
        display_name: str | None = None,
        is_bot: bool = False,
        email: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "deleted": False,
            "is_bot": is_bot,
            "tz": "America/Sao_Paulo",
            "profile": {
                "real_name": name,
                "real_name_normalized": name,
                "display_name": display_name if display_name is not None else name,
                "display_name_normalized": display_name if display_name is not None else name,
                "email": email,
                "image_72": f"https://fake.slack.com/avatars/{user_id}_72.png",
            },
        }

    def _file_obj(self, file_id: str) -> dict[str, Any]:
        f = self.files[file_id]
        url = f"{self.url}/files-pri/{file_id}/{quote(f['name'])}"
        ext = f["name"].rsplit(".", 1)[-1].lower() if "." in f["name"] else "binary"
        obj: dict[str, Any] = {
            "id": file_id,
            "created": int(time.time()),
            "timestamp": int(time.time()),
            "name": f["name"],
            "title": f["title"],
            "mimetype": f["mimetype"],
            "filetype": ext,
            "user": f["user"],
            "size": len(f["data"]) if f["data"] is not None else 0,
            "mode": "hosted",
            "is_external": False,
            "url_private": url,
            "url_private_download": url,
            "permalink": f"https://fake.slack.com/files/{f['user']}/{file_id}/{quote(f['name'])}",
        }
        if f.get("channel"):
            obj["channels"] = [f["channel"]]
        return obj

    def _store(self, channel: str, params: dict[str, Any], *, user: str = BOT_USER_ID) -> dict[str, Any]:
        ts = self.next_ts()
        thread_ts = params.get("thread_ts") or None
        msg: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "ts": ts,
            "user": user,
            "bot_id": BOT_ID if user == BOT_USER_ID else None,
            "text": params.get("text") or "",
            "blocks": _blocks(params.get("blocks")),
            "thread_ts": thread_ts,
            "username": params.get("username"),
            "icon_emoji": params.get("icon_emoji"),
            "icon_url": params.get("icon_url"),
            "reply_broadcast": _truthy(params.get("reply_broadcast")),
            "unfurl_links": params.get("unfurl_links"),
            "unfurl_media": params.get("unfurl_media"),
            "metadata": params.get("metadata"),
            "reactions": [],
            "files": params.get("files"),
        }
        self.messages[(channel, ts)] = msg
        if thread_ts:
            parent = self.messages.get((channel, thread_ts))
            if parent is not None:
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent["latest_reply"] = ts
        return msg

    @staticmethod
    def _public(msg: dict[str, Any]) -> dict[str, Any]:
        """A stored message as Slack echoes it (no None fields, no internal keys)."""
        return {k: v for k, v in msg.items() if v is not None and k not in ("channel", "reactions")}

    # ------------------------------------------------------------------ API methods

    async def _auth_test(self, request: web.Request, call: Call) -> web.StreamResponse:
        """Who the token belongs to; Slack answers ``not_authed`` without a token, ``invalid_auth``
        for a wrong one."""
        if self.token is not None and not (self.bearer_ok(call) or call.params.get("token") == self.token):
            has_token = call.headers.get("Authorization") or call.params.get("token")
            return self._err("invalid_auth" if has_token else "not_authed")
        return self._ok(
            url="https://fake.slack.com/",
            team="Fake",
            user="fakebot",
            team_id=TEAM_ID,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    async def _post_message(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        channel = p.get("channel")
        if not channel:
            return self._err("channel_not_found")
        if not self.channels.get(channel, {}).get("is_member", True):
            return self._err("not_in_channel")
        if not p.get("text") and not p.get("blocks") and not p.get("attachments"):
            return self._err("no_text")
        if _oversize(p.get("blocks")):
            return self._err("invalid_blocks")
        msg = self._store(channel, p)
        return self._ok(channel=channel, ts=msg["ts"], message=self._public(msg))

    async def _update(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        msg = self.messages.get((p.get("channel", ""), p.get("ts", "")))
        if msg is None:
            return self._err("message_not_found")
        if _oversize(p.get("blocks")):
            return self._err("invalid_blocks")
        if "text" in p:
            msg["text"] = p["text"]
        if "blocks" in p:
            msg["blocks"] = _blocks(p["blocks"])
        msg["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}
        return self._ok(channel=msg["channel"], ts=msg["ts"], text=msg["text"], message=self._public(msg))

    async def _delete(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        key = (call.params.get("channel"), call.params.get("ts"))
        msg = self.messages.pop(key, None)  # type: ignore[arg-type]
        if msg is None:
            return self._err("message_not_found")
        self.deleted.append(msg)
        return self._ok(channel=key[0], ts=key[1])

    async def _post_ephemeral(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        if not p.get("channel"):
            return self._err("channel_not_found")
        if not p.get("user"):
            return self._err("user_not_in_channel")
        if _oversize(p.get("blocks")):
            return self._err("invalid_blocks")
        ts = self.next_ts()
        self.ephemerals.append(
            {
                "channel": p["channel"],
                "user": p["user"],
                "text": p.get("text") or "",
                "blocks": _blocks(p.get("blocks")),
                "thread_ts": p.get("thread_ts"),
                "ts": ts,
            }
        )
        return self._ok(message_ts=ts)

    async def _permalink(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        channel, ts = call.params.get("channel"), call.params.get("message_ts")
        if not channel or not ts:
            return self._err("invalid_arguments")
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        msg = self.messages.get((channel, ts))
        if msg is not None and msg.get("thread_ts") not in (None, ts):
            link += f"?thread_ts={msg['thread_ts']}&cid={channel}"
        return self._ok(channel=channel, permalink=link)

    async def _reactions_add(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        msg = self.messages.get((p.get("channel", ""), p.get("timestamp", "")))
        if msg is None:
            return self._err("message_not_found")
        name = (p.get("name") or "").strip(":")
        if not self._known_emoji(name):
            return self._err("invalid_name")
        if name in msg["reactions"]:
            return self._err("already_reacted")
        msg["reactions"].append(name)
        return self._ok()

    def _known_emoji(self, name: str) -> bool:
        """Slack reacts only with an emoji it knows: a standard name (``thumbsup``, ``+1``), with an
        optional ``::skin-tone-2`` to ``-6``, or one of the workspace's ``custom_emoji``."""
        base, _, tone = name.partition("::")
        if tone and tone not in {f"skin-tone-{n}" for n in range(2, 7)}:
            return False
        if base in self.custom_emoji:
            return True
        return bool(base) and emoji.emojize(f":{base}:", language="alias") != f":{base}:"

    async def _reactions_remove(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        msg = self.messages.get((p.get("channel", ""), p.get("timestamp", "")))
        if msg is None:
            return self._err("message_not_found")
        name = (p.get("name") or "").strip(":")
        if name not in msg["reactions"]:
            return self._err("no_reaction")
        msg["reactions"].remove(name)
        return self._ok()

    async def _users_info(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        user_id = call.params.get("user")
        if not user_id:
            return self._err("user_not_found")
        user = self.users.get(user_id) or self._user_obj(user_id, user_id)
        return self._ok(user=user)

    async def _get_upload_url(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        filename, length = call.params.get("filename"), call.params.get("length")
        if not filename or length is None or not str(length).isdigit():
            return self._err("invalid_arguments")
        file_id = f"F{next(self._file_ids):010d}"
        self._pending_uploads[file_id] = {
            "name": filename,
            "length": int(length),
            "data": None,
            "alt_txt": call.params.get("alt_txt"),
        }
        return self._ok(upload_url=f"{self.url}/upload/{file_id}", file_id=file_id)

    async def _upload_bytes(self, request: web.Request, call: Call) -> web.StreamResponse:
        file_id = request.path.rstrip("/").rsplit("/", 1)[-1]
        pending = self._pending_uploads.get(file_id)
        if pending is None:
            return web.Response(status=404, text="Not Found")
        # slack_sdk posts the raw bytes; Slack's docs also allow a multipart "file" field.
        part = call.files.get("file") or next(iter(call.files.values()), None)
        pending["data"] = part.data if part is not None else call.raw
        return web.Response(text=f"OK - {len(pending['data'])}", content_type="text/plain")

    async def _complete_upload(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        try:
            items = json.loads(p["files"]) if isinstance(p.get("files"), str) else p.get("files")
        except ValueError:
            items = None
        if not isinstance(items, list) or not items:
            return self._err("invalid_arguments")
        ids = [str(item.get("id")) for item in items]
        if any(self._pending_uploads.get(i, {}).get("data") is None for i in ids):
            return self._err("file_not_found")  # never requested, or bytes never POSTed
        channel = p.get("channel_id") or (p.get("channels") or "").split(",")[0] or None
        thread_ts = p.get("thread_ts") or None
        for item in items:
            fid = str(item["id"])
            pend = self._pending_uploads.pop(fid)
            self.files[fid] = {
                "name": pend["name"],
                "title": item.get("title") or pend["name"],
                "data": pend["data"],
                "mimetype": mimetypes.guess_type(pend["name"])[0] or "application/octet-stream",
                "channel": channel,
                "thread_ts": thread_ts,
                "user": BOT_USER_ID,
            }
        objs = [self._file_obj(i) for i in ids]
        if channel:
            shared = [{k: o[k] for k in ("id", "name", "title", "mimetype", "size")} for o in objs]
            self._store(
                channel, {"text": p.get("initial_comment") or "", "thread_ts": thread_ts, "files": shared}
            )
        return self._ok(files=objs)

    async def _connections_open(self, request: web.Request, call: Call) -> web.StreamResponse:
        """Socket Mode: hand out the WebSocket URL (the app token, xapp-, is not checked)."""
        return self._ok(url=f"ws://{self.host}:{self.port}/socket-mode")

    async def _socket_mode(self, request: web.Request, call: Call) -> web.StreamResponse:
        """The Socket Mode WebSocket: greet with ``hello``, then record envelope acknowledgements."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "fake"},
                "connection_info": {"app_id": "A0001"},
            }
        )
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                if "envelope_id" in data:
                    self.socket_acks.append(data)
        return ws

    def _view_param(self, call: Call) -> dict[str, Any] | None:
        view = call.params.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return None
        if (
            not isinstance(view, dict)
            or view.get("type") not in ("modal", "home")
            or _oversize(view.get("blocks"))
        ):
            return None
        return view

    async def _views_open(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        if view is None:
            return self._err("invalid_arguments")
        if not call.params.get("trigger_id"):
            return self._err("invalid_trigger_id")
        view_id = f"V{next(self._view_ids):06d}"
        stored = {**view, "id": view_id}
        self.views[view_id] = {
            "view": stored,
            "trigger_id": call.params["trigger_id"],
            "method": call.method_name,
        }
        return self._ok(view=stored)

    async def _views_update(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        view_id = call.params.get("view_id")
        if view is None or view_id not in self.views:
            return self._err("not_found" if view is not None else "invalid_arguments")
        stored = {**view, "id": view_id}
        self.views[view_id] = {**self.views[view_id], "view": stored, "method": call.method_name}
        return self._ok(view=stored)

    async def _views_publish(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        user = call.params.get("user_id")
        if view is None or view.get("type") != "home" or not user:
            return self._err("invalid_arguments")
        view_id = f"V{next(self._view_ids):06d}"
        stored = {**view, "id": view_id}
        self.home_tabs[user] = stored
        return self._ok(view=stored)

    async def _conversations_open(self, request: web.Request, call: Call) -> web.StreamResponse:
        """The app's direct-message channel with a user: ``D`` + the user id."""
        if (denied := self._auth_failed(call)) is not None:
            return denied
        users = str(call.params.get("users") or "")
        if not users or "," in users:
            return self._err("invalid_arguments")
        return self._ok(channel={"id": "D" + users.removeprefix("U")})

    async def _conversations_info(self, request: web.Request, call: Call) -> web.StreamResponse:
        """A channel's name and whether the bot is in it (``is_member``)."""
        if (denied := self._auth_failed(call)) is not None:
            return denied
        channel_id = str(call.params.get("channel") or "")
        channel = self._channel(channel_id)
        if channel is None:
            return self._err("channel_not_found")
        return self._ok(
            channel={
                "id": channel_id,
                "name": channel["name"],
                "is_channel": not channel["is_private"],
                "is_private": channel["is_private"],
                "is_archived": False,
                "is_member": channel["is_member"],
            }
        )

    async def _conversations_replies(self, request: web.Request, call: Call) -> web.StreamResponse:
        """A thread, parent first, a page at a time (``limit``, ``cursor``) as Slack pages it.

        Messages carry their ``metadata`` only with ``include_all_metadata``, as in Slack.
        """
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        channel, ts = p.get("channel"), p.get("ts")
        if not channel:
            return self._err("channel_not_found")
        parent = self.messages.get((channel, ts))  # type: ignore[arg-type]
        if parent is None:
            return self._err("thread_not_found")
        thread = (
            [parent, *self.thread(channel, str(ts))] if parent.get("thread_ts") in (None, ts) else [parent]
        )
        try:
            limit = max(1, min(int(p.get("limit") or 1000), 1000))
            start = int(p.get("cursor") or 0)
        except ValueError:
            return self._err("invalid_cursor")
        page = thread[start : start + limit]
        with_metadata = _truthy(p.get("include_all_metadata"))
        messages = [
            {k: v for k, v in self._public(m).items() if with_metadata or k != "metadata"} for m in page
        ]
        more = start + limit < len(thread)
        return self._ok(
            messages=messages,
            has_more=more,
            response_metadata={"next_cursor": str(start + limit) if more else ""},
        )

    async def _usergroup_users(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        group = call.params.get("usergroup")
        if group not in self.usergroups:
            return self._err("no_such_subteam")
        return self._ok(users=list(self.usergroups[group]))

    async def _response_url(self, request: web.Request, call: Call) -> web.StreamResponse:
        key = request.path.rsplit("/", 1)[-1]
        if key not in self.responses:
            return web.Response(status=404, text="no_such_response_url")
        if not call.params:
            return web.Response(status=400, text="invalid_payload")
        self.responses[key].append(dict(call.params))
        return web.Response(text="ok")

    async def _files_info(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        file_id = call.params.get("file")
        if file_id not in self.files:
            return self._err("file_not_found")
        return self._ok(file=self._file_obj(file_id), comments=[], response_metadata={"next_cursor": ""})

    async def _download(self, request: web.Request, call: Call) -> web.StreamResponse:
        parts = request.path.split("/")  # ["", "files-pri", file_id, ...name]
        file_id = parts[2] if len(parts) > 2 else ""
        if self.token is not None and not self.bearer_ok(call):
            # Slack does not 401 here: it redirects to a sign-in HTML page (a 200 after redirects).
            return web.Response(
                status=302, headers={"Location": f"{self.url}/signin?redir={quote(request.path)}"}
            )
        f = self.files.get(file_id)
        if f is None or f["data"] is None:
            return web.Response(status=404, text="file not found")
        return web.Response(body=f["data"], headers={"Content-Type": f["mimetype"]})

    async def _signin_page(self, request: web.Request, call: Call) -> web.StreamResponse:
        return web.Response(
            text="<!DOCTYPE html><html><body>Sign in to Fake Slack</body></html>", content_type="text/html"
        )

    async def _unknown_method(self, request: web.Request, call: Call) -> web.StreamResponse:
        return self._err("unknown_method", req_method=call.method_name)

    async def _not_found(self, request: web.Request, call: Call) -> web.StreamResponse:
        return web.Response(status=404, text="Not Found")
