"""Response templates as text: finding placeholders, filling them, and refusing what has gaps.

A placeholder is ``{name}`` with a lower-case snake_case name. Filling replaces the ones we
have a value for and leaves the others in place, so whatever is still ``{like_this}`` is a
gap an agent must fill by hand; a text with a gap never goes to a customer. Everything
here is pure: the Slack modal and the send use case both ask these functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from core.common import labels
from core.customers.model import Customer
from core.templates import texts
from core.templates.model import ResponseTemplate

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# Anything braced that is not a well-formed placeholder: "{Nome}", "{ nome }", "{}".
_BRACED = re.compile(r"\{[^{}\n]*\}")
TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9_]{2,39}")
MAX_TITLE = 75  # Slack's limit on a select option's text
MAX_BODY = 3000  # Slack's limit on a text input's initial value

CATEGORIES = tuple(labels.CATEGORY)
TONES = tuple(labels.TEMPLATE_TONE)
# Placeholders the desk fills by itself from the customer's record, the ticket and the agent.
AUTOMATIC = ("customer_name", "customer_plan", "agent_name", "ticket_number", "feature_request_summary")


@dataclass(frozen=True, slots=True)
class Filled:
    """A template's text with every known value in place; ``gaps`` are the placeholders left."""

    text: str
    gaps: tuple[str, ...]


def placeholders(text: str) -> tuple[str, ...]:
    """The placeholder names in ``text``, each once, in order of appearance."""
    return tuple(dict.fromkeys(PLACEHOLDER.findall(text)))


def fill(text: str, values: Mapping[str, str | None]) -> Filled:
    """Put each non-blank value in place of its placeholder; the rest stay as gaps."""

    def value_of(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value.strip() if value and value.strip() else match.group(0)

    filled = PLACEHOLDER.sub(value_of, text)
    return Filled(filled, placeholders(filled))


def ticket_values(
    customer: Customer, ticket_id: int, agent_name: str | None, idea_summary: str | None
) -> dict[str, str | None]:
    """What the desk knows for a ticket's reply: the customer's first name, plan, the agent..."""
    return {
        "customer_name": first_name(customer.name),
        "customer_plan": customer.plan,
        "agent_name": agent_name,
        "ticket_number": str(ticket_id),
        "feature_request_summary": idea_summary,
    }


def first_name(name: str | None) -> str | None:
    """ "Maria" of "Maria Souza": how a message greets a customer."""
    words = name.split() if name else []
    return words[0] if words else None


def body_problem(body: str) -> str | None:
    """Why a template body cannot be saved (pt-BR, shown under the field), or None."""
    if not body.strip():
        return texts.TEMPLATE_BODY_EMPTY
    if len(body) > MAX_BODY:
        return texts.template_body_too_long(MAX_BODY)
    malformed = [m.group(0) for m in _BRACED.finditer(body) if not PLACEHOLDER.fullmatch(m.group(0))]
    if malformed or body.count("{") != body.count("}"):
        return texts.template_bad_placeholder(malformed[0] if malformed else None)
    return None


def problems(template: ResponseTemplate) -> dict[str, str]:
    """Every field of a template that cannot be saved, with why (empty when it can)."""
    found: dict[str, str] = {}
    if not TEMPLATE_ID.fullmatch(template.id):
        found["id"] = texts.TEMPLATE_BAD_ID
    if not template.title.strip() or len(template.title) > MAX_TITLE:
        found["title"] = texts.template_bad_title(MAX_TITLE)
    if template.category not in CATEGORIES:
        found["category"] = texts.TEMPLATE_BAD_CATEGORY
    if template.tone not in TONES:
        found["tone"] = texts.TEMPLATE_BAD_TONE
    if (problem := body_problem(template.body)) is not None:
        found["body"] = problem
    return found


def label(name: str) -> str:
    """How a placeholder is named to an agent: "Próxima cobrança", or the raw name if unknown."""
    return texts.PLACEHOLDER_LABELS.get(name, name)
