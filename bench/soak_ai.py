"""The AI half of the soak: the model fakes with random faults, and the reconciliation of what the AI did.

The bot runs with Gemini as the primary model and OpenAI as the escalation model, both
fakes in the soak's process (they answer from the offline rules, as in the tests). Faults:
timeouts (an answer slower than ``AI_TIMEOUT_SECONDS``), HTTP 5xx and malformed output
(broken JSON, an empty answer, JSON that fails the schema) on a random step.

The reconciliation reads the database and what the fakes received: every customer message
the AI reads has a triage (an AI outcome, or a hand-off to a person), each triage line,
escalation alert, draft and automatic answer appears in its ticket's Slack thread exactly
once, and every outbound WhatsApp message stored was sent exactly once. A post or send
repeated within the kill window is counted apart: that is the at-least-once window.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.ai import texts as ai_texts
from core.ai.schema import Task
from handlers.slack.ai_blocks import DRAFT_SEND
from testing.fake_server import Call
from testing.gemini_api import FakeGeminiAPI
from testing.openai_api import FakeOpenAIAPI
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_graph import FakeGraphAPI

GEMINI_KEY = "soak-gemini-key"
OPENAI_KEY = "soak-openai-key"
AI_TIMEOUT = 2.0
MALFORMED = ("{não é json", "", '{"text": 42}', "```json\n{}\n```", "null")
AI_CATEGORY = "🤖 "
AI_REPLY_SHOWN = "Resposta automática enviada"
ALERT = "Atendimento humano necessário"

# What customers write: questions the bundled articles answer, greetings and thanks the AI may
# answer by itself, and messages the escalation rules hand to a person at once.
CUSTOMER_TEXTS = (
    "preciso de ajuda",
    "oi, bom dia!",
    "não consigo entrar na plataforma, esqueci minha senha",
    "como faço para emitir a segunda via do boleto?",
    "o aplicativo está travando quando abro o relatório",
    "quero cancelar e pedir reembolso, que absurdo",
    "vou processar vocês e reclamar no procon",
    "obrigado, resolveu!",
    "como altero o e-mail da minha conta?",
    "fui cobrado duas vezes este mês",
)


def ai_env(gemini: FakeGeminiAPI, openai: FakeOpenAIAPI) -> dict[str, str]:
    """The bot's settings for the AI against the two fakes."""
    return {
        "AI_ENABLED": "true",
        "GEMINI_API_KEY": GEMINI_KEY,
        "GEMINI_API_URL": gemini.url,
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": openai.url + "/v1",
        "AI_TIMEOUT_SECONDS": str(AI_TIMEOUT),
    }


def models() -> tuple[FakeGeminiAPI, FakeOpenAIAPI]:
    """The two model fakes (start them with ``async with``)."""
    return FakeGeminiAPI(api_key=GEMINI_KEY), FakeOpenAIAPI(api_key=OPENAI_KEY)


def inject_ai_fault(rng: random.Random, gemini: FakeGeminiAPI, openai: FakeOpenAIAPI) -> str:
    """One random model fault for the next few calls; returns its name for the tally."""
    fake, method = rng.choice([(gemini, "generateContent"), (openai, "chat.completions")])
    times = rng.randint(1, 5)
    kind = rng.choice(["ai_timeout", "ai_5xx", "ai_malformed"])
    if kind == "ai_timeout":
        fake.delay(method, AI_TIMEOUT + 1.0, times=times)
    elif kind == "ai_5xx":
        fake.fail(method, status=rng.choice([500, 503]), times=times)
    else:
        fake.reply(rng.choice([Task.CLASSIFY, Task.DRAFT, Task.REVIEW]), rng.choice(MALFORMED), times=times)
    return kind


