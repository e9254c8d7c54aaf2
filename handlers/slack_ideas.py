"""``/suporte ideias``: the feature-request backlog for supervisors (list, CSV, merge, delivered).

Typed forms: ``ideias [--plano X] [--csv]``, ``ideias juntar A B`` (B folds into A) and
``ideias entregue N [message to the customers]``. Anything else answers with the usage line.
"""

from __future__ import annotations

from core import texts
from core.backlog import Backlog, plans_text, to_csv
from handlers.slack_commands import CommandReply, CommandRequest, SlashCommands, Who

TOP = 15


def _number(word: str) -> int | None:
    word = word.removeprefix("#")
    return int(word) if word.isdigit() else None


def register(commands: SlashCommands, backlog: Backlog) -> None:
    """Add the ``ideias`` subcommand."""

    async def listing(args: list[str]) -> CommandReply:
        plan: str | None = None
        as_csv = False
        words = iter(args)
        for word in words:
            if word == "--csv":
                as_csv = True
            elif word == "--plano" and (plan := next(words, None)) is not None:
                continue
            else:
                return CommandReply(texts.IDEAS_USAGE)
        tallies = await backlog.tally(plan)
        if as_csv:
            return CommandReply(f"```{to_csv(tallies)}```")
        if not tallies:
            return CommandReply(texts.IDEAS_EMPTY)
        lines = [texts.ideas_header(plan, len(tallies))]
        lines += [
            texts.idea_line(
                rank, t.idea.id, t.idea.summary, t.customers, plans_text(t), t.idea.delivered_at is not None
            )
            for rank, t in enumerate(tallies[:TOP], start=1)
        ]
        return CommandReply("\n".join(lines))

    async def merge(request: CommandRequest) -> CommandReply:
        if len(request.args) != 3:
            return CommandReply(texts.IDEAS_USAGE)
        keep, absorbed = _number(request.args[1]), _number(request.args[2])
        if keep is None or absorbed is None:
            return CommandReply(texts.IDEAS_USAGE)
        if keep == absorbed:
            return CommandReply(texts.IDEA_MERGE_SAME)
        customers = await backlog.merge(keep, absorbed, request.user)
        if customers is None:
            return CommandReply(texts.idea_not_found(f"{keep} / {absorbed}"))
        return CommandReply(texts.ideas_merged(keep, absorbed, customers))

    async def deliver(request: CommandRequest) -> CommandReply:
        if len(request.args) < 2:
            return CommandReply(texts.IDEAS_USAGE)
        idea_id = _number(request.args[1])
        if idea_id is None:
            return CommandReply(texts.idea_not_found(request.args[1]))
        message = request.text.split(None, 2)[2].strip() if len(request.args) > 2 else None
        report = await backlog.deliver(idea_id, request.user, message)
        if report is None:
            return CommandReply(texts.idea_not_found(request.args[1]))
        return CommandReply(
            texts.idea_delivered_report(
                report.idea_id, report.notified, report.outside_window, report.by_template, report.opted_out
            )
        )

    async def ideas(request: CommandRequest) -> CommandReply:
        action = request.args[0].lower() if request.args else ""
        if action == "juntar":
            return await merge(request)
        if action == "entregue":
            return await deliver(request)
        return await listing(request.args)

    commands.add("ideias", ideas, help=texts.IDEAS_HELP, who=Who.SUPERVISOR)
