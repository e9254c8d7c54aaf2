"""The ``/suporte`` slash command: one router that features add subcommands to.

Slack drops a command not acknowledged within 3 seconds. The router runs the
subcommand and acknowledges with its answer when it comes quickly; otherwise it
acknowledges with a "working on it" line and sends the answer through the command's
``response_url`` when it is ready, so slow work (reports, exports) still answers.
Answers are ephemeral: only the person who typed the command sees them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from slack_bolt.async_app import AsyncApp

from core.tickets import texts as tickets_texts
from handlers.slack.access import SlackAccess
from handlers.slack.text import from_slack

log = logging.getLogger(__name__)

COMMAND = "/suporte"
HELP = "ajuda"
# Slack allows 3 s; leave room for the round trip.
ACK_WITHIN_SECONDS = 2.0


class Who(Enum):
    """Who may run a subcommand (agents: everyone in the workspace when no agent is configured)."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """One ``/suporte`` invocation, reduced to what subcommands need."""

    user: str
    channel: str
    team: str | None
    args: list[str]
    """The words after the subcommand name."""
    text: str
    """Everything after the subcommand name, as typed."""
    trigger_id: str
    response_url: str


@dataclass(frozen=True, slots=True)
class CommandReply:
    """What the person who typed the command sees (ephemerally)."""

    text: str
    blocks: list[dict[str, Any]] | None = None


Handler = Callable[[CommandRequest], Awaitable[CommandReply]]


@dataclass(frozen=True, slots=True)
class _Subcommand:
    handler: Handler
    help: str
    who: Who


@dataclass
class SlashCommands:
    """The registry of ``/suporte`` subcommands, attached to Bolt with :meth:`register`."""

    access: SlackAccess
    _subcommands: dict[str, _Subcommand] = field(default_factory=dict)
    _background: set[asyncio.Task[Any]] = field(default_factory=set)

    def add(self, name: str, handler: Handler, *, help: str, who: Who = Who.AGENT) -> None:
        """Make ``/suporte NAME ...`` run ``handler``; ``help`` is its line in ``/suporte ajuda``."""
        if name in self._subcommands or name == HELP:
            raise ValueError(f"subcommand {name!r} is already registered")
        self._subcommands[name] = _Subcommand(handler, help, who)

    def help_text(self) -> str:
        """Every subcommand with its one-line description, in the order features added them."""
        lines = [f"• `{COMMAND} {name}` {sub.help}" for name, sub in self._subcommands.items()]
        lines.append(f"• `{COMMAND} {HELP}` {tickets_texts.HELP_LINE}")
        return tickets_texts.COMMANDS_HEADER + "\n" + "\n".join(lines)

    def register(self, app: AsyncApp) -> None:
        """Attach the router to a Bolt app."""

        @app.command(COMMAND)
        async def suporte(ack: Any, command: dict, respond: Any) -> None:
            typed = from_slack(command.get("text") or "")  # Slack sends "P&amp;D" for P&D
            words = typed.split()
            name = words[0].lower() if words else HELP
            request = CommandRequest(
                user=command.get("user_id") or "",
                channel=command.get("channel_id") or "",
                team=command.get("team_id"),
                args=words[1:],
                text=typed.strip()[len(name) :].strip(),
                trigger_id=command.get("trigger_id") or "",
                response_url=command.get("response_url") or "",
            )
            task = asyncio.create_task(self._run(name, request))
            try:
                reply = await asyncio.wait_for(asyncio.shield(task), ACK_WITHIN_SECONDS)
            except TimeoutError:
                await ack(text=tickets_texts.WORKING_ON_IT, response_type="ephemeral")
                self._answer_later(task, respond)
                return
            await ack(text=reply.text, blocks=reply.blocks, response_type="ephemeral")

    async def _run(self, name: str, request: CommandRequest) -> CommandReply:
        sub = self._subcommands.get(name)
        if sub is None:
            unknown = tickets_texts.unknown_subcommand(name) + "\n\n" if name != HELP else ""
            return CommandReply(unknown + self.help_text())
        if sub.who is Who.SUPERVISOR and not await self.access.is_supervisor(request.user):
            await self.access.refuse(request.user, f"{COMMAND} {name}")
            return CommandReply(tickets_texts.SUPERVISORS_ONLY)
        if sub.who is Who.AGENT and not await self.access.is_agent(request.user):
            await self.access.refuse(request.user, f"{COMMAND} {name}")
            return CommandReply(tickets_texts.COMMAND_AGENTS_ONLY)
        try:
            return await sub.handler(request)
        except Exception:
            log.exception("%s %s failed", COMMAND, name)
            return CommandReply(tickets_texts.COMMAND_FAILED)

    def _answer_later(self, task: asyncio.Task[CommandReply], respond: Any) -> None:
        async def deliver() -> None:
            reply = await task
            await respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral")

        later = asyncio.create_task(deliver())
        self._background.add(later)
        later.add_done_callback(self._background.discard)
