"""The queue in Slack: ``/suporte fila``/``meus``/``ticket``/``cliente`` and the App Home.

Both draw the same lines (risk mark, ticket link, customer, status, tier, assignee, next due
time); thread links come from ``chat.getPermalink`` (cached by the desk adapter).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from core.common import labels, phone, ptbr
from core.common.markup import Markup, shorten
from core.privacy import texts as privacy_texts
from core.queue import texts as queue_texts
from core.queue.agent_queue import AgentQueue
from core.queue.model import (
    TIER1_ESCALATION_TARGET,
    TIER1_FCR_TARGET,
    TIER2_CSAT_TARGET,
    TIER2_WITHIN_TARGET,
    HomeView,
    QueueItem,
    Risk,
    TierFigures,
)
from core.tickets import texts as tickets_texts
from core.tickets.service import SupportDesk
from handlers.slack import markup
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands
from handlers.slack.desk import SlackDesk
from handlers.slack.ids import record_id
from handlers.slack.ticket_blocks import mention


class QueueViews:
    """Renders queue items with links to their threads, in the desk's time zone."""

    def __init__(self, desk: SlackDesk, zone: ZoneInfo) -> None:
        self._desk = desk
        self._zone = zone

    async def line(self, item: QueueItem, now: datetime) -> str:
        """``🟠 #12 Maria · Em atendimento · Nível 2 · @ana · primeira resposta até 14:30``."""
        label: str = f"#{item.ticket_id}"
        if item.thread_ref:
            label = markup.link(await self._desk.permalink(item.thread_ref), label)
        parts: list[str] = [
            Markup("{} {} {}").format(
                queue_texts.RISK_MARKS[item.risk.value],
                label,
                item.customer_name or tickets_texts.UNKNOWN_CUSTOMER,
            ),
            labels.of(labels.TICKET_STATUS, item.status),
        ]
        if item.tier > 1:
            parts.append(labels.of(labels.TIER, item.tier))
        parts.append(mention(item.assignee) if item.assignee else queue_texts.UNASSIGNED)
        due = self._moment(item.due_at, now)
        if item.risk is Risk.BREACHED:
            parts.append(queue_texts.SLA_BREACHED)
        if due is not None:
            parts.append(queue_texts.due_phrase(item.due_kind, due))
        return Markup(" · ").join(parts)

    async def lines(self, items: list[QueueItem], now: datetime, empty: str) -> str:
        return Markup("\n").join([await self.line(item, now) for item in items]) or empty

    def _moment(self, at: datetime | None, now: datetime) -> str | None:
        if at is None:
            return None
        return ptbr.moment(at.astimezone(self._zone), now.astimezone(self._zone))

    def home(self, view: HomeView, mine: str, queue: str) -> dict[str, Any]:
        """The App Home tab."""
        return {
            "type": "home",
            "blocks": [
                _header(queue_texts.HOME_MINE),
                _section(mine),
                {"type": "divider"},
                _header(queue_texts.HOME_QUEUE),
                _section(queue_texts.queue_header(len(view.queue), view.open_count) + "\n" + queue),
                {"type": "divider"},
                _section(figures_text(view.figures)),
            ],
        }


def figures_text(figures: TierFigures) -> str:
    """The tier targets, measured against the playbook's."""

    def pct(value: float | None) -> str | None:
        return ptbr.percent(value) if value is not None else None

    def met(value: float | None, ok: bool) -> bool | None:
        return None if value is None else ok

    fcr, esc, within, csat = figures.fcr, figures.escalation_rate, figures.tier2_within, figures.tier2_csat
    lines = [
        queue_texts.TIER_TARGETS_HEADER,
        queue_texts.target_line(
            queue_texts.FCR_LABEL,
            pct(fcr),
            f"≥ {ptbr.percent(TIER1_FCR_TARGET)}",
            met(fcr, (fcr or 0) >= TIER1_FCR_TARGET),
        ),
        queue_texts.target_line(
            queue_texts.ESCALATION_LABEL,
            pct(esc),
            f"≤ {ptbr.percent(TIER1_ESCALATION_TARGET)}",
            met(esc, (esc or 0) <= TIER1_ESCALATION_TARGET),
        ),
        queue_texts.target_line(
            queue_texts.TIER2_WITHIN_LABEL,
            pct(within),
            f"≥ {ptbr.percent(TIER2_WITHIN_TARGET)}",
            met(within, (within or 0) >= TIER2_WITHIN_TARGET),
        ),
        queue_texts.target_line(
            queue_texts.TIER2_CSAT_LABEL,
            ptbr.decimal(csat) if csat is not None else None,
            f"≥ {ptbr.decimal(TIER2_CSAT_TARGET)}",
            met(csat, (csat or 0) >= TIER2_CSAT_TARGET),
        ),
    ]
    return "\n".join(lines)


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, 3000)}}


