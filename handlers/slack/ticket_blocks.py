"""The one place that draws a ticket in Slack Block Kit: the parent message and its buttons."""

from __future__ import annotations

from typing import Any

from core.common import labels
from core.common.markup import Markup
from core.escalation import texts as escalation_texts
from core.escalation.tiers import TOP_TIER
from core.kb import texts as kb_texts
from core.templates import texts as templates_texts
from core.tickets import texts as tickets_texts
from core.tickets.model import TicketStatus, TicketView
from handlers.slack import markup

CLAIM = "ticket.claim"
RELEASE = "ticket.release"
RESOLVE = "ticket.resolve"
ESCALATE = "ticket.escalate"
WAITING = "ticket.waiting"
IN_PROGRESS = "ticket.in_progress"
REOPEN = "ticket.reopen"
TEMPLATE = "ticket.template"
KB_SAVE = "ticket.kb_save"


def mention(agent: str) -> Markup:
    """How Slack renders an agent id as a name."""
    return markup.user(agent)


def ticket_text(view: TicketView) -> str:
    """Plain-text fallback for notifications and screen readers."""
    status = labels.of(labels.TICKET_STATUS, view.status)
    return f"Ticket #{view.ticket_id} · {view.customer_name} · {status}"


def ticket_blocks(view: TicketView, previous_link: str | None = None) -> list[dict[str, Any]]:
    """Header, customer facts, status line, history link and the action buttons."""
    facts = [view.customer_address, labels.of(labels.CHANNEL, view.channel)]
    if view.plan:
        facts.append(f"Plano {view.plan}")
    status: list[str] = [f"*Status:* {labels.of(labels.TICKET_STATUS, view.status)}"]
    if view.assignee and view.status is not TicketStatus.RESOLVED:
        status.append(Markup("*Responsável:* ") + mention(view.assignee))
    if view.tier > 1:
        status.append(escalation_texts.tier_line(view.tier))
    header = Markup("*Ticket #{} · {}*").format(view.ticket_id, view.customer_name)
    text = Markup("\n").join((header, " · ".join(facts), Markup(" · ").join(status)))
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    context: list[str] = []
    if view.resolved_by and view.resolution_time:
        context.append(tickets_texts.resolved_line(mention(view.resolved_by), view.resolution_time))
    if view.previous_ticket_id is not None:
        label = tickets_texts.previous_ticket(view.previous_ticket_id)
        context.append(markup.link(previous_link, label) if previous_link else label)
    if context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line} for line in context]})
    if view.status is not TicketStatus.RESOLVED:
        blocks.append({"type": "actions", "block_id": f"ticket:{view.ticket_id}", "elements": _buttons(view)})
    else:
        reopen = _button(tickets_texts.BUTTON_REOPEN, REOPEN, str(view.ticket_id))
        save = _button(kb_texts.BUTTON_KB_SAVE, KB_SAVE, str(view.ticket_id))
        blocks.append({"type": "actions", "block_id": f"ticket:{view.ticket_id}", "elements": [reopen, save]})
    return blocks


def _buttons(view: TicketView) -> list[dict[str, Any]]:
    value = str(view.ticket_id)
    if view.assignee:
        first = _button(tickets_texts.BUTTON_RELEASE, RELEASE, value)
    else:
        first = _button(tickets_texts.BUTTON_CLAIM, CLAIM, value, style="primary")
    if view.status is TicketStatus.WAITING_CUSTOMER:
        turn = _button(tickets_texts.BUTTON_IN_PROGRESS, IN_PROGRESS, value)
    else:
        turn = _button(tickets_texts.BUTTON_WAITING, WAITING, value)
    buttons = [first, turn]
    if view.tier < TOP_TIER:
        buttons.append(_button(escalation_texts.BUTTON_ESCALATE, ESCALATE, value))
    return [
        *buttons,
        _button(tickets_texts.BUTTON_RESOLVE, RESOLVE, value),
        _button(templates_texts.BUTTON_TEMPLATE, TEMPLATE, value),
    ]


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button
