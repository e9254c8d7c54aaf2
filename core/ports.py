"""The protocols the core needs from the outside world; adapters in other packages fill them."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from core.ai.records import DraftRecord, ResolvedTicket, TriageHistory, TriageRecord
from core.ai.schema import CallRecord, ModelRequest, ModelResult
from core.broadcast.model import Broadcast, BroadcastState, Claimed, Outcome, RecipientState, Tally, Via
from core.common.effects import Effect
from core.common.markup import Markup
from core.models import (
    ArticleHit,
    Attachment,
    Channel,
    Choice,
    Customer,
    DeliveryState,
    Direction,
    DraftView,
    Escalation,
    FailureReason,
    FileData,
    FileInfo,
    Idea,
    IdeaRequest,
    IdeaTally,
    InteractionFacts,
    Message,
    MessageKind,
    QaReview,
    ResponseTemplate,
    Survey,
    SurveyKind,
    SurveyState,
    Ticket,
    TicketView,
)

if TYPE_CHECKING:
    from core.crisis.audience import Audience
    from core.crisis.scenarios import CrisisStatus, Scenario
    from core.crisis.service import Crisis, CrisisDraft
    from core.customers.records import CustomerRecord
    from core.escalation.tiers import Classification, CustomerHistory
    from core.journeys.policy import Announcement, CustomerFacts
    from core.kb.articles import Article, Candidate, ImportOutcome
    from core.queue.agent_queue import HomeView, QueueItem, TierRows
    from core.sla.clock import DueTimer, Timer


class Clock(Protocol):
    """Injected time, so timers and timestamps are testable without sleeping."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class Transaction(Protocol):
    """One unit of work: every change and every effect it records commit together or not at all."""

    async def claim_key(self, key: str, at: datetime) -> bool:
        """Record an idempotency key; False when it was already recorded (a re-delivery)."""
        ...

    async def find_customer(self, channel: Channel, addresses: list[str]) -> Customer | None:
        """The customer reachable at any of these addresses on this channel (linked addresses first)."""
        ...

    async def link_address(self, customer_id: int, channel: Channel, address: str, at: datetime) -> None:
        """Make an address on a channel lead to this customer (from now on, and over any other)."""
        ...

    async def merge_customer(self, source_id: int, into_id: int, at: datetime) -> None:
        """Fold one customer record into another: its tickets and addresses now belong to ``into_id``."""
        ...

    async def create_customer(
        self, channel: Channel, address: str, name: str | None, at: datetime
    ) -> Customer:
        """Register a customer seen for the first time."""
        ...

    async def rename_customer(self, customer_id: int, name: str) -> None:
        """Keep the name the customer currently shows on their channel."""
        ...

    async def save_profile(self, customer_id: int, record: CustomerRecord) -> None:
        """Store what the platform knows about the customer (plan, signup, usage...); None fields stay."""
        ...

    async def journey_customers(self) -> list[CustomerFacts]:
        """Customers with something the proactive journeys read (signup, renewal, activity)."""
        ...

    async def claim_journey(self, customer_id: int, trigger: str, occasion: str, at: datetime) -> bool:
        """Record in the journeys' ledger that this message goes out; False when it already went."""
        ...

    async def add_announcement(self, text: str, actor: str, at: datetime) -> int:
        """Store a feature announcement; its id."""
        ...

    async def announcements_since(self, since: datetime) -> list[Announcement]:
        """Feature announcements made since ``since``, oldest first."""
        ...

    async def set_opted_out(self, customer_id: int, at: datetime | None) -> None:
        """Mark the customer as refusing proactive and broadcast messages since ``at`` (None: accepting)."""
        ...

    async def get_customer(self, customer_id: int) -> Customer:
        """A customer by id."""
        ...

    async def open_ticket_of(self, customer_id: int) -> Ticket | None:
        """The customer's ticket that is not resolved yet, if any."""
        ...

    async def latest_ticket_of(self, customer_id: int) -> Ticket | None:
        """The customer's most recent ticket, open or not."""
        ...

    async def create_ticket(
        self,
        customer_id: int,
        channel: Channel,
        at: datetime,
        previous_ticket_id: int | None,
        address: str | None = None,
    ) -> Ticket:
        """Open a new ticket; replies go to ``address`` on ``channel`` (None: the customer's own)."""
        ...

    async def move_ticket(self, ticket_id: int, channel: Channel, address: str) -> None:
        """The conversation continues on another channel: replies go there from now on."""
        ...

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """A ticket by id."""
        ...

    async def ticket_by_thread(self, thread_ref: str) -> Ticket | None:
        """The ticket shown in this desk thread."""
        ...

    async def set_thread_ref(self, ticket_id: int, thread_ref: str) -> None:
        """Remember the desk thread a ticket was posted as (touching nothing else of the ticket)."""
        ...

    async def save_ticket(self, ticket: Ticket) -> None:
        """Persist a ticket's changed fields."""
        ...

    async def add_message(
        self,
        ticket_id: int,
        direction: Direction,
        kind: MessageKind,
        at: datetime,
        *,
        text: str | None = None,
        attachment: Attachment | None = None,
        external_id: str | None = None,
        desk_ref: str | None = None,
        author: str | None = None,
        delivery: DeliveryState | None = None,
    ) -> Message:
        """Store a message of a ticket."""
        ...

    async def get_message(self, message_id: int) -> Message | None:
        """A message by id."""
        ...

    async def message_by_external_id(self, external_id: str) -> Message | None:
        """The message a platform knows by this id."""
        ...

    async def last_inbound_message(self, ticket_id: int) -> Message | None:
        """The customer's latest message in a ticket."""
        ...

    async def messages_after(self, ticket_id: int, message_id: int) -> list[Message]:
        """The ticket's messages newer than ``message_id``, oldest first (what happened since)."""
        ...

    async def set_message_refs(
        self, message_id: int, *, external_id: str | None = None, desk_ref: str | None = None
    ) -> None:
        """Remember where a message now lives on the platform and on the desk."""
        ...

    async def set_delivery(
        self,
        message_id: int,
        state: DeliveryState,
        reason: FailureReason | None = None,
        detail: str | None = None,
    ) -> None:
        """Record a message's delivery progress."""
        ...

    async def add_effect(self, effect: Effect, at: datetime) -> None:
        """Queue an effect in the outbox, committed with this transaction."""
        ...

    async def add_effects(self, effects: list[Effect], at: datetime) -> None:
        """Queue several effects at once (in this order), committed with this transaction."""
        ...

    async def record_event(
        self, ticket_id: int | None, actor: str, action: str, at: datetime, detail: str = ""
    ) -> None:
        """Append to the audit trail: who did what, when."""
        ...

    async def get_triage(self, message_id: int) -> TriageRecord | None:
        """The AI's triage of a customer message, if it ran."""
        ...

    async def record_triage(self, triage: TriageRecord) -> None:
        """Store the AI's triage of a message (once: the message id is its key)."""
        ...

    async def record_ai_call(
        self, ticket_id: int, message_id: int | None, call: CallRecord, at: datetime
    ) -> None:
        """Log one model call with its tokens, cost, latency and outcome."""
        ...

    async def add_draft(
        self,
        ticket_id: int,
        message_id: int,
        text: str,
        model: str,
        confidence: float,
        sources: Sequence[ArticleHit],
        at: datetime,
    ) -> int:
        """Store a draft waiting for an agent; returns its id."""
        ...

    async def get_draft(self, draft_id: int) -> DraftRecord | None:
        """A draft by id."""
        ...

    async def save_draft(self, draft: DraftRecord) -> None:
        """Persist a draft's state, decision and desk ref."""
        ...

    async def resolved_tickets(self, limit: int) -> list[ResolvedTicket]:
        """The latest resolved tickets, newest first, as ``atende ai train`` learns from them."""
        ...

    async def triage_history(self, customer_id: int, ticket_id: int, since: datetime) -> TriageHistory:
        """When the customer was first seen, the categories of their triaged messages since ``since``,
        and per category how many of their other tickets since then were about it."""
        ...

    async def recent_messages(self, ticket_id: int, limit: int) -> list[Message]:
        """The ticket's latest messages, oldest first."""
        ...

    async def record_escalation(
        self, ticket_id: int, from_tier: int, tier: int, reason: str, actor: str, at: datetime
    ) -> int:
        """Store an escalation; returns its id."""
        ...

    async def get_escalation(self, escalation_id: int) -> Escalation | None:
        """An escalation by id."""
        ...

    async def last_escalation(self, ticket_id: int) -> Escalation | None:
        """The ticket's latest escalation, if any."""
        ...

    async def timers_of(self, ticket_id: int) -> list[Timer]:
        """Every SLA clock of a ticket, whatever its state."""
        ...

    async def save_timers(self, timers: list[Timer]) -> None:
        """Store clocks (insert or replace)."""
        ...

    async def due_timers(self, now: datetime, limit: int) -> list[DueTimer]:
        """Running clocks whose warning or due time has come, oldest first."""
        ...

    async def record_breaches(self, breaches: list[DueTimer], at: datetime) -> None:
        """Keep missed targets for reports (with the ticket's tier and assignee at the time)."""
        ...

    async def add_home_viewer(self, user: str, at: datetime) -> None:
        """Remember that this agent opened the App Home, so it is redrawn on change."""
        ...

    async def customer_history(self, customer_id: int, before_ticket: int) -> CustomerHistory:
        """When the customer was first seen and how many tickets they had before this one."""
        ...

    async def latest_classification(self, ticket_id: int) -> Classification | None:
        """The AI core's latest classification of the ticket, when it has one."""

    async def list_templates(self) -> list[ResponseTemplate]:
        """Every response template, by category then id."""
        ...

    async def get_template(self, template_id: str) -> ResponseTemplate | None:
        """A response template by id."""
        ...

    async def save_template(self, template: ResponseTemplate, actor: str, at: datetime, *, new: bool) -> bool:
        """Create (``new``) or overwrite a template; False when a new id is taken or an edited one is gone."""
        ...

    async def delete_template(self, template_id: str) -> bool:
        """Remove a template from the list; False when it was already gone."""
        ...

    async def idea_by_key(self, key: str) -> Idea | None:
        """The live idea with this normalised wording (following merges to the survivor)."""
        ...

    async def get_idea(self, idea_id: int) -> Idea | None:
        """An idea by id, merged or not."""
        ...

    async def create_idea(self, key: str, summary: str, customer_id: int, at: datetime) -> Idea:
        """Start a new idea in the backlog, worded by ``customer_id``'s request (erased with their data)."""
        ...

    async def add_idea_request(
        self, idea_id: int, customer: Customer, ticket_id: int | None, summary: str, source: str, at: datetime
    ) -> bool:
        """Count a customer's request for an idea; False when this customer already asked for it."""
        ...

    async def idea_request_of_ticket(self, ticket_id: int) -> IdeaRequest | None:
        """The latest request recorded from a ticket (in this customer's or their agent's words), if any."""
        ...

    async def merge_ideas(self, keep: int, absorbed: int) -> None:
        """Fold ``absorbed`` into ``keep``: its requests (once per customer) and its wording."""
        ...

    async def tally_ideas(self, plan: str | None = None) -> list[IdeaTally]:
        """Live ideas with their customer counts, most asked first (only ``plan``'s requests if given)."""
        ...

    async def idea_requests(self, idea_id: int) -> list[IdeaRequest]:
        """Everyone who asked for an idea, in order."""
        ...

    async def set_idea_delivered(self, idea_id: int, actor: str, at: datetime) -> None:
        """Mark an idea delivered (the first time only)."""
        ...

    async def set_idea_request_notified(self, request_id: int, at: datetime) -> None:
        """Remember that the customer behind a request was told of the delivery."""
        ...

    async def last_event_at(self, ticket_id: int, action: str) -> datetime | None:
        """When this action was last recorded on the ticket's audit trail."""

    # -- satisfaction surveys (CSAT, NPS) and QA reviews

    async def add_survey(self, kind: SurveyKind, customer_id: int, ticket_id: int, at: datetime) -> int:
        """Remember that a survey was put to a customer about a ticket."""
        ...

    async def surveys_waiting(self, channel: Channel, addresses: list[str]) -> list[Survey]:
        """The surveys of the customer at any of these addresses that are not finished, newest first."""
        ...

    async def set_survey_state(self, survey_id: int, state: SurveyState, at: datetime) -> None:
        """Move a survey on (answered, or finished); ``at`` is when it was answered."""
        ...

    async def last_survey_at(self, customer_id: int, kind: SurveyKind) -> datetime | None:
        """When this kind of survey was last put to the customer."""
        ...

    async def record_csat(self, ticket_id: int, score: int, at: datetime) -> None:
        """Store the customer's 1-5 rating of a ticket (a later rating of the same ticket replaces it)."""
        ...

    async def set_csat_comment(self, ticket_id: int, comment: str) -> None:
        """Attach the customer's comment to their rating."""
        ...

    async def record_nps(self, customer_id: int, score: int, at: datetime) -> None:
        """Store a customer's 0-10 answer to the NPS question."""
        ...

    async def interaction_facts(self, ticket_id: int) -> InteractionFacts:
        """Who answered a ticket, whether it was escalated, and whether the customer complained."""
        ...

    async def queue_review(self, facts: InteractionFacts, reason: str, at: datetime) -> int | None:
        """Put a ticket in the QA review queue; None when it is already there."""
        ...

    async def get_review(self, review_id: int) -> QaReview | None:
        """A review by id."""
        ...

    async def set_review_ref(self, review_id: int, desk_ref: str) -> None:
        """Remember where the review's card is shown on the desk."""
        ...

    async def score_review(
        self, review_id: int, reviewer: str, scores: dict[str, int], score: float, notes: str, at: datetime
    ) -> None:
        """Record a reviewer's scores and the weighted result."""
        ...

    async def reviews_since(self, since: datetime) -> list[QaReview]:
        """Reviews scored since ``since``."""

    async def add_candidate(self, candidate: Candidate) -> Candidate | None:
        """Store a proposed article (its ``id`` is ignored); None when this ticket already has
        one of this origin."""
        ...

    async def get_candidate(self, candidate_id: int) -> Candidate | None:
        """A proposed article by id."""
        ...

    async def save_candidate(self, candidate: Candidate) -> None:
        """Persist a proposal's changed fields (text, state, decision, review post)."""
        ...

    async def faq_proposed_since(self, question_key: str, since: datetime) -> bool:
        """Whether a frequent-question proposal with this key was made since ``since``."""
        ...

    async def first_questions_since(self, since: datetime) -> list[Message]:
        """The first customer text of every ticket opened since ``since``, oldest first."""
        ...

    # -- broadcasts (core.broadcast): one row per recipient, moved forward by the broadcast worker

    async def add_broadcast(
        self,
        kind: str,
        key: str,
        body: str,
        template: str,
        created_by: str,
        at: datetime,
        progress_thread: str | None,
    ) -> tuple[int, bool]:
        """Create a running broadcast; its id and False when one with this key exists already."""
        ...

    async def add_recipients(self, broadcast_id: int, customer_ids: Sequence[int]) -> None:
        """Queue customers for a broadcast (each once)."""
        ...

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast by id."""
        ...

    async def set_broadcast_state(self, broadcast_id: int, state: BroadcastState, at: datetime) -> None:
        """Pause, resume, cancel or finish a broadcast."""
        ...

    async def skip_queued(self, broadcast_id: int, reason: str) -> None:
        """Give up on every recipient of a broadcast not yet claimed (a cancellation)."""
        ...

    async def set_progress_ref(self, broadcast_id: int, ref: str) -> None:
        """Remember where the broadcast's progress message is on the desk."""
        ...

    async def claimable_recipients(self, now: datetime, limit: int) -> list[Claimed]:
        """Recipients due now of running broadcasts, in order: queued ones, and unconfirmed ones
        past their grace once every webhook received before the grace ended has been applied
        (a status stored in time but still waiting in the inbox confirms its send)."""
        ...

    async def audience_facts(self, customer_ids: Sequence[int]) -> list[Claimed]:
        """What routing needs to know about these customers (for a preview; no broadcast yet)."""
        ...

    async def template_recipients_since(
        self, since: datetime, customer_ids: Sequence[int]
    ) -> tuple[int, set[int], datetime | None]:
        """Unique customers sent a template since ``since``; which of ``customer_ids`` are among
        them; and the oldest such send."""
        ...

    async def start_sends(self, sends: Sequence[tuple[int, Via]]) -> None:
        """Claim recipients for a send by these routes (committed before the send starts)."""
        ...

    async def defer_recipients(self, deferred: Sequence[tuple[int, datetime]]) -> None:
        """Put recipients back in the queue until a time (the daily limit)."""
        ...

    async def finish_recipients(self, outcomes: Sequence[Outcome], at: datetime) -> None:
        """Record what became of sends (or skips)."""
        ...

    async def unconfirm_sending(self, until: datetime) -> int:
        """At start: claimed rows a dead process was sending wait for their status until ``until``."""
        ...

    async def recipient_status(
        self,
        external_id: str,
        recipient_id: int | None,
        state: RecipientState,
        reason: str | None,
        detail: str | None,
        at: datetime,
    ) -> int | None:
        """Apply a delivery status to the recipient row it is about (by message id, else by
        tracker); the broadcast id when a row moved forward."""
        ...

    async def broadcast_tally(self, broadcast_id: int) -> Tally:
        """A broadcast's recipients counted by state and reason."""
        ...

    async def finish_idle_broadcasts(self, at: datetime) -> list[int]:
        """Mark running broadcasts with nobody left to send done; their ids."""
        ...

    async def next_recipient_due(self) -> datetime | None:
        """When the earliest waiting recipient of a running broadcast becomes due."""
        ...

    async def set_progress_thread(self, key: str, thread_ref: str) -> int | None:
        """Show the progress of the broadcast with this key in a thread; its id, if it exists."""
        ...

    async def broadcast_customer_ids(self, key: str) -> list[int]:
        """The customers the broadcast with this key was queued for."""
        ...

    # -- crises (core.crisis)

    async def add_crisis(self, crisis: Crisis) -> None:
        """Record a declared crisis."""
        ...

    async def get_crisis(self, crisis_id: str) -> Crisis | None:
        """A crisis by id."""
        ...

    async def set_crisis_status(
        self, crisis_id: str, status: CrisisStatus, resolved_at: datetime | None
    ) -> None:
        """Move a crisis on; ``resolved_at`` closes it (and ends its SLA suspension)."""
        ...

    async def set_crisis_thread(self, crisis_id: str, thread_ref: str) -> None:
        """Remember the crisis's thread on the desk."""
        ...

    async def hold_crisis_draft(
        self, token: str, user: str, draft: CrisisDraft, at: datetime, keep: timedelta
    ) -> None:
        """Keep a previewed draft until its confirmation (drafts older than ``keep`` are dropped)."""
        ...

    async def take_crisis_draft(self, token: str, user: str) -> CrisisDraft | None:
        """Remove and return the draft this user previewed under ``token`` (None: no such draft)."""
        ...

    async def audience_customers(self, audience: Audience, now: datetime) -> tuple[list[int], int]:
        """The customers an audience names, and how many pasted phones match no customer."""
        ...

    async def sla_suspended(self) -> bool:
        """Whether an open crisis suspends the SLAs (no warnings or breaches are given)."""
        ...

    async def resume_sla_after(self, since: datetime, now: datetime) -> None:
        """A suspension from ``since`` ends: running clocks are pushed back by the time it lasted
        (for each, at most the time it has been running)."""
        ...