class TimedGraph(FakeGraphAPI):
    """The Graph fake, noting when each accepted send happened (to tell a kill's duplicates apart)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent_at: dict[str, float] = {}

    async def _messages(self, request: web.Request, call: Call) -> web.StreamResponse:
        before = len(self.sent)
        response = await super()._messages(request, call)
        for sent in self.sent[before:]:
            self.sent_at[sent["id"]] = time.time()
        return response


class TimedSlack(FakeSlackAPI):
    """The Slack fake, noting when each message was stored and which AI draft a post carried."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.posted_at: dict[str, float] = {}
        self.draft_of: dict[str, int] = {}
        """ts -> draft id, kept after an agent's decision redraws the post without its buttons."""

    async def _post_message(self, request: web.Request, call: Call) -> web.StreamResponse:
        known = set(self.messages)
        response = await super()._post_message(request, call)
        for key in set(self.messages) - known:
            self.posted_at[key[1]] = time.time()
            if (draft := pending_draft([self.messages[key]])) is not None:
                self.draft_of[key[1]] = int(draft)
        return response


def pending_draft(posts: Iterable[dict]) -> str | None:
    """The id of a draft in a thread that no agent has decided yet, if any."""
    for post in posts:
        blocks = post.get("blocks") or []
        for block in blocks:
            for element in block.get("elements") or []:
                if element.get("action_id") == DRAFT_SEND:
                    return str(element["value"])
    return None


@dataclass
class Tally:
    """Expected against posted (or sent) for one kind of effect; extras carry their time."""

    name: str
    expected: int = 0
    present: int = 0
    missing: int = 0
    extra_times: list[float] = field(default_factory=list)

    def compare(self, expected: Counter[Any], seen: dict[Any, list[float]]) -> None:
        """Add the counts of one ticket (or one key space): keys expected n times, seen at these times."""
        for key, n in expected.items():
            times = sorted(seen.get(key, []))
            self.expected += n
            self.present += min(n, len(times))
            self.missing += max(0, n - len(times))
            # The same text can rightly recur in a ticket ("Olá!"), so which post is the extra
            # one? A redo comes right after the post it repeats: the closest ones are extras.
            closest = sorted(range(1, len(times)), key=lambda i: times[i] - times[i - 1])
            self.extra_times.extend(times[i] for i in closest[: max(0, len(times) - n)])
        for key, times in seen.items():
            if key not in expected:
                self.extra_times.extend(times)

    def line(self, near_kill: Callable[[float], bool]) -> str:
        """One line of the report; duplicates at a kill are counted apart."""
        near = sum(1 for t in self.extra_times if near_kill(t))
        return (
            f"  {self.name}: {self.expected} expected, {self.present} present, missing: {self.missing}, "
            f"duplicated: {len(self.extra_times)} ({len(self.extra_times) - near} away from a kill)"
        )

    def ok(self, near_kill: Callable[[float], bool]) -> bool:
        """Nothing missing, and every duplicate at a kill."""
        return self.missing == 0 and all(near_kill(t) for t in self.extra_times)


