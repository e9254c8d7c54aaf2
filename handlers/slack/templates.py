"""Slack listeners for response templates: the **Modelo** button, its modal, and ``/suporte modelos``
(supervisors create, edit and delete templates).

Each listener reads what Slack sent, asks :class:`core.templates.responses.ResponseTemplates`, and
answers with a view or with field errors (``response_action: errors``). A submission that
Slack sends malformed (missing blocks, values of the wrong type) is answered with a field
error too, never a server error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.templates import texts as templates_texts
from core.templates.filling import fill
from core.templates.model import ResponseTemplate
from core.templates.responses import ResponseTemplates, SendRefusal
from core.tickets import texts as tickets_texts
from handlers.slack import template_views as views
from handlers.slack.access import SlackAccess
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands, Who
from handlers.slack.ids import button_id, record_id
from handlers.slack.ticket_blocks import TEMPLATE

log = logging.getLogger(__name__)
SEND_WHAT = "the template modal"


def _metadata(view: dict) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _state(view: dict) -> dict[str, dict[str, Any]]:
    values = (view.get("state") or {}).get("values")
    if not isinstance(values, dict):
        return {}
    return {k: v for k, v in values.items() if isinstance(v, dict)}


def _text(state: dict[str, dict[str, Any]], block_id: str) -> str:
    element = state.get(block_id, {}).get(views.VALUE_ACTION)
    value = element.get("value") if isinstance(element, dict) else None
    return value if isinstance(value, str) else ""


def _selected(state: dict[str, dict[str, Any]], block_id: str, action_id: str) -> str:
    element = state.get(block_id, {}).get(action_id)
    option = element.get("selected_option") if isinstance(element, dict) else None
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else ""


def _ticked(state: dict[str, dict[str, Any]], block_id: str, value: str) -> bool:
    element = state.get(block_id, {}).get(views.VALUE_ACTION)
    options = element.get("selected_options") if isinstance(element, dict) else None
    return isinstance(options, list) and any(isinstance(o, dict) and o.get("value") == value for o in options)


def _ticket_id(view: dict) -> int | None:
    return record_id(_metadata(view).get("ticket"), "template view")


async def _agent_name(client: AsyncWebClient, user: str) -> str | None:
    """The agent's name as Slack shows it, for ``{agent_name}``; None (a gap) if Slack cannot say."""
    try:
        profile = (await client.users_info(user=user))["user"].get("profile") or {}
    except (SlackApiError, KeyError, TypeError):
        return None
    name = profile.get("real_name") or profile.get("display_name")
    return name if isinstance(name, str) and name.strip() else None


async def _shown(call: Awaitable[Any], what: str) -> bool:
    """Await a views.* call; a refusal (an expired trigger, a closed view) is logged, not raised.

    Slack sends the interaction once and shows nothing for an error answer, so the user
    simply tries again; raising would only turn the request into a 500.
    """
    try:
        await call
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("could not show %s: %r", what, error)
        return False
    return True