class Store(Protocol):
    """Where the desk's state lives."""

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Begin a unit of work; leaving the block commits, an exception rolls back."""
        ...

    def snapshot(self) -> AbstractAsyncContextManager[Transaction]:
        """Read the latest committed state without taking part in writes (writing raises).

        For work that only looks, such as an effect gathering what it will show: it never
        waits for, nor delays, a unit of work that writes.
        """
        ...


class AgentDesk(Protocol):
    """Where agents work (Slack): one thread per ticket. Refs are opaque strings the desk issues.

    Texts are shown exactly as written, whoever wrote them; only :class:`core.markup.Markup`
    (mentions, links) is read as markup.
    """

    async def post_ticket(self, view: TicketView) -> str:
        """Post a ticket's parent message; returns the thread ref."""
        ...

    async def update_ticket(self, thread_ref: str, view: TicketView) -> None:
        """Redraw a ticket's parent message."""
        ...

    async def post_in_thread(
        self, thread_ref: str, text: str, *, author: str | None = None, key: str | None = None
    ) -> str:
        """Post a reply in a ticket's thread, optionally shown as written by ``author``; returns its ref.

        ``key`` travels with the post (Slack message metadata) so :meth:`find_in_thread` can
        tell later whether a post whose answer was lost did appear.
        """
        ...

    async def find_in_thread(self, thread_ref: str, key: str) -> str | None:
        """The ref of the reply posted with ``key`` in the thread, or None if there is none."""
        ...

    async def upload_to_thread(self, thread_ref: str, file: BinaryIO, info: FileInfo, comment: str) -> str:
        """Upload ``info.size`` bytes read from ``file`` (streamed, never whole in memory) into a
        ticket's thread; returns a ref."""
        ...

    async def react(self, message_ref: str, emoji: str) -> None:
        """Add an emoji reaction to a message on the desk (``emoji`` is a Unicode emoji)."""
        ...

    async def download(self, file_ref: str, limit: int) -> FileData:
        """Fetch a file an agent attached; :class:`core.errors.FileTooLarge` past ``limit`` bytes."""
        ...

    async def post_to_channel(self, channel: str, text: str) -> str:
        """Post a message at the top of a desk channel (a tier's channel); returns its ref."""
        ...

    async def permalink(self, ref: str) -> str:
        """A link that opens this message (a ticket's thread) on the desk."""
        ...

    async def post_context(self, thread_ref: str, text: str) -> str:
        """Post a small, quiet line in a thread (the AI's triage); returns its ref."""
        ...

    async def post_draft(self, thread_ref: str, draft: DraftView) -> str:
        """Post an AI draft with its Enviar / Editar / Descartar buttons; returns its ref."""
        ...

    async def update_draft(self, draft_ref: str, draft: DraftView) -> None:
        """Redraw a draft once an agent decided (the buttons give way to who did what)."""
        ...

    def mention_user(self, user: str) -> Markup:
        """How to name an agent in a desk message so they are notified."""
        ...

    def mention_group(self, group: str) -> Markup:
        """How to name a group of agents (a tier) in a desk message so they are notified."""
        ...

    def link(self, url: str, label: str) -> Markup:
        """How to write ``label`` linking to ``url`` (a permalink) in a desk message."""
        ...


