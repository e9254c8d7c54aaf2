"""Names that live outside the code: a move or a split must never change them.

An outbox row stores its effect's class name as ``kind`` and its fields as JSON, so a renamed Effect
class or field makes a running install's queued work unreadable. Slack buttons and views come back
with the ``action_id``/``callback_id`` they were drawn with (a message posted last week still has
its buttons), CSAT answers come back as ``csat:<ticket>:<score>`` choice ids, and the AI's records
carry provider and model names. These are module constants whose values are such identifiers
(lower-case words, dots, colons): this file pins each constant's name and value, wherever it lives.
Changing one on purpose means a migration for the stored rows and an edit here, in one commit.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

from core.delivery.registry import EFFECT_TYPES

ROOT = Path(__file__).resolve().parents[1]
IDENTIFIER = re.compile(r"[a-z0-9_:.\-]+")

IDENTIFIERS = [
    ("AFTER_HOURS_NOTICE", "ai.after_hours_notice"),
    ("AI", "ai"),
    ("AI_ACTOR", "ai"),
    ("AI_SOURCE", "ai"),
    ("AUTO_CLOSE_ACTOR", "atende"),
    ("CANARY", "atende-instrucoes-internas-7f3a"),
    ("CANCEL", "broadcast.cancel"),
    ("CHOICE_PREFIX", "csat"),
    ("CHOOSE_ACTION", "template.choose"),
    ("CLAIM", "ticket.claim"),
    ("CLOSING_AUTHOR", "system:closing"),
    ("CONFIRM_VIEW", "crisis.confirm"),
    ("CSV_FLAG", "--csv"),
    ("CUSTOMER", "customer"),
    ("CUSTOMER_ICON", ":bust_in_silhouette:"),
    ("DEFAULT_CATEGORY", "getting_started"),
    ("DELETE_BLOCK", "delete"),
    ("DELETE_VALUE", "delete"),
    ("DESK", "desk"),
    ("DISCARD", "kb.discard"),
    ("DRAFT_DISCARD", "ai.draft.discard"),
    ("DRAFT_EDIT", "ai.draft.edit"),
    ("DRAFT_INPUT", "text"),
    ("DRAFT_INPUT_BLOCK", "draft"),
    ("DRAFT_MODAL", "ai.draft.edit_modal"),
    ("DRAFT_SEND", "ai.draft.send"),
    ("DRAFT_VIEW", "crisis.draft"),
    ("EDIT", "kb.edit"),
    ("EDIT_ACTION", "templates.edit"),
    ("EDIT_VIEW", "kb.edit_view"),
    ("ERASE", "lgpd.erase"),
    ("ERASED_PREFIX", "apagado:"),
    ("ESCALATE", "ticket.escalate"),
    ("EXTRACTIVE_MODEL", "offline-rules"),
    ("FEATURE_REQUEST", "feature_request"),
    ("FEATURE_REQUEST", "feature_request"),
    ("FILE_SOURCE", "file:"),
    ("GAP_BLOCK", "gap:"),
    ("HANDOFF_NOTICE", "ai.handoff_notice"),
    ("HELD_OUT_MARK", "untouched"),
    ("HELP", "ajuda"),
    ("HOOKS", "hooks"),
    ("IN_PROGRESS", "ticket.in_progress"),
    ("JOURNEY_KIND", "journey:"),
    ("KB_SAVE", "ticket.kb_save"),
    ("KIND", "crise"),
    ("KIND_MESSAGE", "message"),
    ("KIND_OTHER", "other"),
    ("KIND_STATUS", "status"),
    ("KIND_UPDATE", "update"),
    ("LEGAL", "legal_compliance_question"),
    ("LIST_CALLBACK", "templates.list"),
    ("MESSAGE_BLOCK", "message:"),
    ("MODEL", "offline-rules"),
    ("MODEL_FILE", "triage-model.npz"),
    ("NEW_ACTION", "templates.new"),
    ("NEW_VIEW", "kb.new"),
    ("NOTES_BLOCK", "notes"),
    ("NOT_SENT_REACTION", "no_entry_sign"),
    ("NO_KNOWN_SOLUTION", "no_known_solution"),
    ("NO_REASON", "none"),
    ("PAUSE", "broadcast.pause"),
    ("PHONE_ID", "100000000000001"),
    ("PICK_BLOCK", "template"),
    ("POST_EVENT", "atende_post"),
    ("PROVIDER", "gemini"),
    ("PROVIDER", "offline"),
    ("PROVIDER", "openai"),
    ("PUBLISH", "kb.publish"),
    ("REASON_BLOCK", "reason"),
    ("RELEASE", "ticket.release"),
    ("REOPEN", "ticket.reopen"),
    ("RESOLVE", "ticket.resolve"),
    ("RESUME", "broadcast.resume"),
    ("REVIEW_BUTTON", "qa.review"),
    ("SAVE_CALLBACK", "templates.save"),
    ("SCENARIO", "crisis.scenario"),
    ("SCORE_VIEW", "qa.score"),
    ("SEND_CALLBACK", "template.send"),
    ("SOLUTION_MODEL", "solucao"),
    ("SOURCE", "review:"),
    ("SOURCE", "telegram"),
    ("SOURCE", "whatsapp"),
    ("SURVEY_AUTHOR", "system:survey"),
    ("SYSTEM", "system:"),
    ("TECHNICAL", "technical"),
    ("TECHNICAL_CATEGORY", "troubleshooting"),
    ("TEMPLATE", "ticket.template"),
    ("TEMPLATE_MODEL", "modelo"),
    ("TEXT_BLOCK", "text:"),
    ("TIER_BLOCK", "tier"),
    ("TRACKER_PREFIX", "broadcast:"),
    ("UNCLASSIFIED", "unclassified"),
    ("UPDATE", "crisis.update"),
    ("UPDATE_VIEW", "crisis.update_view"),
    ("VALUE_ACTION", "value"),
    ("VIEW", "ticket.escalate.modal"),
    ("WAITING", "ticket.waiting"),
    ("_SPLIT_SALT", "atende-triage-split:"),
]
EFFECT_FIELDS = {
    "PostTicket": ["ticket_id"],
    "RefreshTicket": ["ticket_id"],
    "ShowInboundMessage": ["message_id", "ticket_id"],
    "ShowReaction": ["emoji", "message_id", "ticket_id"],
    "ShowDelivery": ["message_id", "state", "ticket_id"],
    "PostNote": ["markup", "text", "ticket_id"],
    "SendToCustomer": ["message_id", "ticket_id"],
    "SendToAddress": ["address", "channel", "text", "ticket_id"],
    "MarkRead": ["external_id", "ticket_id"],
    "EscalationNotice": ["escalation_id", "in_channel", "ticket_id"],
    "SlaAlert": ["breach", "in_channel", "ticket_id", "timer"],
    "RefreshHomes": ["agent", "ticket_id"],
    "ShowAgentMessage": ["header", "message_id", "ticket_id"],
    "AnswerWithAI": ["message_id", "ticket_id"],
    "ShowTriage": ["message_id", "ticket_id"],
    "ShowEscalationAlert": ["message_id", "ticket_id"],
    "ShowDraft": ["draft_id", "ticket_id"],
    "ShowAIReply": ["answers", "message_id", "ticket_id"],
    "SendChoices": ["button", "choices", "text", "ticket_id"],
    "GoodRating": ["score", "ticket_id"],
    "PostReport": ["channel", "csv", "end", "period", "requested_by", "start", "ticket_id"],
    "PostToChannel": ["channel", "markup", "text", "ticket_id"],
    "QueueReview": ["channel", "review_id", "ticket_id"],
    "ShowCandidate": ["candidate_id", "ticket_id"],
    "ShowBroadcast": ["broadcast_id", "ticket_id"],
    "PostCrisis": ["crisis", "ticket_id"],
    "PostCrisisUpdate": ["crisis", "text", "ticket_id"],
}


def _identifier_constants() -> list[tuple[str, str]]:
    """Every module-level ``UPPER = "identifier"`` in production code, as (name, value)."""
    found = []
    for package in ("core", "handlers", "storage", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.parse(path.read_text(), str(path)).body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                value = getattr(node, "value", None)
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    continue
                for target in targets:
                    if (
                        isinstance(target, ast.Name)
                        and target.id.isupper()
                        and IDENTIFIER.fullmatch(value.value)
                    ):
                        found.append((target.id, value.value))
    return sorted(found)


def test_effect_kinds_and_fields_are_the_stored_ones() -> None:
    stored = {kind: sorted(f.name for f in dataclasses.fields(cls)) for kind, cls in EFFECT_TYPES.items()}
    assert stored == EFFECT_FIELDS
    assert all(cls.__name__ == kind for kind, cls in EFFECT_TYPES.items())


def test_identifiers_sent_out_or_stored_keep_their_values() -> None:
    assert _identifier_constants() == sorted(IDENTIFIERS)