def register(
    app: AsyncApp,
    responses: ResponseTemplates,
    access: SlackAccess,
    commands: SlashCommands,
    client: AsyncWebClient,
) -> None:
    """Attach the template listeners and the ``modelos`` subcommand."""

    @app.action(TEMPLATE)
    async def open_send(ack: Any, body: dict, action: dict) -> None:
        await ack()
        user = body["user"]["id"]
        if not await access.is_agent(user):
            await access.refuse(user, f"{TEMPLATE} {action.get('value')}")
            return
        ticket_id = button_id(action)
        if ticket_id is None:
            return
        view = views.send_view(ticket_id, await responses.all(), None)
        if not await _shown(client.views_open(trigger_id=body.get("trigger_id"), view=view), SEND_WHAT):
            channel = (body.get("channel") or {}).get("id")
            if channel:
                await _shown(
                    client.chat_postEphemeral(
                        channel=channel, user=user, text=templates_texts.TEMPLATE_NOT_OPENED
                    ),
                    "",
                )

    @app.action(views.CHOOSE_ACTION)
    async def choose(ack: Any, body: dict, action: dict) -> None:
        await ack()
        view = body.get("view") or {}
        ticket_id = _ticket_id(view)
        if ticket_id is None:
            return
        option = action.get("selected_option") or {}
        template_id = option.get("value") if isinstance(option, dict) else None
        name = await _agent_name(client, body["user"]["id"])
        prepared = (
            await responses.prepare(ticket_id, template_id, name) if isinstance(template_id, str) else None
        )
        notice = None if prepared else templates_texts.TEMPLATE_UNKNOWN
        updated = views.send_view(ticket_id, await responses.all(), prepared, notice)
        await _shown(
            client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated), SEND_WHAT
        )

    @app.view(views.SEND_CALLBACK)
    async def send(ack: Any, body: dict, view: dict) -> None:
        user = body["user"]["id"]
        state = _state(view)
        ticket_id = _ticket_id(view)
        template_id = _selected(state, views.PICK_BLOCK, views.CHOOSE_ACTION)
        text_block = views.TEXT_BLOCK + template_id
        if not await access.is_agent(user):
            await access.refuse(user, f"{views.SEND_CALLBACK} {ticket_id}")
            await ack(response_action="errors", errors={views.PICK_BLOCK: tickets_texts.AGENTS_ONLY})
            return
        if ticket_id is None:
            await ack(
                response_action="errors", errors={views.PICK_BLOCK: templates_texts.TEMPLATE_TICKET_GONE}
            )
            return
        if not template_id or text_block not in state:
            await ack(response_action="errors", errors={views.PICK_BLOCK: templates_texts.TEMPLATE_CHOOSE})
            return
        by_hand = {
            block[len(views.GAP_BLOCK) :]: _text(state, block)
            for block in state
            if block.startswith(views.GAP_BLOCK)
        }
        final = fill(_text(state, text_block), by_hand)
        result = await responses.send(ticket_id, template_id, final.text, user)
        match result.refusal:
            case None:
                await ack()
            case SendRefusal.GAPS:
                errors = {text_block: templates_texts.template_gaps_error(list(result.gaps))}
                errors.update(
                    {
                        views.GAP_BLOCK + g: templates_texts.TEMPLATE_GAP_REQUIRED
                        for g in result.gaps
                        if views.GAP_BLOCK + g in state
                    }
                )
                await ack(response_action="errors", errors=errors)
            case SendRefusal.EMPTY:
                await ack(response_action="errors", errors={text_block: templates_texts.TEMPLATE_TEXT_EMPTY})
            case SendRefusal.UNKNOWN_TEMPLATE:
                await ack(
                    response_action="errors", errors={views.PICK_BLOCK: templates_texts.TEMPLATE_UNKNOWN}
                )
            case SendRefusal.UNKNOWN_TICKET:
                await ack(
                    response_action="errors", errors={views.PICK_BLOCK: templates_texts.TEMPLATE_TICKET_GONE}
                )

    async def open_list(request: CommandRequest) -> CommandReply:
        await client.views_open(trigger_id=request.trigger_id, view=views.list_view(await responses.all()))
        return CommandReply(templates_texts.TEMPLATES_OPENED)

    commands.add("modelos", open_list, help=templates_texts.TEMPLATES_HELP, who=Who.SUPERVISOR)

    async def push_form(ack: Any, body: dict, template: ResponseTemplate | None, what: str) -> None:
        await ack()
        user = body["user"]["id"]
        if not await access.is_supervisor(user):
            await access.refuse(user, what)
            return
        await _shown(
            client.views_push(trigger_id=body.get("trigger_id"), view=views.form_view(template)), what
        )

    @app.action(views.NEW_ACTION)
    async def new(ack: Any, body: dict) -> None:
        await push_form(ack, body, None, views.NEW_ACTION)

    @app.action(views.EDIT_ACTION)
    async def edit(ack: Any, body: dict, action: dict) -> None:
        template = await responses.get(str(action.get("value")))
        if template is None:
            await ack()
            return
        await push_form(ack, body, template, f"{views.EDIT_ACTION} {template.id}")

    @app.view(views.SAVE_CALLBACK)
    async def save(ack: Any, body: dict, view: dict) -> None:
        user = body["user"]["id"]
        state = _state(view)
        editing = _metadata(view).get("edit")
        editing = editing if isinstance(editing, str) else None
        first_block = "id" if editing is None else "title"
        if not await access.is_supervisor(user):
            await access.refuse(user, views.SAVE_CALLBACK)
            await ack(
                response_action="errors", errors={first_block: templates_texts.TEMPLATE_SUPERVISORS_ONLY}
            )
            return
        if editing is not None and _ticked(state, views.DELETE_BLOCK, views.DELETE_VALUE):
            if not await responses.delete(editing, user):
                await ack(
                    response_action="errors", errors={views.DELETE_BLOCK: templates_texts.TEMPLATE_UNKNOWN}
                )
                return
            await ack(response_action="update", view=views.list_view(await responses.all()))
            return
        template = ResponseTemplate(
            id=editing or _text(state, "id").strip(),
            title=_text(state, "title").strip(),
            category=_selected(state, "category", views.VALUE_ACTION),
            tone=_selected(state, "tone", views.VALUE_ACTION),
            body=_text(state, "body").replace("\r\n", "\n").strip(),
        )
        problems = await responses.save(template, user, new=editing is None)
        if problems:
            errors = {(field if field in state else first_block): text for field, text in problems.items()}
            await ack(response_action="errors", errors=errors)
            return
        await ack(response_action="update", view=views.list_view(await responses.all()))