class CustomerChannel(Protocol):
    """A messaging platform customers write from (WhatsApp, Telegram)."""

    async def send_text(self, to: str, text: str, *, tracker: str | None = None) -> str:
        """Send text; returns the platform's message id.

        ``tracker`` travels with the message and comes back in its status reports where the
        platform supports it (WhatsApp's ``biz_opaque_callback_data``), so a send whose answer
        was lost can still be recognised.
        """
        ...

    async def send_template(
        self, to: str, template: str, language: str, text: str, *, tracker: str | None = None
    ) -> str:
        """Send an approved message template whose one body parameter is ``text`` (WhatsApp's way
        to write first, outside the 24-hour window); returns the platform's message id.

        Raises :class:`core.errors.PermanentError` on a platform without templates.
        """
        ...

    async def send_file(self, to: str, file: FileData, caption: str | None) -> str:
        """Send a file as the best-fitting media type; returns the platform's message id."""
        ...

    async def send_choices(self, to: str, text: str, choices: Sequence[Choice], button: str) -> str:
        """Offer options to pick from (a rating, a menu); the pick comes back as ``choice_id``.

        ``button`` labels the control that opens a long list where the platform needs one.
        Returns the platform's message id.
        """
        ...

    async def download(self, attachment: Attachment, into: BinaryIO, limit: int) -> FileInfo:
        """Write a file the customer sent into ``into``, chunk by chunk.

        Raises :class:`core.errors.FileTooLarge` when the platform declares more than ``limit``
        bytes (before downloading) or sends more (reading stops there).
        """
        ...

    async def mark_read(self, external_id: str) -> None:
        """Show the customer that their messages were read."""
        ...


