"""Builds the AI core from settings: which models fill the chain, the reply policy, the runners."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.settings import AISettings, Settings
from core.ai.chain import DEFAULT_PRICES, ModelChain, PriceTable
from core.ai.desk_posts import AIDeskPosts
from core.ai.effects import AnswerWithAI
from core.ai.health import ModelHealth
from core.ai.offline import OfflineModel
from core.ai.pipeline import Assistant, SolutionFinder
from core.ai.policy import ReplyPolicy
from core.ai.ports import LanguageModel
from core.ai.responder import AIResponder, TicketRouting
from core.ai.summary import ConversationSummarizer
from core.ai.triage_model import TriageModel, desk_model_path
from core.common.business_hours import BusinessHours
from core.common.clock import Clock
from core.customers.model import Channel
from core.delivery.ports import AgentDesk, CustomerChannel
from core.delivery.runner import EffectRunner
from core.kb.ports import KnowledgeBase
from core.kb.solutions import TechnicalSolutions
from core.unit_of_work import Store, Transaction

if TYPE_CHECKING:  # the desk's wiring is not loaded by the CLI commands that use this module
    from bot.bootstrap.desk import Desk
    from storage.sqlite.kb.index import SqliteKnowledgeBase

Closer = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)


def build_chain(settings: AISettings) -> tuple[ModelChain, list[Closer]]:
    """Primary (Gemini) -> escalation (OpenAI) -> offline, keeping only the models with a key."""
    models: list[LanguageModel] = []
    closers: list[Closer] = []
    escalation = None
    # each SDK is imported only when its key is set: about 20 MB and half a second apiece
    if settings.gemini_api_key:
        from handlers.models.gemini import GeminiModel

        gemini = GeminiModel(
            settings.gemini_api_key,
            settings.gemini_model,
            settings.gemini_api_url or None,
            settings.ai_timeout_seconds,
            settings.gemini_thinking_budget,
        )
        models.append(gemini)
        closers.append(gemini.close)
    if settings.openai_api_key:
        from handlers.models.openai import OpenAIModel

        openai = OpenAIModel(
            settings.openai_api_key,
            settings.openai_model,
            settings.openai_base_url or None,
            settings.ai_timeout_seconds,
        )
        if models:
            escalation = len(models)
        models.append(openai)
        closers.append(openai.close)
    models.append(OfflineModel(desk_classifier(settings.database_path)))
    # the chain's own timeout backs up the SDKs' (a hung connection pool must not hold the job)
    chain = ModelChain(
        models,
        prices(settings),
        settings.ai_timeout_seconds + 2,
        escalation_step=escalation,
        health=ModelHealth(settings.ai_fallback_alert_after),
    )
    return chain, closers


def desk_classifier(database_path: str) -> TriageModel | None:
    """The desk's own offline model (``atende ai train`` writes it next to the database), if any.

    A file that cannot be read is reported and the shipped model used: a bad retrain must
    not stop the desk from triaging.
    """
    path = desk_model_path(database_path)
    if not path.exists():
        return None
    try:
        return TriageModel.load(path)
    except (OSError, ValueError, KeyError) as error:
        log.warning("offline triage model %s unreadable (%s): using the shipped one", path, error)
        return None


def prices(settings: AISettings) -> PriceTable:
    """The default price table with AI_PRICES (JSON: {"model": [input, output] per million tokens}) on top."""
    table = dict(DEFAULT_PRICES)
    if settings.ai_prices:
        table.update(
            {name: (float(pair[0]), float(pair[1])) for name, pair in json.loads(settings.ai_prices).items()}
        )
    return PriceTable(table)


def policy(settings: AISettings) -> ReplyPolicy:
    """AI_AUTOREPLY, AI_CONFIDENCE_THRESHOLD and AI_AUTOREPLY_CATEGORIES as one policy."""
    return ReplyPolicy(
        mode=settings.ai_autoreply,
        threshold=settings.ai_confidence_threshold,
        allowed_categories=frozenset(settings.autoreply_categories),
        link_hosts=[host] if (host := urlsplit(settings.help_center_url).hostname) else [],
    )


def wire(
    settings: Settings,
    chain: ModelChain,
    store: Store[Transaction],
    desk: AgentDesk,
    channels: Mapping[Channel, CustomerChannel],
    clock: Clock,
    hours: BusinessHours,
    runner: EffectRunner,
    routing: TicketRouting,
    knowledge: KnowledgeBase | None = None,
    solutions: SolutionFinder | None = None,
) -> None:
    """Teach the effect runner the AI's jobs and posts (``chain``: :func:`build_chain`'s)."""
    reply_policy = policy(settings)
    assistant = Assistant(chain, knowledge, reply_policy, solutions)
    responder = AIResponder(
        store,
        assistant,
        channels,
        clock,
        reply_policy,
        hours,
        routing,
        (chain.health, settings.slack_support_channel),
    )
    posts = AIDeskPosts(store, desk, runner.thread_of, settings.ai_oncall_group)
    runner.extend({AnswerWithAI: responder.answer, **posts.handlers()})
    runner.on_give_up(AnswerWithAI, responder.gave_up)


def summarizer(settings: Settings, chain: ModelChain) -> ConversationSummarizer:
    """The escalation package's summariser: through the models when the AI is on, else extractive."""
    return ConversationSummarizer(chain if settings.ai_enabled else None)


def build_ai(
    settings: Settings,
    chain: ModelChain,
    store: Store[Transaction],
    desk: Desk,
    channels: Mapping[Channel, CustomerChannel],
    clock: Clock,
    knowledge: SqliteKnowledgeBase,
) -> TechnicalSolutions:
    """The AI's jobs on the desk; returns the technical solutions it answers from."""
    # known technical problems answered from the base, the rest escalated to tier 2
    technical = TechnicalSolutions(knowledge, desk.support.escalate)
    wire(
        settings,
        chain,
        store,
        desk.slack_desk,
        channels,
        clock,
        desk.hours,
        desk.runner,
        desk.support,
        knowledge,
        technical,
    )
    return technical
