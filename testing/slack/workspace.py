"""What tests and the sandbox read and set in the fake workspace: stored messages and threads,
members, files, channels, and what the bot's markup renders to."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from ..slack_mrkdwn import Live, message_texts, mrkdwn_texts, render
from .base import BOT_USER_ID, SlackBase, as_blocks


class Workspace(SlackBase):
    """The test/sandbox API: describe the workspace, then read back what the bot did to it."""

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages of a channel, oldest first (thread replies excluded)."""
        return [
            m for (ch, ts), m in self.messages.items() if ch == channel and m.get("thread_ts") in (None, ts)
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
                for text in message_texts({**body, "blocks": as_blocks(body.get("blocks"))}):
                    yield f"response {key}", text

    def live_markup(self) -> list[tuple[str, Live]]:
        """Every live mention, broadcast and link in what the bot wrote, with where it is."""
        return [(where, live) for where, text in self.parsed_texts() for live in render(text).live]

    def file_object(self, file_id: str) -> dict[str, Any]:
        """The Slack-shaped object for a stored file (as files.info returns it)."""
        return self._file_obj(file_id)