def reconcile_ai(
    conn: sqlite3.Connection,
    graph: TimedGraph,
    slack: TimedSlack,
    inbound: re.Pattern[str],
    near_kill: Callable[[float], bool],
    drafts_sent: int,
) -> tuple[list[str], bool]:
    """What the AI did with every customer message, and whether each of its effects happened once."""
    messages = conn.execute(
        "SELECT m.id, m.body, t.decision, t.reason FROM messages m LEFT JOIN ai_triage t"
        " ON t.ticket_id = m.ticket_id AND m.id BETWEEN t.message_id AND COALESCE(t.through_message_id, t.message_id)"
        " WHERE m.direction = 'in'"
    ).fetchall()
    decisions: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    untriaged = []
    for message_id, body, decision, reason in messages:
        if not inbound.search(body or ""):
            continue
        if decision is None:
            untriaged.append(message_id)
            continue
        decisions[decision.partition(":")[0]] += 1
        if reason:
            reasons[reason] += 1

    threads = dict(conn.execute("SELECT id, thread_ref FROM tickets WHERE thread_ref IS NOT NULL"))
    posts: dict[tuple[int, str], list[float]] = {}
    line_posts: dict[tuple[int, str], list[float]] = {}
    ticket_of_ts = {ref.split(":")[-1]: ticket for ticket, ref in threads.items()}
    draft_posts: dict[int, list[float]] = {}
    for (_, ts), post in slack.messages.items():
        ticket = ticket_of_ts.get(post.get("thread_ts") or "")
        if ticket is None or post.get("thread_ts") == ts:
            continue
        at = slack.posted_at.get(ts, 0.0)
        text = post.get("text") or ""
        if text.startswith(AI_CATEGORY):  # the triage line leads the AI's alert, draft or answer
            line, _, text = text.partition("\n")
            line_posts.setdefault((ticket, line), []).append(at)
        if ts in slack.draft_of:
            draft_posts.setdefault(slack.draft_of[ts], []).append(at)
            continue
        posts.setdefault((ticket, text), []).append(at)

    triage_lines, alerts, shown = Tally("triage lines"), Tally("escalation alerts"), Tally("AI answers shown")
    expected_lines: Counter[tuple[int, str]] = Counter()
    expected_alerts: Counter[tuple[int, str]] = Counter()
    for row in conn.execute(
        "SELECT ticket_id, category, urgency, sentiment, confidence, model, cost_usd, decision, tier,"
        " tier_reason, requires_human, reason, why, messages_read FROM ai_triage"
    ):
        (
            ticket,
            category,
            urgency,
            sentiment,
            confidence,
            model,
            cost,
            decision,
            tier,
            tier_reason,
            human,
            reason,
            explanation,
            read,
        ) = row
        kind, _, flag = decision.partition(":")
        line = ai_texts.ai_triage_line(
            category,
            urgency,
            sentiment,
            confidence,
            model,
            cost,
            kind,
            tier,
            tier_reason,
            flag == "injection",
            explanation,
            read,
        )
        expected_lines[(ticket, line)] += 1
        if human:
            expected_alerts[(ticket, ai_texts.ai_escalation_alert("", reason))] += 1
    triage_lines.compare(expected_lines, line_posts)
    alerts.compare(expected_alerts, {k: v for k, v in posts.items() if ALERT in k[1]})
    # Each answer the AI sent is shown by the ShowAIReply row written with it, and the post's
    # ts is recorded on the message: any other post of an answer is a repeat.
    expected_shown: Counter[str] = Counter()
    for (desk_ref,) in conn.execute(
        "SELECT m.desk_ref FROM outbox o"
        " JOIN messages m ON m.id = json_extract(o.payload, '$.message_id') WHERE o.kind = 'ShowAIReply'"
    ):
        expected_shown[(desk_ref or "not shown").rpartition(":")[2]] += 1
    shown.compare(
        expected_shown,
        {
            ts: [slack.posted_at.get(ts, 0.0)]
            for (_, ts), post in slack.messages.items()
            if AI_REPLY_SHOWN in (post.get("text") or "")
        },
    )

    drafts = Tally("drafts posted")
    drafts.compare(Counter({d: 1 for (d,) in conn.execute("SELECT id FROM ai_drafts")}), draft_posts)

    outbound = whatsapp_sends(conn, graph)
    ai_calls = dict(conn.execute("SELECT outcome, COUNT(*) FROM ai_calls GROUP BY 1"))
    lines = [
        f"AI: customer messages triaged: {sum(decisions.values())} ({dict(decisions)}), "
        f"without an AI outcome or hand-off: {len(untriaged)}",
        f"  hand-off reasons: {dict(reasons)}; drafts sent by agents: {drafts_sent}",
        f"  model calls by outcome: {ai_calls}",
    ]
    tallies = [triage_lines, alerts, drafts, shown, outbound]
    lines += [t.line(near_kill) for t in tallies]
    if untriaged:
        lines.append(f"  messages without triage: {untriaged[:20]}")
    return lines, not untriaged and all(t.ok(near_kill) for t in tallies)


def whatsapp_sends(conn: sqlite3.Connection, graph: TimedGraph) -> Tally:
    """Every stored outbound text against the Graph API's accepted sends.

    A message stores the id (wamid) of the send that delivered it, so an accepted send of a
    text whose id no message holds is a repeat.
    """
    expected: Counter[str] = Counter()
    for (wamid,) in conn.execute(
        "SELECT external_id FROM messages WHERE direction = 'out' AND kind = 'text'"
    ):
        expected[wamid or "not sent"] += 1
    seen = {
        sent["id"]: [graph.sent_at.get(sent["id"], 0.0)] for sent in graph.sent if sent.get("type") == "text"
    }
    tally = Tally("WhatsApp texts sent (agents, AI, notices)")
    tally.compare(expected, seen)
    return tally
