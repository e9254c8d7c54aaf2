"""``/suporte crise``: declare a crisis from a modal, confirm its broadcast, and post status updates.

The modal's submission only shows the recipients and the preview (a confirmation view); the
broadcast is queued when that view is confirmed, after the supervisor is checked again. Each
listener makes one :class:`~core.crisis.service.Crises` call; what is allowed is decided there.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from core.crisis import texts
from core.crisis.audience import AudienceError, parse
from core.crisis.model import Crisis, CrisisDraft, CrisisStatus, Scenario, Severity
from core.crisis.service import Crises, stakeholders_of
from core.tickets import texts as tickets_texts
from handlers.slack import markup
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands, Who
from handlers.slack.crisis_views import (
    CONFIRM_VIEW,
    DRAFT_VIEW,
    MESSAGE_BLOCK,
    MESSAGE_MAX,
    SCENARIO,
    UPDATE,
    UPDATE_VIEW,
    confirm_view,
    crisis_blocks,
    draft_modal,
    notice_view,
    update_modal,
)
from handlers.slack.desk import split_ref, thread_ref
from handlers.slack.templates import _shown

log = logging.getLogger(__name__)


def _value(values: dict[str, Any], block: str) -> str:
    element = next(iter((values.get(block) or {}).values()), None) or {}
    if element.get("type") == "static_select" or "selected_option" in element:
        return str((element.get("selected_option") or {}).get("value") or "")
    if element.get("type") == "checkboxes" or "selected_options" in element:
        return ",".join(str(o.get("value")) for o in element.get("selected_options") or [])
    return str(element.get("value") or "").strip()


def _entries(values: dict[str, Any]) -> dict[str, str]:
    """The declaration form's fields, block -> value; the message under ``message`` whichever
    scenario its block was drawn for."""
    entries = {block.split(":")[0]: _value(values, block) for block in values}
    return {name: value for name, value in entries.items() if value}


class SlackCrisisBoard:
    """Implements :class:`core.crisis.ports.CrisisBoard` in the crisis channel, calling the stakeholders'
    groups."""

    def __init__(self, client: SafeWebClient, channel: str, groups: dict[str, str]) -> None:
        self._client = client
        self._channel = channel
        self._groups = groups

    def _blocks(self, crisis: Crisis, scenario: Scenario) -> list[dict[str, Any]]:
        return crisis_blocks(crisis, scenario, stakeholders_of(scenario, self._groups, markup.group))

    async def post_crisis(self, crisis: Crisis, scenario: Scenario) -> str:
        response = await self._client.call(
            "chat.postMessage",
            channel=self._channel,
            text=f"🚨 Crise {crisis.id}",
            blocks=self._blocks(crisis, scenario),
        )
        return thread_ref(response["channel"], response["ts"])

    async def update_crisis(self, thread_ref_: str, crisis: Crisis, scenario: Scenario) -> None:
        channel, ts = split_ref(thread_ref_)
        await self._client.call(
            "chat.update",
            channel=channel,
            ts=ts,
            text=f"🚨 Crise {crisis.id}",
            blocks=self._blocks(crisis, scenario),
        )

    async def post_update(self, thread_ref_: str, text: str) -> str:
        channel, ts = split_ref(thread_ref_)
        response = await self._client.call("chat.postMessage", channel=channel, thread_ts=ts, text=text)
        return thread_ref(response["channel"], response["ts"])


class CrisisCommands:
    """``/suporte crise``, its two views, and the **Atualizar status** button with its modal."""

    def __init__(self, crises: Crises, access: SlackAccess, client: SafeWebClient) -> None:
        self._crises = crises
        self._access = access
        self._client = client

    def register(self, commands: SlashCommands, app: AsyncApp) -> None:
        commands.add("crise", self.command, help=texts.HELP_CRISIS, who=Who.SUPERVISOR)
        app.action(SCENARIO)(self.scenario_picked)
        app.view(DRAFT_VIEW)(self.drafted)
        app.view(CONFIRM_VIEW)(self.confirmed)
        app.action(UPDATE)(self.open_update)
        app.view(UPDATE_VIEW)(self.updated)

    async def command(self, request: CommandRequest) -> CommandReply:
        await self._client.views_open(trigger_id=request.trigger_id, view=draft_modal(self._crises.scenarios))
        return CommandReply(texts.OPENING)

    async def scenario_picked(self, ack: Any, body: dict, action: dict) -> None:
        """Redraw the form with the picked scenario's message (unless the supervisor wrote their own)."""
        await ack()
        view = body.get("view") or {}
        chosen = str((action.get("selected_option") or {}).get("value") or "")
        if chosen not in self._crises.scenarios:
            return
        entries = _entries((view.get("state") or {}).get("values") or {})
        entries["message"] = texts.chosen_message(entries.get("message", ""), chosen)
        redrawn = draft_modal(self._crises.scenarios, chosen, entries)
        await _shown(
            self._client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=redrawn),
            "crisis form",
        )

    async def drafted(self, ack: Any, body: dict, view: dict) -> None:
        """Check the fields; show the recipients and the preview (nothing is sent yet).

        Only a supervisor gets that far: the preview counts the recipients, which tells whether a
        phone is a customer's, and the draft is stored.
        """
        user = body["user"]["id"]
        if not await self._access.is_supervisor(user):
            await self._access.refuse(user, "crise prévia")
            await ack(response_action="update", view=notice_view(tickets_texts.SUPERVISORS_ONLY))
            return
        values = (view.get("state") or {}).get("values") or {}
        errors: dict[str, str] = {}
        scenario = _value(values, "scenario")
        severity = _value(values, "severity")
        entries = _entries(values)
        description = entries.get("description", "")
        if scenario not in self._crises.scenarios:
            errors["scenario"] = texts.LABEL_SCENARIO
        if severity not in {s.value for s in Severity}:
            errors["severity"] = texts.LABEL_SEVERITY
        if not description:
            errors["description"] = texts.NEED_DESCRIPTION
        try:
            audience = parse(
                _value(values, "audience"),
                plan=_value(values, "plan"),
                number=_value(values, "number"),
                category=_value(values, "category"),
                phones=_value(values, "phones"),
            )
        except AudienceError as error:
            errors[error.field] = str(error)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        message = texts.chosen_message(entries.get("message", ""), scenario)
        draft = CrisisDraft(
            scenario, Severity(severity), description, audience, message, _value(values, "template")
        )
        if len(draft.text) > MESSAGE_MAX:  # WhatsApp refuses a longer template variable
            block = next((b for b in values if b.startswith(MESSAGE_BLOCK)), MESSAGE_BLOCK + scenario)
            await ack(response_action="errors", errors={block: texts.too_long(len(draft.text), MESSAGE_MAX)})
            return
        preview = await self._crises.preview(draft)
        # the draft waits in the database (a view's metadata holds 3,000 characters; a pasted list
        # is longer), so a restart before the confirmation loses nothing
        token = await self._crises.hold(draft, user)
        await ack(response_action="update", view=confirm_view(token, draft, preview))

    async def confirmed(self, ack: Any, body: dict, view: dict) -> None:
        """The explicit confirmation: declare the crisis and queue its notice."""
        user = body["user"]["id"]
        if not await self._access.is_supervisor(user):
            await self._access.refuse(user, "crise confirmar")
            await ack(response_action="update", view=notice_view(tickets_texts.SUPERVISORS_ONLY))
            return
        crisis = await self._crises.confirm(str(view.get("private_metadata") or ""), user)
        if crisis is None:
            await ack(response_action="update", view=notice_view(texts.DRAFT_EXPIRED))
            return
        await ack(response_action="clear")
        log.info("crisis %s declared by %s", crisis.id, user)

    async def open_update(self, ack: Any, body: dict, action: dict) -> None:
        await ack()
        user = body["user"]["id"]
        crisis_id = str(action.get("value") or "")
        channel = (body.get("channel") or {}).get("id") or user
        if not await self._access.is_supervisor(user):
            await self._access.refuse(user, f"crise atualizar {crisis_id}")
            await self._client.chat_postEphemeral(
                channel=channel, user=user, text=tickets_texts.SUPERVISORS_ONLY
            )
            return
        crisis = await self._crises.get(crisis_id)
        if crisis is None or crisis.status is CrisisStatus.RESOLVED:
            await self._client.chat_postEphemeral(channel=channel, user=user, text=texts.ALREADY_RESOLVED)
            return
        await self._client.views_open(trigger_id=body["trigger_id"], view=update_modal(crisis))

    async def updated(self, ack: Any, body: dict, view: dict) -> None:
        user = body["user"]["id"]
        values = (view.get("state") or {}).get("values") or {}
        status = _value(values, "status")
        text = _value(values, "text")
        if status not in {s.value for s in CrisisStatus}:
            await ack(response_action="errors", errors={"status": texts.LABEL_STATUS})
            return
        if not text:
            await ack(response_action="errors", errors={"text": texts.NEED_UPDATE})
            return
        if not await self._access.is_supervisor(user):
            await self._access.refuse(user, "crise atualizar")
            await ack(response_action="errors", errors={"text": tickets_texts.SUPERVISORS_ONLY})
            return
        notify = "yes" in _value(values, "notify").split(",")
        updated = await self._crises.update(
            str(view.get("private_metadata") or ""), CrisisStatus(status), text, user, notify=notify
        )
        if updated is None:
            await ack(response_action="errors", errors={"text": texts.ALREADY_RESOLVED})
            return
        await ack(response_action="clear")
