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
from contextlib import suppress
from dataclasses import asdict
from importlib import resources
from typing import Any

import aiohttp
from aiohttp import web

from bot.demo.customers import DEFAULT_CUSTOMERS, DemoCustomer
from bot.demo.host import DemoHost
from bot.demo.phone import Phone, PhoneMessage
from bot.demo.workspace import Workspace

log = logging.getLogger(__name__)


class DemoAPI(Phone, Workspace):
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

    def follow(self, phone: str) -> None:
        """Show this customer's phone on the page (a scenario step is about them).

        Only a change of customer moves the page, so a visitor who looks at another phone
        meanwhile is not pulled back at every step."""
        self._customer(phone)
        if self.spotlight is None or self.spotlight["phone"] != phone:
            self.spotlight = {"phone": phone, "step": (self.spotlight or {}).get("step", 0) + 1}

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
