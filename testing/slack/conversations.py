"""The conversations.* methods (open, info, replies) and usergroups.users.list."""

from __future__ import annotations

from aiohttp import web

from ..fake_server import Call
from .base import SlackBase, truthy


class ConversationMethods(SlackBase):
    """Conversations: direct-message channels, channel facts, threads a page at a time, user groups."""

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
        with_metadata = truthy(p.get("include_all_metadata"))
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
