"""The WhatsApp side of the demo page: what a customer does on the phone becomes the signed webhook
Meta would send (a message, a file, a tapped button, a delivery status), and what the business
sent is drawn back as the phone's bubbles."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.demo.customers import DemoCustomer
from bot.demo.host import DemoHost
from testing.signing import sign_whatsapp, to_bytes
from testing.whatsapp_webhooks import (
    new_wamid,
    wa_contact,
    wa_media_message,
    wa_status,
    wa_text_message,
    wa_value,
    wa_webhook,
)

STATUS_POLL_SECONDS = 0.2

MEDIA_KINDS = {"image": "image", "audio": "audio", "video": "video"}


@dataclass
class PhoneMessage:
    """One bubble on a customer's phone."""

    id: str
    direction: str  # "in" = the customer wrote it, "out" = the business sent it
    at: float
    text: str = ""
    media_url: str | None = None
    media_kind: str | None = None
    filename: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    list_button: str | None = None
    status: str | None = None


class Phone:
    """The customers' phones: their messages to the bot, the business's messages to them, and the
    statuses WhatsApp reports on its own. A mixin of ``api.DemoAPI``, which holds the state."""

    demo: DemoHost
    http: aiohttp.ClientSession
    customers: dict[str, DemoCustomer]
    inbound: dict[str, list[PhoneMessage]]
    statuses: dict[str, str]
    _media: itertools.count[int]

    async def customer_says(self, phone: str, text: str) -> int:
        """The customer sends a text message."""
        customer = self._customer(phone)
        wamid = new_wamid()
        self._log_inbound(phone, PhoneMessage(wamid, "in", time.time(), text=text))
        return await self._to_whatsapp_webhook(
            wa_text_message(phone, customer.name, text, wamid=wamid, phone_number_id=self.demo.phone_id)
        )

    async def customer_sends_file(
        self, phone: str, data: bytes, mime_type: str, filename: str, voice: bool
    ) -> int:
        """The customer sends a picture, a document or a voice note."""
        customer = self._customer(phone)
        media_id = f"demo-media-{next(self._media)}"
        self.demo.graph.add_media(media_id, data, mime_type)
        kind = "audio" if voice else MEDIA_KINDS.get(mime_type.split("/")[0], "document")
        wamid = new_wamid()
        self._log_inbound(
            phone,
            PhoneMessage(
                wamid,
                "in",
                time.time(),
                media_url=f"/api/media/in/{media_id}",
                media_kind=kind,
                filename=filename,
            ),
        )
        body = wa_media_message(
            phone,
            customer.name,
            kind,
            media_id,
            mime_type,
            filename=filename if kind == "document" else None,
            voice=voice,
            wamid=wamid,
            phone_number_id=self.demo.phone_id,
        )
        return await self._to_whatsapp_webhook(body)

    async def customer_taps(
        self, phone: str, context_id: str, choice_id: str, title: str, as_list: bool
    ) -> int:
        """The customer taps a reply button or picks a list row of a message the business sent."""
        customer = self._customer(phone)
        wamid = new_wamid()
        self._log_inbound(phone, PhoneMessage(wamid, "in", time.time(), text=title))
        kind = "list_reply" if as_list else "button_reply"
        message = {
            "from": phone,
            "id": wamid,
            "timestamp": str(int(time.time())),
            "type": "interactive",
            "context": {"from": self.demo.phone_id, "id": context_id},
            "interactive": {"type": kind, kind: {"id": choice_id, "title": title}},
        }
        body = wa_webhook(
            wa_value([wa_contact(phone, customer.name)], [message], phone_number_id=self.demo.phone_id)
        )
        return await self._to_whatsapp_webhook(body)

    def _conversation(self, phone: str) -> list[PhoneMessage]:
        out = [self._phone_bubble(sent) for sent in self.demo.graph.sent_to(phone)]
        bubbles = self.inbound.get(phone, []) + [b for b in out if b is not None]
        return sorted(bubbles, key=lambda b: b.at)

    def _phone_bubble(self, sent: dict[str, Any]) -> PhoneMessage | None:
        kind = sent.get("type")
        # the emulator keeps no send time; the first look at a send stamps it
        bubble = PhoneMessage(
            sent["id"], "out", sent.setdefault("_at", time.time()), status=self.statuses.get(sent["id"])
        )
        if kind == "text":
            bubble.text = sent["text"]["body"]
        elif kind in ("image", "document", "audio", "video", "sticker"):
            media = sent.get(kind) or {}
            bubble.media_kind = kind
            bubble.text = media.get("caption") or ""
            bubble.filename = media.get("filename")
            if media.get("id"):
                bubble.media_url = f"/api/media/out/{media['id']}"
        elif kind == "interactive":
            interactive = sent["interactive"]
            bubble.text = (interactive.get("body") or {}).get("text", "")
            action = interactive.get("action") or {}
            if interactive.get("type") == "button":
                bubble.buttons = [
                    {"id": b["reply"]["id"], "title": b["reply"]["title"]} for b in action.get("buttons", [])
                ]
            else:
                bubble.list_button = action.get("button")
                bubble.rows = [
                    {"id": r["id"], "title": r["title"], "description": r.get("description") or ""}
                    for section in action.get("sections", [])
                    for r in section.get("rows", [])
                ]
        elif kind == "template":
            template = sent.get("template") or {}
            params = [
                p.get("text", "")
                for c in template.get("components", [])
                for p in c.get("parameters", [])
                if isinstance(p, dict)
            ]
            bubble.text = f"[modelo {template.get('name')}] " + " · ".join(params)
        else:
            return None
        return bubble

    async def _report_statuses(self) -> None:
        """WhatsApp tells the business each message was sent and delivered (read when the phone shows it)."""
        while True:
            for sent in list(self.demo.graph.sent):
                sent.setdefault("_at", time.time())
                if sent.get("type") in ("reaction",) or sent["id"] in self.statuses:
                    continue
                self.statuses[sent["id"]] = "delivered"
                to = sent.get("to") or ""
                for status in ("sent", "delivered"):
                    await self._to_whatsapp_webhook(
                        wa_status(sent["id"], status, to, phone_number_id=self.demo.phone_id)
                    )
            await asyncio.sleep(STATUS_POLL_SECONDS)

    async def mark_read(self, phone: str) -> None:
        """The customer looked at the conversation: what was delivered is now read."""
        for sent in self.demo.graph.sent_to(phone):
            if self.statuses.get(sent["id"]) == "delivered":
                self.statuses[sent["id"]] = "read"
                await self._to_whatsapp_webhook(
                    wa_status(sent["id"], "read", phone, phone_number_id=self.demo.phone_id)
                )

    def _customer(self, phone: str) -> DemoCustomer:
        if phone not in self.customers:
            raise web.HTTPNotFound(text=f"cliente {phone} não existe na demo")
        return self.customers[phone]

    def _log_inbound(self, phone: str, bubble: PhoneMessage) -> None:
        self.inbound.setdefault(phone, []).append(bubble)

    async def _to_whatsapp_webhook(self, body: dict[str, Any]) -> int:
        raw = to_bytes(body)
        async with self.http.post(
            self.demo.bot_url + "/whatsapp/webhook", data=raw, headers=sign_whatsapp(raw, self.demo.wa_secret)
        ) as response:
            await response.read()
            return response.status
