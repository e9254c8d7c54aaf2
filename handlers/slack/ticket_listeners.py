"""Bolt listeners: ticket buttons and agents' thread replies, each turned into one SupportDesk call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from core.escalation import texts as escalation_texts
from core.tickets import texts as tickets_texts
from core.tickets.model import ActionResult, AgentReply, Attachment, Refusal
from core.tickets.service import SupportDesk
from handlers.slack.access import SlackAccess
from handlers.slack.desk import thread_ref
from handlers.slack.ids import button_id
from handlers.slack.text import to_customer_text
from handlers.slack.ticket_blocks import CLAIM, IN_PROGRESS, RELEASE, REOPEN, RESOLVE, WAITING, mention

log = logging.getLogger(__name__)

DeskAction = Callable[[int, str], Awaitable[ActionResult]]

# Shown on a thread reply that was not sent because its author is not an agent.
NOT_SENT_REACTION = "no_entry_sign"
# Message subtypes that carry an agent's words or files; edits, deletions and joins do not.
_AGENT_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def refusal_text(result: ActionResult) -> str:
    """What the agent is told, privately, when their action was not applied."""
    holder = mention(result.holder) if result.holder else "outra pessoa"
    match result.refusal:
        case Refusal.CLAIMED_BY_OTHER:
            return tickets_texts.already_claimed(holder)
        case Refusal.NOT_ASSIGNEE:
            return tickets_texts.only_assignee_releases(holder)
        case Refusal.ALREADY_RESOLVED:
            return tickets_texts.ALREADY_RESOLVED
        case Refusal.NOT_RESOLVED:
            return escalation_texts.NOT_RESOLVED
        case Refusal.ALREADY_AT_TIER:
            return escalation_texts.ALREADY_AT_TIER
        case _:
            return tickets_texts.TICKET_NOT_FOUND


def register(app: AsyncApp, support: SupportDesk, access: SlackAccess, support_channel: str) -> None:
    """Attach the desk's listeners to a Bolt app."""
    pending_notices: set[asyncio.Task[Any]] = set()

    def tell(client: Any, body: dict, user: str, text: str) -> None:
        # Not awaited: Slack gets its answer as soon as the ticket is (not) changed, even
        # when posting the explanation is slow; the explanation changes no state.
        channel = (body.get("channel") or {}).get("id") or support_channel
        task = asyncio.create_task(client.chat_postEphemeral(channel=channel, user=user, text=text))
        pending_notices.add(task)
        task.add_done_callback(pending_notices.discard)

    async def run_action(ack: Any, body: dict, client: Any, action: dict, apply: DeskAction) -> None:
        await ack()
        user = body["user"]["id"]
        ticket_id = button_id(action)
        if ticket_id is None:
            return
        if not await access.is_agent(user):
            await access.refuse(user, f"{action.get('action_id')} ticket {ticket_id}")
            tell(client, body, user, tickets_texts.AGENTS_ONLY)
            return
        result = await apply(ticket_id, user)
        if not result.ok:
            tell(client, body, user, refusal_text(result))

    async def reopen(ticket_id: int, agent: str) -> ActionResult:
        return await support.reopen(ticket_id, agent, escalation_texts.REOPEN_REASON_BUTTON)

    buttons: dict[str, DeskAction] = {
        CLAIM: support.claim,
        RELEASE: support.release,
        RESOLVE: support.resolve,
        WAITING: support.set_waiting,
        IN_PROGRESS: support.set_in_progress,
        REOPEN: reopen,
    }
    for action_id, apply in buttons.items():
        app.action(action_id)(_button_listener(run_action, apply))

    async def refuse_reply(client: Any, event: dict) -> None:
        """Someone who is not an agent wrote in a ticket's thread: nothing reaches the customer, the
        message is marked for everyone in the thread and its author is told why (audited)."""
        ticket_id = await support.ticket_of_thread(thread_ref(event["channel"], event["thread_ts"]))
        if ticket_id is None:
            return  # not a ticket: colleagues talking in another thread of the channel
        user, channel = event["user"], event["channel"]
        await access.refuse(user, f"thread reply to ticket {ticket_id} (not sent)")
        for call in (
            client.reactions_add(channel=channel, timestamp=event["ts"], name=NOT_SENT_REACTION),
            client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=event["thread_ts"], text=tickets_texts.REPLY_AGENTS_ONLY
            ),
        ):
            try:
                await call
            except SlackApiError as error:
                log.warning("cannot mark a refused thread reply: %s", error.response.get("error"))

    @app.event("message")
    async def thread_reply(event: dict, client: Any) -> None:
        if not _is_agent_reply(event, support_channel):
            return
        if not await access.is_agent(event["user"]):
            await refuse_reply(client, event)
            return
        files = [
            Attachment(ref=f["id"], mime_type=f.get("mimetype"), filename=f.get("name"))
            for f in event.get("files") or []
            if isinstance(f, dict) and f.get("id")
        ]
        await support.reply(
            AgentReply(
                thread_ref=thread_ref(event["channel"], event["thread_ts"]),
                agent=event["user"],
                desk_ref=thread_ref(event["channel"], event["ts"]),
                event_key=f"slack:msg:{event['channel']}:{event['ts']}",
                at=support.now(),
                text=to_customer_text(event.get("text") or ""),
                files=files,
            )
        )


def _button_listener(
    run_action: Callable[..., Awaitable[None]], apply: DeskAction
) -> Callable[..., Awaitable[None]]:
    """A Bolt listener for one ticket button (its own function, so ``apply`` is bound per button)."""

    async def listener(ack: Any, body: dict, client: Any, action: dict) -> None:
        await run_action(ack, body, client, action, apply)

    return listener


def _is_agent_reply(event: dict, support_channel: str) -> bool:
    """A person's reply inside a thread of the support channel (bots and edits excluded); whether
    that person is an agent is checked after."""
    return (
        event.get("channel") == support_channel
        and event.get("subtype") in _AGENT_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )
