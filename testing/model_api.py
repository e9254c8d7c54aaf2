"""Shared machinery of the fake language-model APIs (Gemini, OpenAI): scripted answers, faults, token counts.

A fake answers each request for the task its response schema reveals (classification,
draft, review, summary; no schema with audio = transcription). Unless a test scripts an answer,
it answers sensibly by running the app's offline rules on the customer message found in
the prompt's data block, so the same fakes drive tests, benchmarks and a local sandbox.
``reply(task, raw)`` scripts the next answers (a dict is sent as JSON, a string verbatim:
malformed JSON, an empty answer, an injection echo); ``fail``/``delay`` come from
:class:`FakeServer` (HTTP errors with Retry-After, timeouts).
"""

from __future__ import annotations

import json
import re
from collections import deque
from typing import Any

from core.ai import offline
from core.ai.schema import Classification, ModelRequest, Subject, Task
from core.ai.summary import extractive
from core.kb.model import ArticleHit

from .fake_server import FakeServer

_DATA = re.compile(r"<dados>\s*(.*?)\s*</dados>", re.S)
DEFAULT_TRANSCRIPT = "Oi, tudo bem? Não consigo entrar na plataforma, a minha senha não funciona."


def task_of(schema: dict[str, Any] | None, has_audio: bool) -> Task:
    """Which step a request serves, read from the JSON schema it asks for."""
    properties = set((schema or {}).get("properties") or {})
    if "category" in properties:
        return Task.CLASSIFY
    if "likely_resolved" in properties:
        return Task.REVIEW
    if "summary" in properties:
        return Task.SUMMARIZE
    if "text" in properties:
        return Task.DRAFT
    return Task.TRANSCRIBE if has_audio else Task.DRAFT


def data_block(prompt: str) -> dict[str, Any]:
    """The JSON data block of a prompt (the customer's message and the grounding), or {}."""
    found = _DATA.search(prompt)
    if not found:
        return {}
    try:
        parsed = json.loads(found.group(1))
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class FakeModelAPI(FakeServer):
    """Base of the fake model servers: what to answer, and what the requests contained."""

    def __init__(self, *, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(token=token, host=host, port=port)
        self.scripted: dict[Task, deque[dict[str, Any] | str]] = {task: deque() for task in Task}
        self.transcript = DEFAULT_TRANSCRIPT
        self.review_confidence = 0.9
        self.prompts: list[tuple[Task, str, str]] = []
        """(task, system instructions, user content) of every request, oldest first."""

    def reply(self, task: Task | str, answer: dict[str, Any] | str, times: int = 1) -> None:
        """Answer the next ``times`` requests of ``task`` with ``answer`` (dict -> JSON, str -> verbatim)."""
        for _ in range(times):
            self.scripted[Task(task)].append(answer)

    def calls_for(self, task: Task | str) -> list[tuple[Task, str, str]]:
        """The prompts received for one task."""
        return [p for p in self.prompts if p[0] is Task(task)]

    def answer(self, task: Task, instructions: str, content: str) -> str:
        """The raw text the model answers with."""
        self.prompts.append((task, instructions, content))
        if self.scripted[task]:
            scripted = self.scripted[task].popleft()
            return scripted if isinstance(scripted, str) else json.dumps(scripted, ensure_ascii=False)
        if task is Task.TRANSCRIBE:
            return self.transcript
        data = data_block(content)
        message = str(data.get("mensagem_do_cliente") or "")
        if task is Task.CLASSIFY:
            return offline.classify(message).model_dump_json()
        if task is Task.SUMMARIZE:
            lines = [str(line) for line in data.get("conversa") or []]
            return json.dumps({"summary": extractive(lines) or "-"}, ensure_ascii=False)
        if task is Task.REVIEW:
            return json.dumps(
                {
                    "confidence": self.review_confidence,
                    "likely_resolved": self.review_confidence >= 0.8,
                    "suggest_human_followup": self.review_confidence < 0.8,
                }
            )
        classification = data.get("classificacao")
        subject = Subject(
            text=message,
            language=str(data.get("idioma_da_resposta") or "pt-BR"),
            classification=Classification.model_validate(classification) if classification else None,
            script=data.get("roteiro"),
            sources=tuple(
                ArticleHit(
                    slug="", title=a["titulo"], category="", body=a["texto"], score=1.0, url=a.get("link")
                )
                for a in data.get("artigos") or []
            ),
        )
        request = ModelRequest(task=Task.DRAFT, instructions="", content="", subject=subject)
        return offline.draft(request).model_dump_json()

    @staticmethod
    def tokens(text: str) -> int:
        """A rough token count (4 characters a token), enough for cost and benchmark figures."""
        return max(1, len(text) // 4)
