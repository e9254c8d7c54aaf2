"""The Slack side of the AgentDesk port: threads, replies, files and reactions via slack_sdk.

Refs handed to the core are ``"<channel>:<ts>"`` strings (files: ``"<channel>:file:<id>"``).
Errors are sorted into transient (429 with its ``Retry-After``, 5xx, network) and permanent by
:meth:`handlers.slack.client.SafeWebClient.call`.
"""

from __future__ import annotations

import io
import re
from typing import BinaryIO

import aiohttp
import emoji

from core.ai.model import DraftView
from core.common.errors import PermanentError, TransientError
from core.common.markup import Markup
from core.tickets.model import FileData, FileInfo, TicketView
from handlers.http.media_limits import check_declared, copy_capped
from handlers.slack import markup
from handlers.slack.ai_blocks import draft_blocks, draft_text
from handlers.slack.client import SafeWebClient
from handlers.slack.ticket_blocks import ticket_blocks, ticket_text

_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")
CUSTOMER_ICON = ":bust_in_silhouette:"
CHUNK_BYTES = 64 * 1024
POST_EVENT = "atende_post"
"""Metadata event type of thread posts that carry a key (to find them again after a lost answer)."""


def thread_ref(channel: str, ts: str) -> str:
    """The ref of a Slack message, as the core stores it."""
    return f"{channel}:{ts}"


def split_ref(ref: str) -> tuple[str, str]:
    """Channel and ts of a ref."""
    channel, _, ts = ref.partition(":")
    return channel, ts


def emoji_name(symbol: str) -> str | None:
    """Slack's name for a Unicode emoji (``👍`` -> ``thumbsup``), skin tones dropped."""
    alias = emoji.demojize(_SKIN_TONES.sub("", symbol), language="alias")
    match = re.fullmatch(r":([\w+\-]+):", alias.strip())
    return match.group(1) if match else None