class KnowledgeBase(Protocol):
    """Searchable help articles that ground the AI's drafts and the agents' answers."""

    async def search(self, query: str, limit: int = 3) -> list[ArticleHit]:
        """The articles that best answer ``query``, best first (empty when nothing fits)."""
        ...


class QueueReader(Protocol):
    """Read-only views of the open tickets for the queue, commands and the App Home."""

    async def open_tickets(self, limit: int, assignee: str | None = None) -> list[QueueItem]:
        """Open tickets (of one assignee, or all), breached first, then by nearest due time."""
        ...

    async def open_count(self) -> int:
        """How many tickets are open."""
        ...

    async def queue_item(self, ticket_id: int) -> QueueItem | None:
        """One ticket, open or not, as the queue shows it."""
        ...

    async def customer_by_address(self, addresses: list[str]) -> tuple[Customer, datetime] | None:
        """The customer at one of these addresses (any channel) and when they were first seen."""
        ...

    async def tickets_of_customer(self, customer_id: int, limit: int) -> list[QueueItem]:
        """The customer's latest tickets, newest first."""
        ...

    async def tier_rows(self, since: datetime) -> TierRows:
        """What the tier targets are computed from, for tickets opened since ``since``."""
        ...

    async def home_viewers(self) -> list[str]:
        """Agents who opened the App Home."""
        ...


