"""The knowledge base in Slack: the review channel, its buttons and modals, and ``/suporte kb``.

- Proposals are posted in the review channel with **Publicar**, **Editar** and **Descartar**.
- **Salvar como artigo** on a resolved ticket sends its question and answers for review.
- ``/suporte kb busca TEXTO`` searches; ``/suporte kb novo`` opens a modal to propose one.

Each listener makes one :class:`~core.kb.loop.KnowledgeLoop` call; what is allowed is decided there.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from core.common import labels
from core.common.markup import Markup, shorten
from core.kb import texts as kb_texts
from core.kb.articles import CATEGORIES
from core.kb.loop import KnowledgeLoop, Refusal, ReviewResult
from core.kb.model import Candidate, CandidateDraft, CandidateOrigin, CandidateState
from core.kb.ports import KnowledgeBase
from core.tickets import texts as tickets_texts
from handlers.slack import markup
from handlers.slack.access import SlackAccess
from handlers.slack.client import SafeWebClient
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands
from handlers.slack.desk import split_ref, thread_ref
from handlers.slack.ids import button_id, record_id
from handlers.slack.ticket_blocks import KB_SAVE, _button, mention

log = logging.getLogger(__name__)

PUBLISH = "kb.publish"
EDIT = "kb.edit"
DISCARD = "kb.discard"
NEW_VIEW = "kb.new"
EDIT_VIEW = "kb.edit_view"
SEARCH_LIMIT = 5
# Slack refuses a section text longer than 3000 characters.
MAX_SECTION = 2900
_BOT_PROPOSERS = frozenset({"csat", "faq"})


# ---------------------------------------------------------------------- the review channel


def candidate_blocks(candidate: Candidate) -> list[dict[str, Any]]:
    """A proposal as the review channel shows it: facts, text, who and when, and the buttons."""
    facts = [labels.of(labels.KB_CATEGORY, candidate.category)]
    if candidate.tags:
        facts.append(", ".join(candidate.tags))
    if candidate.estimated_time:
        facts.append(f"⏱️ {candidate.estimated_time}")
    header = (
        f"*📚 {kb_texts.KB_REVIEW_HEADER} #{candidate.id}*"
        f" · {labels.of(labels.KB_ORIGIN, candidate.origin)}\n"
        f"*{candidate.title}*\n{' · '.join(facts)}"
    )  # plain: titles and tags come from tickets and the AI
    body = shorten(candidate.body, MAX_SECTION)
    who: list[str] = (
        []
        if candidate.proposed_by in _BOT_PROPOSERS
        else [Markup("Proposto por ") + mention(candidate.proposed_by)]
    )
    if candidate.ticket_id:
        who.append(f"ticket #{candidate.ticket_id}")
    decided = mention(candidate.decided_by) if candidate.decided_by else None
    who.append(kb_texts.kb_state_line(candidate.state.value, decided, candidate.slug))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": header}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": Markup(" · ").join(who)}]},
    ]
    if candidate.state is CandidateState.PENDING:
        value = str(candidate.id)
        blocks.append(
            {
                "type": "actions",
                "block_id": f"kb:{candidate.id}",
                "elements": [
                    _button(kb_texts.BUTTON_KB_PUBLISH, PUBLISH, value, "primary"),
                    _button(kb_texts.BUTTON_KB_EDIT, EDIT, value),
                    _button(kb_texts.BUTTON_KB_DISCARD, DISCARD, value, "danger"),
                ],
            }
        )
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": kb_texts.KB_REVIEW_HINT}]})
    return blocks


class SlackReviewBoard:
    """Implements :class:`core.kb.ports.ReviewBoard` on a Slack channel."""

    def __init__(self, client: SafeWebClient, channel: str) -> None:
        self._client = client
        self.channel = channel

    async def post_candidate(self, candidate: Candidate) -> str:
        response = await self._client.call(
            "chat.postMessage",
            channel=self.channel,
            text=_fallback(candidate),
            blocks=candidate_blocks(candidate),
        )
        return thread_ref(response["channel"], response["ts"])

    async def update_candidate(self, ref: str, candidate: Candidate) -> None:
        channel, ts = split_ref(ref)
        await self._client.call(
            "chat.update",
            channel=channel,
            ts=ts,
            text=_fallback(candidate),
            blocks=candidate_blocks(candidate),
        )


def _fallback(candidate: Candidate) -> str:
    return f"📚 {kb_texts.KB_REVIEW_HEADER} #{candidate.id}: {candidate.title}"


# ---------------------------------------------------------------------- modals


def draft_view(callback_id: str, draft: CandidateDraft | None, metadata: str = "") -> dict[str, Any]:
    """The modal to write (``kb.new``) or edit (``kb.edit_view``) a proposal."""
    d = draft or CandidateDraft("", "getting_started", "")
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": value}
        for value, label in labels.KB_CATEGORY.items()
        if value in CATEGORIES
    ]
    chosen = next((o for o in options if o["value"] == d.category), options[0])
    editing = callback_id == EDIT_VIEW
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": kb_texts.KB_MODAL_EDIT if editing else kb_texts.KB_MODAL_NEW},
        "submit": {
            "type": "plain_text",
            "text": kb_texts.KB_MODAL_SAVE if editing else kb_texts.KB_MODAL_SUBMIT,
        },
        "blocks": [
            _input("title", kb_texts.KB_FIELD_TITLE, d.title),
            {
                "type": "input",
                "block_id": "category",
                "label": {"type": "plain_text", "text": kb_texts.KB_FIELD_CATEGORY},
                "element": {
                    "type": "static_select",
                    "action_id": "category",
                    "options": options,
                    "initial_option": chosen,
                },
            },
            _input("tags", kb_texts.KB_FIELD_TAGS, ", ".join(d.tags), optional=True),
            _input("estimated_time", kb_texts.KB_FIELD_TIME, d.estimated_time or "", optional=True),
            _input("body", kb_texts.KB_FIELD_BODY, d.body, multiline=True),
        ],
    }


def _input(
    block_id: str, label: str, value: str, *, optional: bool = False, multiline: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "multiline": multiline}
    if value:
        element["initial_value"] = value
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def draft_from_view(view: dict[str, Any], subcategory: str | None = None) -> CandidateDraft:
    """What a submitted modal says; missing fields come back empty and are refused by the core."""
    values = (view.get("state") or {}).get("values") or {}

    def text(block: str) -> str:
        state = (values.get(block) or {}).get(block) or {}
        return str(state.get("value") or "").strip()

    category_state = (values.get("category") or {}).get("category") or {}
    category = str((category_state.get("selected_option") or {}).get("value") or "")
    tags = tuple(t.strip() for t in text("tags").split(",") if t.strip())
    return CandidateDraft(
        title=text("title"),
        category=category,
        body=text("body"),
        subcategory=subcategory,
        tags=tags,
        estimated_time=text("estimated_time") or None,
    )


# ---------------------------------------------------------------------- wiring


def register(
    app: AsyncApp,
    loop: KnowledgeLoop,
    kb: KnowledgeBase,
    access: SlackAccess,
    commands: SlashCommands,
    client: SafeWebClient,
    review_channel: str,
) -> None:
    """Attach the review buttons and modals, **Salvar como artigo** and ``/suporte kb``."""

    async def notify(body: dict, text: str) -> None:
        channel = (body.get("channel") or {}).get("id")
        if channel:
            await _quietly(client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text))

    async def allowed(body: dict, action: dict) -> bool:
        user = body["user"]["id"]
        if await access.is_agent(user):
            return True
        await access.refuse(user, f"{action.get('action_id')} {action.get('value')}")
        return False

    async def review(ack: Any, body: dict, action: dict, decide: Any) -> None:
        await ack()
        if not await allowed(body, action) or not (value := button_id(action)):
            return
        result: ReviewResult = await decide(value, body["user"]["id"])
        if not result.ok:
            await notify(body, _refusal_text(result))

    @app.action(PUBLISH)
    async def publish(ack: Any, body: dict, action: dict) -> None:
        await review(ack, body, action, loop.publish)

    @app.action(DISCARD)
    async def discard(ack: Any, body: dict, action: dict) -> None:
        await review(ack, body, action, loop.discard)

    @app.action(EDIT)
    async def edit(ack: Any, body: dict, action: dict) -> None:
        await ack()
        if not await allowed(body, action) or not (candidate_id := button_id(action)):
            return
        candidate = await loop.candidate(candidate_id)
        if candidate is None or candidate.state is not CandidateState.PENDING:
            await notify(body, kb_texts.KB_ALREADY_DECIDED if candidate else kb_texts.KB_NOT_FOUND)
            return
        view = draft_view(EDIT_VIEW, candidate.draft, str(candidate.id))
        await _quietly(client.views_open(trigger_id=body.get("trigger_id"), view=view))

    @app.view(EDIT_VIEW)
    async def edited(ack: Any, body: dict, view: dict) -> None:
        candidate_id = record_id(view.get("private_metadata"), f"view {EDIT_VIEW}")
        candidate = await loop.candidate(candidate_id) if candidate_id else None
        if candidate is None:
            await ack(response_action="errors", errors={"title": kb_texts.KB_NOT_FOUND})
            return
        result = await loop.edit(
            candidate.id, draft_from_view(view, candidate.subcategory), body["user"]["id"]
        )
        await _ack_result(ack, result)

    @app.view(NEW_VIEW)
    async def written(ack: Any, body: dict, view: dict) -> None:
        await _ack_result(ack, await loop.propose(draft_from_view(view), body["user"]["id"]))

    @app.action(KB_SAVE)
    async def save(ack: Any, body: dict, action: dict) -> None:
        await ack()
        if not await allowed(body, action) or not (ticket_id := button_id(action)):
            return
        result = await loop.propose_from_ticket(ticket_id, CandidateOrigin.THREAD, body["user"]["id"])
        await notify(
            body, kb_texts.kb_saved(markup.channel(review_channel)) if result.ok else _refusal_text(result)
        )

    async def kb_command(request: CommandRequest) -> CommandReply:
        verb = request.args[0].lower() if request.args else ""
        if verb == "busca" and len(request.args) > 1:
            query = request.text.split(None, 1)[1]
            hits = await kb.search(query, SEARCH_LIMIT)
            if not hits:
                return CommandReply(kb_texts.KB_NOTHING_FOUND)
            lines = [
                f"• *{h.title}* (`{h.slug}`) · {labels.of(labels.KB_CATEGORY, h.category)}"
                + (Markup(" · ") + markup.link(h.url, "abrir") if h.url else "")
                for h in hits
            ]
            return CommandReply(kb_texts.kb_search_results(query, lines))
        if verb == "novo":
            opened = await _quietly(
                client.views_open(trigger_id=request.trigger_id, view=draft_view(NEW_VIEW, None))
            )
            return CommandReply(kb_texts.KB_NEW_OPENED if opened else tickets_texts.COMMAND_FAILED)
        return CommandReply(kb_texts.KB_SEARCH_USAGE)

    commands.add("kb", kb_command, help="`busca TEXTO` procura artigos da base; `novo` propõe um artigo")


async def _ack_result(ack: Any, result: ReviewResult) -> None:
    """Close the modal when the change was applied; otherwise say why under the title."""
    if result.ok:
        await ack()
    else:
        await ack(response_action="errors", errors={"title": _refusal_text(result)})


def _refusal_text(result: ReviewResult) -> str:
    match result.refusal:
        case Refusal.ALREADY_DECIDED:
            return kb_texts.KB_ALREADY_DECIDED
        case Refusal.INVALID:
            return kb_texts.KB_INVALID_DRAFT.format(detail=result.detail)
        case Refusal.NOTHING_TO_SAVE:
            return kb_texts.KB_SAVE_NOTHING
        case Refusal.ALREADY_PROPOSED:
            return kb_texts.KB_SAVE_AGAIN
        case _:
            return kb_texts.KB_NOT_FOUND


async def _quietly(call: Any) -> bool:
    """A Slack call whose failure (an expired trigger, a closed view) is logged, not raised."""
    try:
        await call
    except (SlackApiError, OSError, TimeoutError) as error:
        log.warning("Slack refused a knowledge-base view or notice: %r", error)
        return False
    return True
