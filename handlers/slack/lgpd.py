"""``/suporte lgpd exportar|apagar +55...``: LGPD requests, for supervisors only.

The copy of a customer's data is uploaded to the supervisor's private conversation with
the app, never to a channel. Erasure asks first (an ephemeral message with a confirmed
button) and checks the supervisor again when the button is pressed.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from core.common.phone import mask, problem
from core.privacy import texts as privacy_texts
from core.privacy.requests import Privacy
from core.tickets import texts as tickets_texts
from handlers.slack.access import SlackAccess
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands, Who
from handlers.slack.ids import button_id
from handlers.slack.private import upload_privately

ERASE = "lgpd.erase"


class LgpdCommands:
    """The ``lgpd`` subcommand and its confirmation button."""

    def __init__(self, privacy: Privacy, access: SlackAccess, client: AsyncWebClient) -> None:
        self._privacy = privacy
        self._access = access
        self._client = client

    def register(self, commands: SlashCommands, app: AsyncApp) -> None:
        commands.add("lgpd", self.command, help=privacy_texts.HELP_LGPD, who=Who.SUPERVISOR)
        app.action(ERASE)(self.confirmed)

    async def command(self, request: CommandRequest) -> CommandReply:
        if len(request.args) < 2 or request.args[0].lower() not in ("exportar", "apagar"):
            return CommandReply(privacy_texts.LGPD_USAGE)
        phone = " ".join(request.args[1:])
        if why := problem(phone):
            return CommandReply(privacy_texts.invalid_phone(why))
        customer_id = await self._privacy.find(phone)
        if customer_id is None:
            return CommandReply(privacy_texts.lgpd_not_found(mask(phone)))
        if request.args[0].lower() == "exportar":
            return await self._export(customer_id, request.user)
        text = privacy_texts.lgpd_confirm(customer_id, mask(phone))
        return CommandReply(text, blocks=_confirmation(text, customer_id))

    async def _export(self, customer_id: int, user: str) -> CommandReply:
        export = await self._privacy.export(customer_id, user)
        await upload_privately(
            self._client, user, export.content, export.filename, privacy_texts.LGPD_EXPORT_COMMENT
        )
        return CommandReply(privacy_texts.lgpd_exported(customer_id))

    async def confirmed(self, ack: Any, body: dict, action: dict) -> None:
        await ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or user
        customer_id = button_id(action)
        if customer_id is None:
            return
        if not await self._access.is_supervisor(user):
            await self._access.refuse(user, f"lgpd apagar cliente #{customer_id}")
            await self._client.chat_postEphemeral(
                channel=channel, user=user, text=tickets_texts.SUPERVISORS_ONLY
            )
            return
        await self._privacy.erase(customer_id, user)
        await self._client.chat_postEphemeral(
            channel=channel, user=user, text=privacy_texts.lgpd_erased(customer_id)
        )


def _confirmation(text: str, customer_id: int) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ERASE,
                    "text": {"type": "plain_text", "text": privacy_texts.LGPD_ERASE_BUTTON},
                    "style": "danger",
                    "value": str(customer_id),
                    "confirm": {
                        "title": {"type": "plain_text", "text": privacy_texts.LGPD_CONFIRM_TITLE},
                        "text": {"type": "plain_text", "text": privacy_texts.LGPD_CONFIRM_TEXT},
                        "confirm": {"type": "plain_text", "text": privacy_texts.LGPD_CONFIRM_YES},
                        "deny": {"type": "plain_text", "text": privacy_texts.LGPD_CONFIRM_NO},
                        "style": "danger",
                    },
                }
            ],
        },
    ]
