"""Tiers and escalation: moving a ticket to specialists (tier 2) or engineering (tier 3).

The conversation stays in its one thread; the tier's channel gets the playbook's escalation
package (summary, classification, customer context, suggested investigation) with a link
to that thread, and the tier's group is mentioned. Agents (the **Escalar** modal) and the
AI core take the same path, :meth:`core.tickets.service.SupportDesk.escalate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.ai import offline
from core.ai.summary import EXTRACTIVE_MODEL
from core.common.journal import Journal
from core.common.markup import Markup, quote
from core.customers.model import Customer
from core.escalation import texts
from core.escalation.effects import EscalationNotice
from core.escalation.model import Classification, CustomerHistory, Escalation
from core.escalation.ports import Escalations
from core.kb.solutions import investigation
from core.tickets import texts as tickets_texts
from core.tickets.effects import RefreshTicket
from core.tickets.model import ActionResult, Direction, Message, Refusal, Ticket, TicketStatus
from core.tickets.ports import Tickets


class EscalationTx(Journal, Tickets, Escalations, Protocol):
    """What an escalation needs from a unit of work."""


TOP_TIER = 3
SUMMARY_MESSAGES = 40
"""How far back the package's summary reads the conversation (messages, notes included)."""
INVESTIGATED = frozenset({"technical", "bug_report"})


@dataclass(frozen=True, slots=True)
class TierDesk:
    """Where a tier works on the desk: its channel and the group mentioned there (either may be empty)."""

    group: str = ""
    channel: str = ""


async def escalate(
    tx: EscalationTx, ticket_id: int, tier: int, reason: str, actor: str, at: datetime
) -> tuple[ActionResult, Ticket | None, int]:
    """Move the ticket up to ``tier``; returns the result, the ticket and the tier it came from."""
    ticket = await tx.get_ticket(ticket_id)
    if ticket is None:
        return ActionResult(Refusal.NOT_FOUND), None, 0
    if ticket.status is TicketStatus.RESOLVED:
        return ActionResult(Refusal.ALREADY_RESOLVED, holder=ticket.resolved_by), ticket, ticket.tier
    if not 1 < tier <= TOP_TIER or tier <= ticket.tier:
        return ActionResult(Refusal.ALREADY_AT_TIER), ticket, ticket.tier
    from_tier, ticket.tier = ticket.tier, tier
    await tx.save_ticket(ticket)
    escalation_id = await tx.record_escalation(ticket.id, from_tier, tier, reason, actor, at)
    await tx.record_event(ticket.id, actor, "escalated", at, f"tier {tier}: {reason}")
    await tx.add_effect(RefreshTicket(ticket.id), at)
    await tx.add_effect(EscalationNotice(ticket.id, escalation_id), at)
    await tx.add_effect(EscalationNotice(ticket.id, escalation_id, in_channel=True), at)
    return ActionResult(), ticket, from_tier


def summary(messages: list[Message], customer_name: str) -> list[str]:
    """The conversation's text messages, one ``"Quem: texto"`` line each, for the summary to read."""
    lines = []
    for message in messages:
        if message.direction is Direction.NOTE or not message.text:
            continue
        who = customer_name if message.direction is Direction.INBOUND else texts.DESK_SPEAKER
        text = " ".join(message.text.split())
        lines.append(f"{who}: {text[:280]}{'…' if len(text) > 280 else ''}")
    return lines


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What the package says about the case: a summary, the classification, what to check."""

    summary: str
    summary_by: str | None
    """The model that wrote the summary; None when it quotes the conversation (offline)."""
    classification: Classification | None
    investigation: tuple[str, ...] = ()


def diagnose(said: str, summary_text: str, model: str, stored: Classification | None) -> Diagnosis:
    """The package's diagnosis: the AI's classification, else the offline rules' reading of the customer.

    An agent may escalate before the AI ran (or with the AI off); the tier still gets a
    category and urgency, and for a technical problem the playbook's diagnosis checks.
    """
    classification = stored
    if classification is None and said.strip():
        ruled = offline.classify(said)
        classification = Classification(
            ruled.category, ruled.urgency, ruled.complexity, ruled.escalation_reason
        )
    checks = investigation(said) if classification and classification.category in INVESTIGATED else ()
    by = None if model == EXTRACTIVE_MODEL else model
    return Diagnosis(summary_text, by, classification, checks)


def package(
    escalation: Escalation,
    ticket: Ticket,
    customer: Customer,
    history: CustomerHistory,
    diagnosis: Diagnosis,
    actor: str,
) -> Markup:
    """The escalation package the playbook asks for, in the tier's language (pt-BR)."""
    name = customer.name or tickets_texts.UNKNOWN_CUSTOMER
    days = max((escalation.at - history.first_seen).days, 0)
    summary_lines = diagnosis.summary.splitlines() or [texts.NO_MESSAGES]
    classification = diagnosis.classification
    lines = [
        texts.escalation_header(ticket.id, name, escalation.tier, actor),
        texts.escalation_reason(escalation.reason),
        "",
        texts.escalation_summary_title(diagnosis.summary_by),
        *(quote(line) for line in summary_lines if line.strip()),
        "",
        texts.escalation_customer(customer.plan, days, history.previous_tickets, ticket.channel),
    ]
    if classification is not None:
        lines.append(texts.escalation_classification(classification.category, classification.urgency))
    lines.append(
        texts.suggested_investigation(
            escalation.tier, classification.category if classification else None, diagnosis.investigation
        )
    )
    return Markup("\n").join(lines)


def tier_desk(tiers: Mapping[int, TierDesk], tier: int) -> TierDesk:
    """The tier's desk configuration (empty when the tier is not configured)."""
    return tiers.get(tier, TierDesk())
