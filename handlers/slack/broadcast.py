"""A broadcast's progress in Slack: the bar and counts, **Pausar** / **Retomar** / **Cancelar**, the tally.

The message is posted in the broadcast's thread (a crisis thread) or at the top of the
broadcasts channel, and redrawn with ``chat.update`` by the outbox (which honours Slack's
``Retry-After``). The buttons are for supervisors; a refusal is audited.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from core.broadcast import texts
from core.broadcast.model import Broadcast, BroadcastState, Tally
from core.broadcast.service import Broadcasts
from core.tickets import texts as tickets_texts
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.desk import split_ref, thread_ref
from handlers.slack.ids import button_id
from handlers.slack.ticket_blocks import _button

PAUSE = "broadcast.pause"
RESUME = "broadcast.resume"
CANCEL = "broadcast.cancel"


def progress_blocks(broadcast: Broadcast, tally: Tally) -> list[dict[str, Any]]:
    """Title, bar and counts, and the buttons while the broadcast can still change."""
    body = "\n".join([texts.progress_title(broadcast), *texts.progress_lines(broadcast, tally)])
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]
    if not broadcast.state.finished:
        value = str(broadcast.id)
        first = (
            _button(texts.BUTTON_RESUME, RESUME, value, "primary")
            if broadcast.state is BroadcastState.PAUSED
            else _button(texts.BUTTON_PAUSE, PAUSE, value)
        )
        cancel = _button(texts.BUTTON_CANCEL, CANCEL, value, "danger")
        cancel["confirm"] = {
            "title": {"type": "plain_text", "text": texts.CANCEL_CONFIRM_TITLE},
            "text": {"type": "plain_text", "text": texts.CANCEL_CONFIRM_TEXT},
            "confirm": {"type": "plain_text", "text": texts.CANCEL_CONFIRM_YES},
            "deny": {"type": "plain_text", "text": texts.CANCEL_CONFIRM_NO},
            "style": "danger",
        }
        blocks.append(
            {"type": "actions", "block_id": f"broadcast:{broadcast.id}", "elements": [first, cancel]}
        )
    return blocks


class SlackBroadcastBoard:
    """Implements :class:`core.broadcast.ports.BroadcastBoard`."""

    def __init__(self, client: SafeWebClient, channel: str) -> None:
        self._client = client
        self._channel = channel

    async def post_progress(self, broadcast: Broadcast, tally: Tally) -> str:
        channel, thread_ts = (
            split_ref(broadcast.progress_thread) if broadcast.progress_thread else (self._channel, None)
        )
        response = await self._client.call(
            "chat.postMessage",
            channel=channel,
            thread_ts=thread_ts,
            text=texts.progress_text(broadcast, tally),
            blocks=progress_blocks(broadcast, tally),
        )
        return thread_ref(response["channel"], response["ts"])

    async def update_progress(self, ref: str, broadcast: Broadcast, tally: Tally) -> None:
        channel, ts = split_ref(ref)
        await self._client.call(
            "chat.update",
            channel=channel,
            ts=ts,
            text=texts.progress_text(broadcast, tally),
            blocks=progress_blocks(broadcast, tally),
        )


def register(app: AsyncApp, broadcasts: Broadcasts, access: SlackAccess) -> None:
    """Attach the three buttons; each checks the supervisor and makes one core call."""

    async def press(ack: Any, body: dict, action: dict, client: SafeWebClient) -> None:
        await ack()
        user = body["user"]["id"]
        name = action["action_id"]
        broadcast_id = button_id(action)
        if broadcast_id is None:
            return
        channel = (body.get("channel") or {}).get("id") or user
        if not await access.is_supervisor(user):
            await access.refuse(user, f"{name} #{broadcast_id}")
            await client.chat_postEphemeral(channel=channel, user=user, text=tickets_texts.SUPERVISORS_ONLY)
            return
        move = {PAUSE: broadcasts.pause, RESUME: broadcasts.resume, CANCEL: broadcasts.cancel}[name]
        if await move(broadcast_id, user) is None:
            refusal = {PAUSE: texts.NOT_RUNNING, RESUME: texts.NOT_PAUSED, CANCEL: texts.ALREADY_FINISHED}[
                name
            ]
            await client.chat_postEphemeral(channel=channel, user=user, text=refusal)

    for action_id in (PAUSE, RESUME, CANCEL):
        app.action(action_id)(press)
