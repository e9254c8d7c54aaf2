"""``/suporte ideias``: the feature-request backlog for supervisors (list, CSV, merge, delivered).

Typed forms: ``ideias [--plano X] [--csv]``, ``ideias juntar A B`` (B folds into A) and
``ideias entregue N [message to the customers]``. Anything else answers with the usage line.
The CSV goes as a file to the supervisor's private messages: a spreadsheet wants a file, and
the backlog is the supervisor's to share, not the channel's where the command was typed.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from core.backlog import texts as backlog_texts
from core.backlog.ideas import Backlog, plans_text
from handlers.slack.commands import CommandReply, CommandRequest, SlashCommands, Who
from handlers.slack.ids import record_id
from handlers.slack.private import upload_privately

TOP = 15


def _number(word: str) -> int | None:
    return record_id(word.removeprefix("#"))


def register(commands: SlashCommands, backlog: Backlog, client: AsyncWebClient) -> None:
    """Add the ``ideias`` subcommand."""

    async def export(plan: str | None, user: str) -> CommandReply:
        exported = await backlog.export(plan)
        if exported is None:
            return CommandReply(backlog_texts.IDEAS_EMPTY)
        file, count = exported
        await upload_privately(client, user, file.data, file.filename, backlog_texts.IDEAS_CSV_COMMENT)
        return CommandReply(backlog_texts.ideas_exported(count))

    async def listing(args: list[str], user: str) -> CommandReply:
        plan: str | None = None
        as_csv = False
        words = iter(args)
        for word in words:
            if word == "--csv":
                as_csv = True
            elif word == "--plano" and (plan := next(words, None)) is not None:
                continue
            else:
                return CommandReply(backlog_texts.IDEAS_USAGE)
        if as_csv:
            return await export(plan, user)
        tallies = await backlog.tally(plan)
        if not tallies:
            return CommandReply(backlog_texts.IDEAS_EMPTY)
        lines = [backlog_texts.ideas_header(plan, len(tallies))]
        lines += [
            backlog_texts.idea_line(
                rank, t.idea.id, t.idea.summary, t.customers, plans_text(t), t.idea.delivered_at is not None
            )
            for rank, t in enumerate(tallies[:TOP], start=1)
        ]
        return CommandReply("\n".join(lines))

    async def merge(request: CommandRequest) -> CommandReply:
        if len(request.args) != 3:
            return CommandReply(backlog_texts.IDEAS_USAGE)
        keep, absorbed = _number(request.args[1]), _number(request.args[2])
        if keep is None or absorbed is None:
            return CommandReply(backlog_texts.IDEAS_USAGE)
        if keep == absorbed:
            return CommandReply(backlog_texts.IDEA_MERGE_SAME)
        customers = await backlog.merge(keep, absorbed, request.user)
        if customers is None:
            return CommandReply(backlog_texts.idea_not_found(f"{keep} / {absorbed}"))
        return CommandReply(backlog_texts.ideas_merged(keep, absorbed, customers))

    async def deliver(request: CommandRequest) -> CommandReply:
        if len(request.args) < 2:
            return CommandReply(backlog_texts.IDEAS_USAGE)
        idea_id = _number(request.args[1])
        if idea_id is None:
            return CommandReply(backlog_texts.idea_not_found(request.args[1]))
        message = request.text.split(None, 2)[2].strip() if len(request.args) > 2 else None
        report = await backlog.deliver(idea_id, request.user, message)
        if report is None:
            return CommandReply(backlog_texts.idea_not_found(request.args[1]))
        return CommandReply(
            backlog_texts.idea_delivered_report(
                report.idea_id, report.notified, report.outside_window, report.by_template, report.opted_out
            )
        )

    async def ideas(request: CommandRequest) -> CommandReply:
        action = request.args[0].lower() if request.args else ""
        if action == "juntar":
            return await merge(request)
        if action == "entregue":
            return await deliver(request)
        return await listing(request.args, request.user)

    commands.add("ideias", ideas, help=backlog_texts.IDEAS_HELP, who=Who.SUPERVISOR)