class HomeScreen(Protocol):
    """An agent's own page on the desk (Slack's App Home)."""

    async def publish(self, agent: str, home: HomeView) -> None:
        """Draw the agent's home: their tickets, the queue and the tier targets."""


class Embedder(Protocol):
    """Turns texts into vectors whose closeness means closeness of meaning (Gemini embeddings)."""

    model: str

    async def embed(self, texts: Sequence[str], *, query: bool) -> list[list[float]]:
        """One vector per text, in order; ``query`` marks a search query rather than a document.

        Raises :class:`core.errors.TransientError` when the service cannot answer now.
        """
        ...


class PersonalDataStore(Protocol):
    """Everything stored about a customer, for LGPD access and erasure requests and retention."""

    async def find_customer(self, phone: str) -> int | None:
        """The customer reachable at this phone (any form of it), if any."""
        ...

    async def export(self, customer_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every stored row about the customer, by table."""
        ...

    async def erase(self, customer_id: int) -> dict[str, int]:
        """Erase the customer's personal data, keeping anonymous counts; rows touched by table."""
        ...

    async def expire_bodies(self, before: datetime) -> int:
        """Blank message bodies older than ``before``; how many were blanked."""
        ...


class LanguageModel(Protocol):
    """A model the AI core asks to transcribe, classify, draft or review (Gemini, OpenAI, offline rules).

    ``generate`` returns the raw answer and its token counts, or raises
    :class:`core.ai.schema.ModelFailure` saying why it could not (timeout, HTTP error,
    malformed or empty answer, audio it cannot hear); the core validates the answer
    against ``request.schema`` itself.
    """

    provider: str
    model: str

    async def generate(self, request: ModelRequest) -> ModelResult:
        """Answer one request."""


class ArticleStore(KnowledgeBase, Protocol):
    """The knowledge base as the learning loop uses it: search, read and publish articles."""

    async def get(self, slug: str) -> Article | None:
        """An article by slug."""
        ...

    async def upsert(self, article: Article, at: datetime) -> ImportOutcome:
        """Add or replace the article with this slug."""
        ...


class ReviewBoard(Protocol):
    """Where people review proposed articles (a Slack channel with Publicar / Editar / Descartar)."""

    async def post_candidate(self, candidate: Candidate) -> str:
        """Show a proposal with its buttons; returns a ref for redrawing it."""
        ...

    async def update_candidate(self, ref: str, candidate: Candidate) -> None:
        """Redraw a proposal (edited, published or discarded)."""
        ...


class BroadcastBoard(Protocol):
    """Where supervisors follow a broadcast (a Slack message with a progress bar and its buttons)."""

    async def post_progress(self, broadcast: Broadcast, tally: Tally) -> str:
        """Post the progress message (in the broadcast's thread, if it has one); returns its ref."""
        ...

    async def update_progress(self, ref: str, broadcast: Broadcast, tally: Tally) -> None:
        """Redraw the progress message."""
        ...


class CrisisBoard(Protocol):
    """Where a crisis is followed (a Slack thread in the crisis channel)."""

    async def post_crisis(self, crisis: Crisis, scenario: Scenario) -> str:
        """Post the crisis message (facts, stakeholders called); returns the thread ref."""
        ...

    async def update_crisis(self, thread_ref: str, crisis: Crisis, scenario: Scenario) -> None:
        """Redraw the crisis message (its status)."""
        ...

    async def post_update(self, thread_ref: str, text: str) -> str:
        """Post a line in the crisis thread; returns its ref."""
        ...
