"""What the AI may send by itself, and what it tells a customer who writes while the desk is closed.

``AI_AUTOREPLY``: ``off`` never sends anything; ``safe`` (the default) sends only an
answer whose quality confidence reaches the threshold, with no immediate-escalation
reason, in an allowed category (general questions, onboarding, billing questions that
are not disputes), on a ticket no agent has taken; ``on`` drops the category check.
Everything else waits in the thread as a draft. Hand-off and closed-desk notices are
honest holding messages, sent under ``safe`` and ``on``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from core.ai.rules import EscalationDecision
from core.ai.schema import Classification


class AutoReply(StrEnum):
    """The ``AI_AUTOREPLY`` setting."""

    OFF = "off"
    SAFE = "safe"
    ON = "on"


DEFAULT_ALLOWED = ("general_inquiry", "onboarding", "billing")


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    """The operator's choices about sending without an agent."""

    mode: AutoReply = AutoReply.SAFE
    threshold: float = 0.8
    allowed_categories: Collection[str] = DEFAULT_ALLOWED
    link_hosts: Collection[str] = ()
    """Hosts an answer may link to unreviewed (the help centre's), beside the articles' own links."""

    @property
    def speaks_to_customers(self) -> bool:
        """Whether the AI sends anything at all (answers or holding messages)."""
        return self.mode is not AutoReply.OFF

    def may_send(
        self, classification: Classification, decision: EscalationDecision, confidence: float, assigned: bool
    ) -> bool:
        """Whether this answer goes to the customer now, or waits for an agent as a draft."""
        if self.mode is AutoReply.OFF or assigned or decision.requires_human:
            return False
        if confidence < self.threshold:
            return False
        return self.mode is AutoReply.ON or classification.category in self.allowed_categories
