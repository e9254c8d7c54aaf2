"""The chat.*, reactions.* and users.info methods, and answers posted to a response_url."""

from __future__ import annotations

import emoji
from aiohttp import web

from ..fake_server import Call
from .base import BOT_USER_ID, SlackBase, as_blocks, oversize


class ChatMethods(SlackBase):
    """Messages: post, update, delete, ephemeral, permalink, reactions; who a user is."""

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
        if oversize(p.get("blocks")):
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
        if oversize(p.get("blocks")):
            return self._err("invalid_blocks")
        if "text" in p:
            msg["text"] = p["text"]
        if "blocks" in p:
            msg["blocks"] = as_blocks(p["blocks"])
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
        if oversize(p.get("blocks")):
            return self._err("invalid_blocks")
        ts = self.next_ts()
        self.ephemerals.append(
            {
                "channel": p["channel"],
                "user": p["user"],
                "text": p.get("text") or "",
                "blocks": as_blocks(p.get("blocks")),
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

    async def _response_url(self, request: web.Request, call: Call) -> web.StreamResponse:
        key = request.path.rsplit("/", 1)[-1]
        if key not in self.responses:
            return web.Response(status=404, text="no_such_response_url")
        if not call.params:
            return web.Response(status=400, text="invalid_payload")
        self.responses[key].append(dict(call.params))
        return web.Response(text="ok")
