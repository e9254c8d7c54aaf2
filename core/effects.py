"""Outbound effects: what must happen on a platform because the desk's state changed.

A use case never calls Slack or WhatsApp. It records effects in the same transaction as
the state change (the transactional outbox); :mod:`core.delivery.runner` carries them out later,
in order per lane, with retries. Effects refer to stored rows by id and read the current
state when they run, so a retried effect shows what is true then, not what was true when
it was queued.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import ClassVar

from core.common.markup import Markup

DESK = "desk"
CUSTOMER = "customer"
HOOKS = "hooks"
"""Effects that run features' own code after a commit (no platform call of ours)."""


@dataclass(frozen=True, slots=True)
class Effect:
    """Base of every effect; ``target`` says which platform it touches, for ordering and backoff."""

    target: ClassVar[str]
    ticket_id: int

    @property
    def kind(self) -> str:
        """The stored name of this effect type."""
        return type(self).__name__

    @property
    def lane(self) -> str:
        """Effects of one lane are delivered strictly in order; lanes run independently."""
        return f"{self.target}:{self.ticket_id}"

    def to_json(self) -> str:
        """The payload stored in the outbox row."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class PostTicket(Effect):
    """Open the ticket's thread on the desk (the parent message with its buttons)."""

    target: ClassVar[str] = DESK


@dataclass(frozen=True, slots=True)
class RefreshTicket(Effect):
    """Redraw the parent message after a status, assignee or resolution change."""

    target: ClassVar[str] = DESK


@dataclass(frozen=True, slots=True)
class ShowInboundMessage(Effect):
    """Show a customer message in the thread: text as a reply, media as an uploaded file."""

    target: ClassVar[str] = DESK
    message_id: int


@dataclass(frozen=True, slots=True)
class ShowReaction(Effect):
    """Put the customer's emoji reaction on the desk copy of the message it targets."""

    target: ClassVar[str] = DESK
    message_id: int
    emoji: str


@dataclass(frozen=True, slots=True)
class ShowDelivery(Effect):
    """Mark an agent's relayed message with its delivery state; a failure also explains why."""

    target: ClassVar[str] = DESK
    message_id: int
    state: str


class _DeskText:
    """An effect whose ``text`` may be desk markup (a mention, a quote), remembered through the outbox.

    The outbox stores a plain ``str``; ``markup`` records that the text was :class:`Markup`
    when the effect was made (its outside parts already escaped), so it is shown as markup.
    """

    __slots__ = ()
    text: str
    markup: bool

    def __post_init__(self) -> None:
        if isinstance(self.text, Markup):
            object.__setattr__(self, "markup", True)

    @property
    def shown(self) -> str:
        """The text as the desk should show it: markup read as markup only when the desk wrote it."""
        return Markup(self.text) if self.markup else self.text


@dataclass(frozen=True, slots=True)
class PostNote(_DeskText, Effect):
    """Post a line from the desk itself in the thread (a warning, a notice)."""

    target: ClassVar[str] = DESK
    text: str
    markup: bool = False


@dataclass(frozen=True, slots=True)
class SendToCustomer(Effect):
    """Send a stored outbound message (text or file) to the customer on their channel."""

    target: ClassVar[str] = CUSTOMER
    message_id: int


@dataclass(frozen=True, slots=True)
class SendToAddress(Effect):
    """Send a text to a customer's address outside any ticket (an opt-out confirmation).

    Not part of a conversation, so not kept in a ticket's history; ``ticket_id`` is 0 and
    texts to one address go out in order.
    """

    target: ClassVar[str] = CUSTOMER
    channel: str
    address: str
    text: str

    @property
    def lane(self) -> str:
        return f"{self.target}:to:{self.channel}:{self.address}"


@dataclass(frozen=True, slots=True)
class MarkRead(Effect):
    """Tell the customer's channel that we read their messages up to this one."""

    target: ClassVar[str] = CUSTOMER
    external_id: str


@dataclass(frozen=True, slots=True)
class EscalationNotice(Effect):
    """Show an escalation: a line in the ticket's thread, or the escalation package in the tier's channel."""

    target: ClassVar[str] = DESK
    escalation_id: int
    in_channel: bool = False


@dataclass(frozen=True, slots=True)
class SlaAlert(Effect):
    """An SLA clock reached its warning or its due time: say so in the thread (or the tier's channel)."""

    target: ClassVar[str] = DESK
    timer: str
    breach: bool
    in_channel: bool = False


@dataclass(frozen=True, slots=True)
class RefreshHomes(Effect):
    """Redraw the App Home of every agent who opened it (the queue changed).

    One lane for all of them, so homes are redrawn in order and never two at once. ``agent``
    set: only that agent's home (they just opened it). ``ticket_id`` is unused (0).
    """

    target: ClassVar[str] = DESK
    agent: str = ""

    @property
    def lane(self) -> str:
        return f"{self.target}:home"


