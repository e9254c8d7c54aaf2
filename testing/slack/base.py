"""What every family of the fake Slack Web API shares: the workspace's state, its message store
and Slack's answer shapes (``ok``/``error``).

The method families (``chat``, ``views``, ``files``, ``conversations``, ``socket_mode``) are mixins on
``SlackBase``; ``api.FakeSlackAPI`` composes them and routes each Slack method name to its handler.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any
from urllib.parse import quote

from aiohttp import web

from ..fake_server import Call, FakeServer

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"

# Methods slack_sdk/bolt call before a token is known to be good; the brief keeps auth.test open.
NO_AUTH = frozenset({"auth.test"})

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]+$")
"""What a conversation id looks like (``C`` public, ``G`` older private, ``D`` direct message)."""


def as_blocks(value: Any) -> list[dict[str, Any]] | None:
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


def oversize(blocks: Any) -> bool:
    """A section text over Slack's limit anywhere in ``blocks`` (as a list or its JSON string)."""
    parsed = as_blocks(blocks) if not isinstance(blocks, list) else blocks
    return any(
        block.get("type") == "section" and len((block.get("text") or {}).get("text") or "") > SECTION_LIMIT
        for block in parsed or []
        if isinstance(block, dict)
    )


def truthy(value: Any) -> bool:
    """A Slack boolean parameter as any client sends it (JSON true, 1, "1", "true")."""
    return value in (True, 1, "1", "true", "True")


class SlackBase(FakeServer):
    """The workspace a fake Slack keeps: messages, users, files, channels, views, and the helpers
    every method family answers with."""

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

    def next_ts(self) -> str:
        """A fresh message ts: monotonically increasing "1700000000.000100"-style strings."""
        micros = round(self._ts_origin * 1_000_000) + next(self._ts) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Replies in a thread, oldest first, without the parent."""
        return [
            m
            for (ch, ts), m in self.messages.items()
            if ch == channel and m.get("thread_ts") == thread_ts and ts != thread_ts
        ]

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

    @staticmethod
    def _ok(**data: Any) -> web.Response:
        return web.json_response({"ok": True, **data})

    @staticmethod
    def _err(error: str, status: int = 200, **extra: Any) -> web.Response:
        return web.json_response({"ok": False, "error": error, **extra}, status=status)

    def _auth_failed(self, call: Call) -> web.Response | None:
        if call.method_name in NO_AUTH or self.token is None:
            return None
        if self.bearer_ok(call) or call.params.get("token") == self.token:
            return None
        return self._err("invalid_auth")

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
            "blocks": as_blocks(params.get("blocks")),
            "thread_ts": thread_ts,
            "username": params.get("username"),
            "icon_emoji": params.get("icon_emoji"),
            "icon_url": params.get("icon_url"),
            "reply_broadcast": truthy(params.get("reply_broadcast")),
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
