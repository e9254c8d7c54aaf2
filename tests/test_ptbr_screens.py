"""Everything a full demo run shows on Slack, read as a Brazilian agent would.

Every demo scenario is played with the offline AI on, a customer rates, and the supervisor
asks for help, the queue, the report (after the first conversation and again at the end) and
opens her App Home; then every text the bot gave Slack (messages, updates, ephemerals, modals,
command answers, file comments) is scanned for codes that are not Portuguese (``billing``,
``high``, ``support_team``…), for "1 tickets" and for a word said twice ("anunciar anunciar").
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, get_args

import aiohttp
import pytest

from bot.demo.app import Demo
from bot.demo.customers import DEFAULT_CUSTOMERS
from bot.demo.scenarios import SCENARIOS, play
from core.ai.schema import CATEGORIES, REASONS, URGENCIES, Signal
from core.crisis.scenarios import SCENARIOS as CRISES
from core.tickets.model import TicketStatus

MARIA = DEFAULT_CUSTOMERS[0].phone
CARLA = "U0CARLA"
# codes the desk keeps in English; "legal" is left out because it is also a Portuguese word
ENGLISH_CODES = (
    {*CATEGORIES, *URGENCIES, *REASONS, *get_args(Signal), *(s.value for s in TicketStatus)}
    | {name for crisis in CRISES.values() for name in crisis.stakeholders}
) - {"legal"}
SHOWN_KEYS = ("text", "initial_value", "initial_comment", "alt_text", "title", "placeholder")


def shown_texts(value: Any) -> Iterator[str]:
    """The strings of a Slack payload that people read (not ids, values or metadata)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SHOWN_KEYS and isinstance(item, str):
                yield item
            elif key not in ("value", "action_id", "block_id", "callback_id", "private_metadata", "url"):
                yield from shown_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from shown_texts(item)
    elif isinstance(value, str) and value[:1] in "[{":  # blocks and views arrive as JSON strings
        try:
            yield from shown_texts(json.loads(value))
        except ValueError:
            return


def readable(text: str) -> str:
    """The words of a mrkdwn text: code spans, links, mentions and markup left out."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"<[^>|]*\|([^>]*)>", r" \1 ", text)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"[*_~]", "", text)


def problems(text: str) -> list[str]:
    words = readable(text)
    found = [
        f"código em inglês {code!r}"
        for code in ENGLISH_CODES
        if re.search(rf"(?<![\w/.@:-]){re.escape(code)}(?![\w/.-])", words)
    ]
    found += [f"plural com 1: {m.group(0)!r}" for m in re.finditer(r"(?<![\d.,])\b1 [^\W\d]+s\b", words)]
    spoken = re.sub(r"[`*_~]", "", text)  # a command's name counts as said
    found += [f"palavra repetida: {m.group(0)!r}" for m in re.finditer(r"\b(\w{3,}) \1\b", spoken)]
    return found


@pytest.fixture
async def ai_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Demo]:
    """The demo as a newcomer runs it: the offline AI on (no keys)."""
    monkeypatch.setenv("AI_ENABLED", "true")
    for key in ("GEMINI_API_KEY", "OPENAI_API_KEY", "AI_AUTOREPLY"):
        monkeypatch.delenv(key, raising=False)
    running = Demo(port=0, database_path=str(tmp_path / "demo.db"))
    await running.start()
    yield running
    await running.stop()


async def report(demo: Demo, reports_before: int) -> None:
    assert demo.api is not None
    await demo.api.agent_command(CARLA, demo.support_channel, "relatorio hoje")
    await demo.slack.wait_for(
        lambda fake: (
            len([m for m in fake.messages.values() if "📊" in (m.get("text") or "")]) > reports_before
        ),
        timeout=60,
    )


async def test_a_full_demo_run_shows_no_english_codes_nor_wrong_plurals(ai_demo: Demo) -> None:
    demo, api = ai_demo, ai_demo.api
    assert api is not None
    await play(api, "first_login", pace=0)
    # Maria rates the conversation: the report then has one rating, one answer, one ticket
    rating = await demo.graph.wait_for(
        lambda fake: next((m for m in fake.sent_to(MARIA) if m.get("type") == "interactive"), None),
        timeout=30,
    )
    rows = [r for s in rating["interactive"]["action"].get("sections", []) for r in s["rows"]]
    five = next(r for r in rows if r["title"].startswith("5"))
    await api.customer_taps(MARIA, rating["id"], five["id"], five["title"], True)
    await demo.slack.wait_for(lambda fake: "5/5" in json.dumps(list(fake.messages.values())), timeout=30)
    await report(demo, 0)

    for name in sorted(set(SCENARIOS) - {"first_login"}):
        await play(api, name, pace=0)
    for command in ("ajuda", "fila"):
        await api.agent_command(CARLA, demo.support_channel, command)
    await report(demo, 1)
    async with aiohttp.ClientSession() as http:
        await http.post(demo.url + "api/slack/home", json={"agent": CARLA})
    await demo.slack.wait_for(lambda fake: CARLA in fake.home_tabs, timeout=30)

    # the escalation packages and the crisis post are written by the bot in its own time
    await demo.slack.wait_for(
        lambda fake: all(
            word in str([c.params for c in fake.calls]) for word in ("Classificação", "Acionados")
        ),
        timeout=30,
    )
    payloads: list[Any] = [call.params for call in demo.slack.calls]
    payloads += [held["view"] for held in demo.slack.views.values()]
    payloads += [answer for answers in api.command_answers.values() for answer in answers]
    texts = [text for payload in payloads for text in shown_texts(payload)]
    assert any("Por categoria" in t for t in texts)
    found = {(problem, text[:160]) for text in texts for problem in problems(text)}
    assert not found, "\n".join(f"{p}: {t}" for p, t in sorted(found))
