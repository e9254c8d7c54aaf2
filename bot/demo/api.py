"""The demo page's HTTP API: what the phone and the Slack workspace show, and what people do there.

Every action becomes what the real platform would send the bot: a signed WhatsApp webhook
(a message, a tapped button, a delivery status) or a signed Slack request (a thread reply, a
button click, a slash command, a modal submission, App Home opened). State is read back from
the emulators, so the page shows exactly what the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
from aiohttp import web

from testing.signing import sign_slack, sign_whatsapp, to_bytes
from testing.slack_payloads import (
    slack_block_action,
    slack_command,
    slack_message_event,
    slack_view_submission,
)
from testing.whatsapp_webhooks import (
    new_wamid,
    wa_contact,
    wa_media_message,
    wa_status,
    wa_text_message,
    wa_value,
    wa_webhook,
)

if TYPE_CHECKING:
    from bot.demo.people import Person
    from testing import FakeGraphAPI, FakeSlackAPI

log = logging.getLogger(__name__)


class DemoHost(Protocol):
    """What the page's API reads of the running demo (emulators, the bot's address, secrets)."""

    support_channel: str
    phone_id: str
    customers_token: str
    wa_secret: str
    slack_secret: str
    graph: FakeGraphAPI
    slack: FakeSlackAPI

    @property
    def people(self) -> Sequence[Person]: ...

    @property
    def bot_url(self) -> str: ...


FORM = "application/x-www-form-urlencoded"
STATUS_POLL_SECONDS = 0.2
MEDIA_KINDS = {"image": "image", "audio": "audio", "video": "video"}


@dataclass
class DemoCustomer:
    """A customer the visitor can be on the phone side."""

    phone: str
    name: str
    plan: str = "starter"
    signup: str = ""


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


DEFAULT_CUSTOMERS = (
    DemoCustomer("5511987654321", "Maria Silva", "starter", "2026-11-20"),
    DemoCustomer("5521998765432", "João Pereira", "growth", "2026-06-02"),
    DemoCustomer("5531991234567", "Lúcia Andrade", "scale", "2025-03-15"),
)


class DemoAPI:
    """aiohttp application serving the page and its JSON API."""

    def __init__(self, demo: DemoHost, http: aiohttp.ClientSession) -> None:
        self.demo = demo
        self.http = http
        self.customers: dict[str, DemoCustomer] = {c.phone: c for c in DEFAULT_CUSTOMERS}
        self.inbound: dict[str, list[PhoneMessage]] = {}
        self.statuses: dict[str, str] = {}
        """outbound wamid -> last status reported to the bot."""
        self.triggers: dict[str, str] = {}
        """trigger_id -> the person whose click or command produced it (owner of the modal it opens)."""
        self.closed_views: set[str] = set()
        self.command_answers: dict[str, list[dict[str, Any]]] = {}
        """person -> ephemeral answers to their slash commands, oldest first."""
        self._response_owner: dict[str, str] = {}
        self.spotlight: dict[str, Any] | None = None
        """The customer a playing scenario is about: the page switches the phone to them."""
        self._triggers = itertools.count(1)
        self._media = itertools.count(1)
        self._relay: asyncio.Task[None] | None = None
        self.app = web.Application(client_max_size=20 * 1024 * 1024)
        self.app.router.add_get("/", self._index)
        self.app.router.add_get("/favicon.ico", self._favicon)
        self.app.router.add_get("/page/{name}", self._page_file)
        self.app.router.add_get("/api/state", self._state)
        self.app.router.add_get("/api/media/{source}/{id}", self._media_file)
        self.app.router.add_post("/api/customers", self._add_customer)
        self.app.router.add_post("/api/phone/send", self._phone_send)
        self.app.router.add_post("/api/phone/file", self._phone_file)
        self.app.router.add_post("/api/phone/tap", self._phone_tap)
        self.app.router.add_post("/api/phone/read", self._phone_read)
        self.app.router.add_post("/api/slack/say", self._slack_say)
        self.app.router.add_post("/api/slack/click", self._slack_click)
        self.app.router.add_post("/api/slack/command", self._slack_command)
        self.app.router.add_post("/api/slack/submit", self._slack_submit)
        self.app.router.add_post("/api/slack/close", self._slack_close)
        self.app.router.add_post("/api/slack/home", self._slack_home)

    async def start(self) -> None:
        """Tell the bot about the starting customers, then report delivery statuses as WhatsApp does."""
        for customer in self.customers.values():
            await self.push_customer(customer)
        self._relay = asyncio.create_task(self._report_statuses())

    async def stop(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
            with suppress(asyncio.CancelledError):
                await self._relay

    # ------------------------------------------------------------------ actions (also used by scenarios)

    async def push_customer(self, customer: DemoCustomer) -> str | None:
        """Send the customer's record to the bot's ``POST /customers``, as the platform would.

        That is how the bot knows a demo customer's plan and signup date; returns the bot's
        reason when it refuses the record.
        """
        record = {"phone": customer.phone, "name": customer.name, "plan": customer.plan}
        if customer.signup:
            record["signup_date"] = customer.signup
        async with self.http.post(
            f"{self.demo.bot_url}/customers",
            json=[record],
            headers={"Authorization": f"Bearer {self.demo.customers_token}"},
        ) as response:
            answer = await response.json()
        errors = answer.get("errors") or []
        return errors[0]["message"] if errors else answer.get("error")

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

    def follow(self, phone: str) -> None:
        """Show this customer's phone on the page (a scenario step is about them).

        Only a change of customer moves the page, so a visitor who looks at another phone
        meanwhile is not pulled back at every step."""
        self._customer(phone)
        if self.spotlight is None or self.spotlight["phone"] != phone:
            self.spotlight = {"phone": phone, "step": (self.spotlight or {}).get("step", 0) + 1}

    # ------------------------------------------------------------------ state for the page

    def state(self, agent: str) -> dict[str, Any]:
        slack = self.demo.slack
        messages = [
            {"channel": channel, **self._public(msg)} for (channel, _ts), msg in slack.messages.items()
        ]
        owned = {
            vid: v for vid, v in slack.views.items() if self.triggers.get(v.get("trigger_id", "")) == agent
        }
        modal = next(
            (v["view"] for vid, v in reversed(list(owned.items())) if vid not in self.closed_views), None
        )
        # each with a key that stays the same as more arrive, so the page can dismiss it
        ephemerals = [{**e, "key": f"e{n}"} for n, e in enumerate(slack.ephemerals) if e.get("user") == agent]
        ephemerals += [{**a, "key": f"c{n}"} for n, a in enumerate(self.command_answers.get(agent, []))]
        for key, bodies in slack.responses.items():
            if self._response_owner.get(key) == agent:
                ephemerals.extend({"command": "", **b, "key": f"r{key}.{n}"} for n, b in enumerate(bodies))
        return {
            "people": [asdict(p) for p in self.demo.people],
            "support_channel": self.demo.support_channel,
            "customers": [asdict(c) for c in self.customers.values()],
            "phones": {phone: [asdict(m) for m in self._conversation(phone)] for phone in self.customers},
            "messages": messages,
            "ephemerals": ephemerals,
            "modal": modal,
            "home": slack.home_tabs.get(agent),
            "users": {uid: u.get("real_name") or u.get("name") for uid, u in slack.users.items()},
            "spotlight": self.spotlight,
        }

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

    # ------------------------------------------------------------------ platform behaviour

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

    # ------------------------------------------------------------------ plumbing

    def _customer(self, phone: str) -> DemoCustomer:
        if phone not in self.customers:
            raise web.HTTPNotFound(text=f"cliente {phone} não existe na demo")
        return self.customers[phone]

    def _log_inbound(self, phone: str, bubble: PhoneMessage) -> None:
        self.inbound.setdefault(phone, []).append(bubble)

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

    async def _to_whatsapp_webhook(self, body: dict[str, Any]) -> int:
        raw = to_bytes(body)
        async with self.http.post(
            self.demo.bot_url + "/whatsapp/webhook", data=raw, headers=sign_whatsapp(raw, self.demo.wa_secret)
        ) as response:
            await response.read()
            return response.status

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

    # ------------------------------------------------------------------ routes

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return await self._page_file_named("index.html")

    async def _favicon(self, request: web.Request) -> web.StreamResponse:
        return await self._page_file_named("favicon.ico")

    async def _page_file(self, request: web.Request) -> web.StreamResponse:
        return await self._page_file_named(request.match_info["name"])

    async def _page_file_named(self, name: str) -> web.StreamResponse:
        page = resources.files("bot") / "demo_page" / name
        if "/" in name or not page.is_file():
            raise web.HTTPNotFound()
        kind = {
            "html": "text/html",
            "js": "text/javascript",
            "css": "text/css",
            "png": "image/png",
            "ico": "image/x-icon",
        }
        return web.Response(
            body=page.read_bytes(), content_type=kind.get(name.rsplit(".", 1)[-1], "application/octet-stream")
        )

    async def _state(self, request: web.Request) -> web.Response:
        agent = request.query.get("agent") or self.demo.people[0].id
        return web.json_response(self.state(agent))

    async def _media_file(self, request: web.Request) -> web.Response:
        media_id = request.match_info["id"]
        graph = self.demo.graph
        shared = self.demo.slack.files.get(media_id) if request.match_info["source"] == "slack" else None
        if shared is not None and shared.get("data") is not None:
            data, mime = shared["data"], shared["mimetype"]
        elif request.match_info["source"] == "in" and media_id in graph.media:
            data, mime = graph.media[media_id]
        elif media_id in graph.uploaded:
            data, mime, _name = graph.uploaded[media_id]
        else:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type=mime.split(";")[0])

    async def _json(self, request: web.Request, *required: str) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="corpo não é JSON") from None
        if not isinstance(body, dict) or any(not body.get(key) for key in required):
            raise web.HTTPBadRequest(text="faltam campos: " + ", ".join(required))
        return body

    async def _add_customer(self, request: web.Request) -> web.Response:
        body = await self._json(request, "name", "phone")
        phone = "".join(ch for ch in str(body["phone"]) if ch.isdigit())
        if len(phone) < 12:
            raise web.HTTPBadRequest(text="telefone com DDI e DDD, por exemplo 5511987654321")
        customer = DemoCustomer(
            phone, str(body["name"]), str(body.get("plan") or "starter"), str(body.get("signup") or "")
        )
        if refused := await self.push_customer(customer):
            raise web.HTTPBadRequest(text=refused)
        self.customers[phone] = customer
        return web.json_response({"phone": phone})

    async def _phone_send(self, request: web.Request) -> web.Response:
        body = await self._json(request, "phone", "text")
        return web.json_response({"status": await self.customer_says(body["phone"], str(body["text"]))})

    async def _phone_file(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        phone = str(form.get("phone") or "")
        if not isinstance(upload, web.FileField) or not phone:
            raise web.HTTPBadRequest(text="envie phone e file")
        data = upload.file.read()
        voice = str(form.get("voice") or "") == "1"
        mime = upload.content_type or "application/octet-stream"
        status = await self.customer_sends_file(phone, data, mime, upload.filename or "arquivo", voice)
        return web.json_response({"status": status})

    async def _phone_tap(self, request: web.Request) -> web.Response:
        body = await self._json(request, "phone", "context", "id", "title")
        status = await self.customer_taps(
            body["phone"], body["context"], str(body["id"]), str(body["title"]), bool(body.get("list"))
        )
        return web.json_response({"status": status})

    async def _phone_read(self, request: web.Request) -> web.Response:
        body = await self._json(request, "phone")
        await self.mark_read(body["phone"])
        return web.json_response({})

    async def _slack_say(self, request: web.Request) -> web.Response:
        body = await self._json(request, "agent", "channel", "text")
        status = await self.agent_says(
            body["agent"], body["channel"], str(body["text"]), body.get("thread_ts")
        )
        return web.json_response({"status": status})

    async def _slack_click(self, request: web.Request) -> web.Response:
        body = await self._json(request, "agent", "action_id")
        return web.json_response({"status": await self.agent_clicks(body["agent"], body)})

    async def _slack_command(self, request: web.Request) -> web.Response:
        body = await self._json(request, "agent")
        channel = body.get("channel") or self.demo.support_channel
        return web.json_response(
            await self.agent_command(body["agent"], channel, str(body.get("text") or ""))
        )

    async def _slack_submit(self, request: web.Request) -> web.Response:
        body = await self._json(request, "agent", "view_id")
        if body["view_id"] not in self.demo.slack.views:
            raise web.HTTPNotFound(text="janela não encontrada")
        values: dict[str, Any] = body["values"] if isinstance(body.get("values"), dict) else {}
        return web.json_response(await self.agent_submits(body["agent"], body["view_id"], values))

    async def _slack_close(self, request: web.Request) -> web.Response:
        body = await self._json(request, "view_id")
        self.closed_views.add(body["view_id"])
        return web.json_response({})

    async def _slack_home(self, request: web.Request) -> web.Response:
        body = await self._json(request, "agent")
        event = {
            "token": "verification_token",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"EvHome{next(self._triggers)}",
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": body["agent"], "channel": "D0HOME", "tab": "home"},
        }
        return web.json_response(
            {"status": await self._to_slack(json.dumps(event).encode(), "application/json")}
        )