@dataclass(frozen=True, slots=True)
class ShowAgentMessage(Effect):
    """Show in the thread a message an agent sent from outside it (a template from a modal).

    The post becomes the message's desk copy, so its delivery marks land on it.
    """

    target: ClassVar[str] = DESK
    message_id: int
    header: str


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


@dataclass(frozen=True, slots=True)
class SendChoices(Effect):
    """Offer the ticket's customer options to pick from (a rating); the pick returns as a choice id.

    ``choices`` are ``{"id", "title", "description"}`` objects, stored as they are sent.
    """

    target: ClassVar[str] = CUSTOMER
    text: str
    choices: list[dict[str, str | None]]
    button: str


@dataclass(frozen=True, slots=True)
class GoodRating(Effect):
    """A customer rated a resolved ticket above 4: features that learn from good answers run now."""

    target: ClassVar[str] = HOOKS
    score: int


@dataclass(frozen=True, slots=True)
class PostReport(Effect):
    """Compute a report over ``[start, end)`` (ISO times) and post it, with charts, to a channel.

    Not about one ticket: ``ticket_id`` is 0 and reports to one channel go out in order.
    """

    target: ClassVar[str] = DESK
    channel: str
    period: str
    start: str
    end: str
    csv: bool = False
    requested_by: str | None = None

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"


@dataclass(frozen=True, slots=True)
class PostToChannel(_DeskText, Effect):
    """Post a line from the desk to a channel that is not a ticket thread (an alert to supervisors).

    ``ticket_id`` is 0 unless the line is about a ticket; lines to one channel go out in order.
    """

    target: ClassVar[str] = DESK
    channel: str
    text: str
    markup: bool = False

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"


@dataclass(frozen=True, slots=True)
class QueueReview(Effect):
    """Show a sampled interaction in the QA channel: its card with the scoring button, or its scores."""

    target: ClassVar[str] = DESK
    channel: str
    review_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:channel:{self.channel}"


@dataclass(frozen=True, slots=True)
class ShowCandidate(Effect):
    """Post (or redraw) a proposed knowledge-base article in the review channel, with its buttons.

    One lane for every proposal, so each is drawn in order. ``ticket_id`` is the ticket it
    came from, or 0.
    """

    target: ClassVar[str] = DESK
    candidate_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:kb-review"


@dataclass(frozen=True, slots=True)
class ShowBroadcast(Effect):
    """Post or redraw a broadcast's progress message (bar, counts, buttons; the tally at the end).

    One lane per broadcast, so redraws go in order. ``ticket_id`` is unused (0).
    """

    target: ClassVar[str] = DESK
    broadcast_id: int

    @property
    def lane(self) -> str:
        return f"{self.target}:broadcast:{self.broadcast_id}"


@dataclass(frozen=True, slots=True)
class PostCrisis(Effect):
    """Open a crisis's thread (its message with the facts and the stakeholders called), or redraw it.

    One lane per crisis, so the thread exists before any update is posted in it. ``ticket_id`` is 0.
    """

    target: ClassVar[str] = DESK
    crisis: str

    @property
    def lane(self) -> str:
        return f"{self.target}:crisis:{self.crisis}"


@dataclass(frozen=True, slots=True)
class PostCrisisUpdate(Effect):
    """Post a line in a crisis's thread (a status update, the closing). ``ticket_id`` is 0."""

    target: ClassVar[str] = DESK
    crisis: str
    text: str

    @property
    def lane(self) -> str:
        return f"{self.target}:crisis:{self.crisis}"


EFFECT_TYPES: dict[str, type[Effect]] = {
    cls.__name__: cls
    for cls in (
        PostTicket,
        RefreshTicket,
        ShowInboundMessage,
        ShowReaction,
        ShowDelivery,
        PostNote,
        SendToCustomer,
        SendToAddress,
        MarkRead,
        EscalationNotice,
        SlaAlert,
        RefreshHomes,
        ShowAgentMessage,
        AnswerWithAI,
        ShowTriage,
        ShowEscalationAlert,
        ShowDraft,
        ShowAIReply,
        SendChoices,
        GoodRating,
        PostReport,
        PostToChannel,
        QueueReview,
        ShowCandidate,
        ShowBroadcast,
        PostCrisis,
        PostCrisisUpdate,
    )
}


def effect_from_row(kind: str, payload: str) -> Effect:
    """Rebuild an effect from its outbox row; an unknown kind is a programming error."""
    return EFFECT_TYPES[kind](**json.loads(payload))
