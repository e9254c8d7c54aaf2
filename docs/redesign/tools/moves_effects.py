"""Phase 2d: core/effects.py split by capability (issue 19 step 5). Classes move unrenamed: an
outbox row's kind is the class name (tests/test_stored_ids.py pins kinds and fields). Only the
mixin _DeskText, never stored, becomes the public DeskText of core/common/effects.py."""

_HOMES = {
    "core.common.effects": ["DESK", "CUSTOMER", "HOOKS", "Effect", "DeskText"],
    "core.tickets.effects": [
        "PostTicket", "RefreshTicket", "ShowInboundMessage", "ShowReaction", "ShowDelivery", "PostNote",
        "SendToCustomer", "SendToAddress", "MarkRead", "ShowAgentMessage", "SendChoices",
    ],
    "core.delivery.effects": ["PostToChannel"],
    "core.escalation.effects": ["EscalationNotice"],
    "core.sla.effects": ["SlaAlert"],
    "core.queue.effects": ["RefreshHomes"],
    "core.ai.effects": ["AI", "AnswerWithAI", "ShowTriage", "ShowEscalationAlert", "ShowDraft", "ShowAIReply"],
    "core.feedback.effects": ["GoodRating", "QueueReview"],
    "core.reports.effects": ["PostReport"],
    "core.kb.effects": ["ShowCandidate"],
    "core.broadcast.effects": ["ShowBroadcast"],
    "core.crisis.effects": ["PostCrisis", "PostCrisisUpdate"],
    "core.delivery.registry": ["EFFECT_TYPES", "effect_from_row"],
}

MODULES: dict = {}
SYMBOLS = {"core.effects": {name: module for module, names in _HOMES.items() for name in names}}
