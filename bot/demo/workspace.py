"""The Slack side of the demo page: what a person does in the workspace becomes the signed request
Slack would send (a thread reply, a click, a slash command, a modal submission)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.demo.customers import DemoCustomer
from bot.demo.host import DemoHost
from testing.signing import sign_slack
from testing.slack_payloads import (
    slack_block_action,
    slack_command,
    slack_message_event,
    slack_view_submission,
)

FORM = "application/x-www-form-urlencoded"


class Workspace:
    """The Slack workspace's people: their messages, clicks, commands and modals, and the ticket
    parents the bot drew. A mixin of ``api.DemoAPI``, which holds the state."""

    demo: DemoHost
    http: aiohttp.ClientSession
    triggers: dict[str, str]
    closed_views: set[str]
    command_answers: dict[str, list[dict[str, Any]]]
    _response_owner: dict[str, str]
    _triggers: itertools.count[int]
    _customer: Callable[[str], DemoCustomer]

    async def agent_says(self, agent: str, channel: str, text: str, thread_ts: str | None) -> int:
        """Someone writes in a Slack channel or thread."""
        posted = self.demo.slack.post_as_user(channel, agent, text, thread_ts=thread_ts)
        event = slack_message_event(channel, agent, text, ts=posted["ts"], thread_ts=thread_ts)
        return await self._to_slack(event, "application/json")

    async def agent_clicks(self, agent: str, click: dict[str, Any]) -> int:
        """Someone clicks a button or picks an option, on a message or inside a modal / App Home."""
        view = self.demo.slack.views.get(click.get("view_id") or "", {}).get("view")
        if view is None and click.get("home"):
            view = self.demo.slack.home_tabs.get(agent)
        if view is not None and isinstance(click.get("values"), dict):
            view = {**view, "state": {"values": click["values"]}}  # a pick inside a form that is being filled
        body = slack_block_action(
            click["action_id"],
            str(click.get("value") or ""),
            user_id=agent,
            channel=click.get("channel") or self.demo.support_channel,
            message_ts=click.get("message_ts") or "",
            block_id=click.get("block_id") or "b",
            action_type=click.get("type") or "button",
            trigger_id=self._trigger_for(agent),
            view=view,
        )
        return await self._to_slack(body, FORM)

    async def agent_command(self, agent: str, channel: str, text: str) -> dict[str, Any]:
        """Someone types ``/suporte TEXT``; returns the immediate answer."""
        url = self.demo.slack.response_url()
        self._response_owner[url.rsplit("/", 1)[-1]] = agent
        body = slack_command(
            text, user_id=agent, channel=channel, response_url=url, trigger_id=self._trigger_for(agent)
        )
        answer = await self._post_slack(body, FORM)
        if answer:
            self.command_answers.setdefault(agent, []).append({"command": text, **answer})
        return answer

    async def agent_submits(self, agent: str, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Someone submits a modal; returns the bot's answer (validation errors keep it open)."""
        view = self.demo.slack.views[view_id]["view"]
        body = slack_view_submission(
            view.get("callback_id") or "",
            values,
            user_id=agent,
            private_metadata=view.get("private_metadata") or "",
            view_id=view_id,
        )
        answer = await self._post_slack(body, FORM)
        if answer.get("response_action") == "update" and isinstance(answer.get("view"), dict):
            self.demo.slack.views[view_id]["view"] = {**answer["view"], "id": view_id}
        elif answer.get("response_action") != "errors":
            self.closed_views.add(view_id)
        return answer

    def ticket_parent(self, phone: str) -> dict[str, Any]:
        """The support channel's newest ticket parent whose thread holds this customer's messages."""
        slack = self.demo.slack
        channel = self.demo.support_channel
        name = self._customer(phone).name
        for parent in reversed(slack.channel_messages(channel)):
            if name in json.dumps(parent.get("blocks") or [], ensure_ascii=False):
                return parent
        raise LookupError(f"no ticket on the desk yet for {phone}")

    async def press_ticket_button(self, agent: str, phone: str, action_id: str) -> int:
        """Click one of the buttons on a customer's ticket parent (Assumir, Resolver...)."""
        parent = self.ticket_parent(phone)
        for block in parent.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("action_id") == action_id:
                    return await self.agent_clicks(
                        agent,
                        {
                            "action_id": action_id,
                            "value": element.get("value"),
                            "channel": self.demo.support_channel,
                            "message_ts": parent["ts"],
                            "block_id": block.get("block_id"),
                        },
                    )
        raise LookupError(f"no {action_id} button on the ticket of {phone}")

    async def answer_ticket(self, agent: str, phone: str, text: str) -> int:
        """Write in a customer's ticket thread (relayed to the customer)."""
        parent = self.ticket_parent(phone)
        return await self.agent_says(agent, self.demo.support_channel, text, parent["ts"])

    def _trigger_for(self, agent: str) -> str:
        trigger = f"{next(self._triggers)}.demo.{int(time.time())}"
        self.triggers[trigger] = agent
        return trigger

    @staticmethod
    def _public(msg: dict[str, Any]) -> dict[str, Any]:
        keep = ("ts", "thread_ts", "user", "username", "text", "blocks", "reactions", "files", "icon_emoji")
        public = {k: msg.get(k) for k in keep}
        public["files"] = [
            {"id": f.get("id"), "name": f.get("name"), "mimetype": f.get("mimetype")}
            for f in msg.get("files") or []
            if isinstance(f, dict)
        ]
        return public

    async def _to_slack(self, raw: bytes, content_type: str) -> int:
        headers = sign_slack(raw, self.demo.slack_secret, content_type=content_type)
        async with self.http.post(self.demo.bot_url + "/slack/events", data=raw, headers=headers) as response:
            await response.read()
            return response.status

    async def _post_slack(self, raw: bytes, content_type: str) -> dict[str, Any]:
        headers = sign_slack(raw, self.demo.slack_secret, content_type=content_type)
        async with self.http.post(self.demo.bot_url + "/slack/events", data=raw, headers=headers) as response:
            text = await response.text()
        if not text:
            return {}
        try:
            answer = json.loads(text)
        except ValueError:
            return {"text": text}
        return answer if isinstance(answer, dict) else {"text": text}
