"""The running bot with the AI core on, between fake Gemini, fake OpenAI, fake WhatsApp and fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.bootstrap.app import Atende
from testing.clock import FixedClock
from testing.gemini_api import FakeGeminiAPI
from testing.openai_api import FakeOpenAIAPI
from testing.slack.api import FakeSlackAPI
from testing.slack_payloads import slack_block_action, slack_view_submission
from testing.whatsapp_graph import FakeGraphAPI
from tests.conftest import CHANNEL, Desk, make_settings

GEMINI_KEY = "gemini-test-key"
OPENAI_KEY = "openai-test-key"
# Wednesday 25 November 2026, 10:00 in São Paulo: the desk is open. Injected times lie in the past:
# effects are stamped with them, and the outbox delivers what is due by the wall clock.
OPEN = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


class AIDesk(Desk):
    """A started bot with the AI on, plus the model fakes and draft buttons."""

    def __init__(self, desk: Desk, gemini: FakeGeminiAPI, openai: FakeOpenAIAPI, clock: FixedClock) -> None:
        super().__init__(desk.bot, desk.graph, desk.slack, desk.http)
        self.gemini = gemini
        self.openai = openai
        self.clock = clock

    def thread(self) -> list[dict]:
        """The ticket's thread (the first top-level post; a tier escalation may post another)."""
        return self.thread_of(self.parents()[0])

    def texts(self) -> list[str]:
        """Texts of the only ticket's thread, in order."""
        return [m.get("text", "") for m in self.thread()]

    def alerts(self) -> list[str]:
        """The AI's alerts that a person must take over, each posted under its message's triage line."""
        return [post.partition("\n")[2] for post in self.texts() if post.startswith("🤖") and "\n🚨" in post]

    def sent_texts(self) -> list[str]:
        """What the customer received on WhatsApp, in order."""
        return [
            c.params["text"]["body"]
            for c in self.graph.calls_to("messages")
            if c.params.get("type") == "text"
        ]

    def draft_posts(self) -> list[dict]:
        """Draft messages in the thread (the ones with the AI draft header)."""
        return [m for m in self.thread() if "Rascunho da IA" in str(m.get("blocks"))]

    async def press(self, action_id: str, draft_id: int, user: str = "UAGENT") -> None:
        """Click a draft button as ``user``."""
        parent = self.parents()[0]  # a tier escalation may post another top-level message
        body = slack_block_action(
            action_id, str(draft_id), user_id=user, channel=CHANNEL, message_ts=parent["ts"]
        )
        response = await self.slack_event(body, content_type="application/x-www-form-urlencoded")
        assert response.status == 200

    async def submit_edit(self, draft_id: int, text: str, user: str = "UAGENT") -> aiohttp.ClientResponse:
        """Submit the Editar modal with ``text``."""
        values = {"draft": {"text": {"type": "plain_text_input", "value": text}}}
        body = slack_view_submission(
            "ai.draft.edit_modal", values, user_id=user, private_metadata=str(draft_id)
        )
        return await self.slack_event(body, content_type="application/x-www-form-urlencoded")


StartAIDesk = Callable[..., Awaitable[AIDesk]]


@pytest.fixture
async def gemini() -> AsyncIterator[FakeGeminiAPI]:
    async with FakeGeminiAPI(api_key=GEMINI_KEY) as fake:
        yield fake


@pytest.fixture
async def openai() -> AsyncIterator[FakeOpenAIAPI]:
    async with FakeOpenAIAPI(api_key=OPENAI_KEY) as fake:
        yield fake


@pytest.fixture
async def start_ai_desk(
    tmp_path: Path, graph: FakeGraphAPI, slack: FakeSlackAPI, gemini: FakeGeminiAPI, openai: FakeOpenAIAPI
) -> AsyncIterator[StartAIDesk]:
    """Start the bot with the AI on (Gemini primary, OpenAI escalation unless turned off); stopped at teardown."""
    started: list[Atende] = []
    async with aiohttp.ClientSession() as http:

        async def start(
            *, at: datetime = OPEN, use_gemini: bool = True, use_openai: bool = True, **overrides: Any
        ) -> AIDesk:
            # generous: a model call on a loaded CI machine (first SDK use) must not pass for a timeout;
            # the timeout tests set their own
            values: dict[str, Any] = dict(ai_enabled=True, ai_timeout_seconds=5.0)
            if use_gemini:
                values.update(gemini_api_key=GEMINI_KEY, gemini_api_url=gemini.url)
            if use_openai:
                values.update(openai_api_key=OPENAI_KEY, openai_base_url=openai.url + "/v1")
            values.update(overrides)
            clock = FixedClock(at)
            bot = Atende(make_settings(tmp_path / "atende.db", graph.url, slack.url, **values), clock=clock)
            await bot.start()
            started.append(bot)
            return AIDesk(Desk(bot, graph, slack, http), gemini, openai, clock)

        yield start
        for bot in started:
            await bot.stop()


@pytest.fixture
async def ai_desk(start_ai_desk: StartAIDesk) -> AIDesk:
    """The bot with the AI on, default settings, during business hours."""
    return await start_ai_desk()