class QueueCommands:
    """``/suporte fila``, ``meus``, ``ticket N`` and ``cliente +55...``."""

    def __init__(self, queue: AgentQueue, views: QueueViews, mask_phones: bool) -> None:
        self._queue = queue
        self._views = views
        self._mask = mask_phones

    def add_to(self, commands: SlashCommands) -> None:
        commands.add("fila", self.fila, help=queue_texts.HELP_QUEUE)
        commands.add("meus", self.meus, help=queue_texts.HELP_MINE)
        commands.add("ticket", self.ticket, help=queue_texts.HELP_TICKET)
        commands.add("cliente", self.cliente, help=queue_texts.HELP_CUSTOMER)

    async def fila(self, request: CommandRequest) -> CommandReply:
        now = self._queue.now()
        items, total = await self._queue.queue()
        body = await self._views.lines(items, now, queue_texts.QUEUE_EMPTY)
        figures = figures_text(await self._queue.figures())
        return CommandReply(
            Markup("{}\n{}\n\n{}").format(queue_texts.queue_header(len(items), total), body, figures)
        )

    async def meus(self, request: CommandRequest) -> CommandReply:
        now = self._queue.now()
        items = await self._queue.mine(request.user)
        return CommandReply(
            f"*{queue_texts.HOME_MINE}*\n" + await self._views.lines(items, now, queue_texts.MINE_EMPTY)
        )

    async def ticket(self, request: CommandRequest) -> CommandReply:
        number = record_id(request.args[0].lstrip("#") if request.args else "")
        if number is None:
            return CommandReply(queue_texts.TICKET_USAGE)
        item = await self._queue.ticket(number)
        if item is None:
            return CommandReply(tickets_texts.TICKET_NOT_FOUND)
        return CommandReply(await self._views.line(item, self._queue.now()))

    async def cliente(self, request: CommandRequest) -> CommandReply:
        digits = "".join(ch for ch in request.text if ch.isdigit())
        if len(digits) < 8:
            return CommandReply(queue_texts.CUSTOMER_USAGE)
        if why := phone.problem(request.text):
            return CommandReply(privacy_texts.invalid_phone(why))
        card = await self._queue.customer(phone.variants(digits))
        if card is None:
            return CommandReply(queue_texts.CUSTOMER_NOT_FOUND)
        customer = card.customer
        address = phone.mask(customer.address) if self._mask else phone.display(customer.address)
        head = queue_texts.customer_card(
            customer.name or tickets_texts.UNKNOWN_CUSTOMER, customer.plan, card.days_as_customer, address
        )
        recent = await self._views.lines(card.recent, self._queue.now(), queue_texts.NO_TICKETS)
        return CommandReply(Markup("{}\n\n{}\n{}").format(head, queue_texts.RECENT_TICKETS, recent))


class SlackHome:
    """Implements :class:`core.queue.ports.HomeScreen` with ``views.publish``."""

    def __init__(self, desk: SlackDesk, views: QueueViews) -> None:
        self._desk = desk
        self._views = views

    async def publish(self, agent: str, home: HomeView) -> None:
        mine = await self._views.lines(home.mine, home.now, queue_texts.MINE_EMPTY)
        queue = await self._views.lines(home.queue, home.now, queue_texts.QUEUE_EMPTY)
        await self._desk.client.call("views.publish", user_id=agent, view=self._views.home(home, mine, queue))


def register_home(app: AsyncApp, support: SupportDesk, access: SlackAccess) -> None:
    """Draw the App Home when an agent opens it (and keep it current from then on).

    The home lists customers' names and what they wrote: anyone else in the workspace who opens
    the app gets one line saying it is the support team's, and is never drawn the queue.
    """

    @app.event("app_home_opened")
    async def home_opened(event: dict, client: SafeWebClient) -> None:
        user = event.get("user")
        if event.get("tab", "home") != "home" or not user:
            return
        if await access.is_agent(user):
            await support.home_opened(user)
            return
        await access.refuse(user, "App Home")
        view = {"type": "home", "blocks": [_section(tickets_texts.HOME_AGENTS_ONLY)]}
        await client.call("views.publish", user_id=user, view=view)
