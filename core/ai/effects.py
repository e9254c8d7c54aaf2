"""Effects of the AI core: answering a customer after the commit, and what the desk shows of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.common.effects import DESK, Effect

AI = "ai"


@dataclass(frozen=True, slots=True)
class AnswerWithAI(Effect):
    """Run the AI pipeline on a customer message (a durable job: a crash mid-way runs it again)."""

    target: ClassVar[str] = AI
    message_id: int


@dataclass(frozen=True, slots=True)
class ShowTriage(Effect):
    """Show the AI's triage of a message in one line, alone.

    No longer queued: the line leads the AI's alert, draft or answer about the message.
    Rows an earlier version queued are still carried out.
    """

    target: ClassVar[str] = DESK
    message_id: int


@dataclass(frozen=True, slots=True)
class ShowEscalationAlert(Effect):
    """Alert the thread (and the on-duty group) that a person must take over a message now.

    One post under the message's triage line: an alert that Slack refuses for a moment is
    retried whole, so the line is never shown twice nor without the alert.
    """

    target: ClassVar[str] = DESK
    message_id: int


@dataclass(frozen=True, slots=True)
class ShowDraft(Effect):
    """Post an AI draft with Enviar / Editar / Descartar, or redraw it once an agent decided."""

    target: ClassVar[str] = DESK
    draft_id: int


@dataclass(frozen=True, slots=True)
class ShowAIReply(Effect):
    """Show in the thread an answer the AI sent by itself, with the model that wrote it.

    ``answers``: the customer's message it answers, whose triage line leads the post (0 for
    a notice, such as the hand-off or after-hours one, shown under an alert or a draft).
    """

    target: ClassVar[str] = DESK
    message_id: int
    answers: int = 0
