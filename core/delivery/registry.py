"""Every effect kind the outbox stores, by class name, and how a stored row becomes an effect again.

An outbox row's ``kind`` is the class name and its payload the dataclass fields: a class or
field renamed makes queued rows of a running install unreadable (``tests/test_stored_ids.py``)."""

from __future__ import annotations

import json

from core.ai.effects import AnswerWithAI, ShowAIReply, ShowDraft, ShowEscalationAlert, ShowTriage
from core.broadcast.effects import ShowBroadcast
from core.common.effects import Effect
from core.crisis.effects import PostCrisis, PostCrisisUpdate
from core.delivery.effects import PostToChannel
from core.escalation.effects import EscalationNotice
from core.feedback.effects import GoodRating, QueueReview
from core.kb.effects import ShowCandidate
from core.queue.effects import RefreshHomes
from core.reports.effects import PostReport
from core.sla.effects import SlaAlert
from core.tickets.effects import (
    MarkRead,
    PostNote,
    PostTicket,
    RefreshTicket,
    SendChoices,
    SendToAddress,
    SendToCustomer,
    ShowAgentMessage,
    ShowDelivery,
    ShowInboundMessage,
    ShowReaction,
)

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