class SlackDesk:
    """Implements :class:`core.delivery.ports.AgentDesk` on a Slack channel."""

    def __init__(self, client: SafeWebClient, channel: str, http: aiohttp.ClientSession) -> None:
        self._client = client
        self._channel = channel
        self._http = http
        self._permalinks: dict[str, str] = {}

    @property
    def client(self) -> SafeWebClient:
        """The Web API client, for other Slack surfaces of the desk (the App Home)."""
        return self._client

    async def post_ticket(self, view: TicketView) -> str:
        link = await self._previous_link(view)
        response = await self._client.call(
            "chat.postMessage",
            channel=self._channel,
            text=ticket_text(view),
            blocks=ticket_blocks(view, link),
        )
        return thread_ref(response["channel"], response["ts"])

    async def update_ticket(self, thread_ref_: str, view: TicketView) -> None:
        channel, ts = split_ref(thread_ref_)
        link = await self._previous_link(view)
        await self._client.call(
            "chat.update", channel=channel, ts=ts, text=ticket_text(view), blocks=ticket_blocks(view, link)
        )

    async def _previous_link(self, view: TicketView) -> str | None:
        """Permalink of the customer's previous ticket thread, shown on a follow-up ticket."""
        if not view.previous_thread_ref:
            return None
        return await self.permalink(view.previous_thread_ref)

    async def post_in_thread(
        self, thread_ref_: str, text: str, *, author: str | None = None, key: str | None = None
    ) -> str:
        channel, ts = split_ref(thread_ref_)
        response = await self._client.call(
            "chat.postMessage",
            channel=channel,
            thread_ts=ts,
            text=text or " ",
            username=author,
            icon_emoji=CUSTOMER_ICON if author else None,
            metadata={"event_type": POST_EVENT, "event_payload": {"key": key}} if key else None,
        )
        return thread_ref(response["channel"], response["ts"])

    async def find_in_thread(self, thread_ref_: str, key: str) -> str | None:
        """Read the thread (conversations.replies, a page at a time) for the post carrying ``key``."""
        channel, ts = split_ref(thread_ref_)
        cursor = None
        while True:
            response = await self._client.call(
                "conversations.replies",
                channel=channel,
                ts=ts,
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == POST_EVENT and payload.get("key") == key:
                    return thread_ref(channel, message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    async def upload_to_thread(self, thread_ref_: str, file: BinaryIO, info: FileInfo, comment: str) -> str:
        """Slack's external upload in three steps, the bytes streamed from ``file`` in between.

        (slack_sdk's ``files_upload_v2`` reads the whole file into memory first.)
        """
        channel, ts = split_ref(thread_ref_)
        ticket = await self._client.call(
            "files.getUploadURLExternal", filename=info.filename, length=info.size
        )
        try:
            async with self._http.post(ticket["upload_url"], data=file) as response:
                if response.status == 429 or response.status >= 500:
                    raise TransientError(f"upload HTTP {response.status}")
                if response.status != 200:
                    raise PermanentError(f"upload HTTP {response.status}")
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TransientError(f"upload failed: {error!r}") from error
        await self._client.call(
            "files.completeUploadExternal",
            files=[{"id": ticket["file_id"], "title": info.filename}],
            channel_id=channel,
            thread_ts=ts,
            initial_comment=comment,
        )
        return f"{channel}:file:{ticket['file_id']}"

    async def react(self, message_ref: str, symbol: str) -> None:
        channel, ts = split_ref(message_ref)
        name = emoji_name(symbol)
        if name is None or ts.startswith("file:"):
            return
        try:
            await self._client.call("reactions.add", channel=channel, timestamp=ts, name=name)
        except PermanentError as error:
            if "already_reacted" not in str(error):
                raise

    async def post_to_channel(self, channel: str, text: str) -> str:
        response = await self._client.call("chat.postMessage", channel=channel, text=text)
        return thread_ref(response["channel"], response["ts"])

    async def permalink(self, ref: str) -> str:
        """``chat.getPermalink``, remembered: a message's link never changes."""
        if ref not in self._permalinks:
            channel, ts = split_ref(ref)
            response = await self._client.call("chat.getPermalink", channel=channel, message_ts=ts)
            self._permalinks[ref] = response["permalink"]
        return self._permalinks[ref]

    async def post_context(self, thread_ref_: str, text: str) -> str:
        channel, ts = split_ref(thread_ref_)
        block = {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
        response = await self._client.call(
            "chat.postMessage", channel=channel, thread_ts=ts, text=text, blocks=[block]
        )
        return thread_ref(response["channel"], response["ts"])

    async def post_draft(self, thread_ref_: str, draft: DraftView) -> str:
        channel, ts = split_ref(thread_ref_)
        response = await self._client.call(
            "chat.postMessage",
            channel=channel,
            thread_ts=ts,
            text=draft_text(draft),
            blocks=draft_blocks(draft),
        )
        return thread_ref(response["channel"], response["ts"])

    async def update_draft(self, draft_ref: str, draft: DraftView) -> None:
        channel, ts = split_ref(draft_ref)
        await self._client.call(
            "chat.update", channel=channel, ts=ts, text=draft_text(draft), blocks=draft_blocks(draft)
        )

    def mention_user(self, user: str) -> Markup:
        return markup.user(user)

    def mention_group(self, group: str) -> Markup:
        return markup.group(group)

    def link(self, url: str, label: str) -> Markup:
        return markup.link(url, label)

    async def download(self, file_ref: str, limit: int) -> FileData:
        """An agent's file, refused by its declared ``size`` or cut off past ``limit`` bytes."""
        info = (await self._client.call("files.info", file=file_ref))["file"]
        check_declared(info.get("size"), limit)
        url = info.get("url_private_download") or info.get("url_private")
        headers = {"Authorization": f"Bearer {self._client.token}"}
        data = io.BytesIO()
        try:
            async with self._http.get(url, headers=headers) as response:
                if response.status == 429 or response.status >= 500:
                    raise TransientError(f"download HTTP {response.status}")
                if response.status != 200 or response.content_type == "text/html":
                    # Slack answers a file request without a valid token with its sign-in page
                    raise PermanentError(f"download HTTP {response.status} ({response.content_type})")
                await copy_capped(response.content.iter_chunked(CHUNK_BYTES), data, limit)
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TransientError(f"download failed: {error!r}") from error
        return FileData(
            data=data.getvalue(),
            mime_type=info.get("mimetype") or "application/octet-stream",
            filename=info.get("name") or file_ref,
        )
