"""The ``atende`` command: ``atende run`` starts the bot; ``kb``, ``eval`` measure knowledge and AI;
``customers`` loads the platform's customer records."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING

import uvloop
from pydantic import ValidationError

from bot.bootstrap import checks as startup_checks
from bot.cli import customers as customers_cli
from bot.cli import kb as kb_cli
from bot.cli import train as ai_train

if TYPE_CHECKING:
    from bot.bootstrap.app import Atende


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(
        prog="atende", description="Support desk: WhatsApp customers, Slack agents."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="start the bot (HTTP server, workers, Slack connection)")
    demo = commands.add_parser(
        "demo", help="the whole desk in a browser: the bot between local WhatsApp and Slack emulators"
    )
    demo.add_argument("--port", type=int, default=8080, help="port of the demo page (default 8080)")
    demo.add_argument("--database", default="./data/demo.db", help="SQLite file of the demo's desk")
    demo.add_argument(
        "--scenario",
        help="play a scripted conversation: first_login, whatsapp_connection, billing_dispute, crisis",
    )
    demo.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    evaluate = kb_cli.add_commands(commands)
    customers_cli.add_commands(commands)
    ai_train.add_commands(commands)
    triage = evaluate.add_parser("triage", help="AI triage metrics and confusion matrix for a JSONL file")
    triage.add_argument("file", help="rows {text, plan, category, urgency, human, reason}, one per line")
    triage.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    triage.add_argument(
        "--corpus", help="complaints CSV (id,title,text) giving the text of rows labelled by id"
    )
    args = parser.parse_args(argv)
    if args.command is None:  # bare ``atende``: what a newcomer types first gets the commands
        parser.print_help()
        return 0
    if args.command == "run":
        return _run()
    if args.command == "demo":
        return _demo(args)
    if args.command == "eval" and args.eval_command == "triage":
        from bot.cli.eval import eval_triage

        return eval_triage(args.file, as_json=args.json, corpus=args.corpus)
    if args.command == "customers":
        return customers_cli.run(args)
    if args.command == "ai" and args.ai_command == "train":
        return ai_train.run(args)
    return kb_cli.run(args)


def _run() -> int:
    from bot.bootstrap.app import Atende
    from bot.logs import configure
    from bot.settings import Settings, describe_error

    try:
        settings = Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        return _refuse(describe_error(error))
    configure(settings.log_level, settings.log_format, secrets=settings.secrets.values())
    # uvloop: the event loop does most of the work here (HTTP in and out, aiosqlite hand-backs)
    return uvloop.run(_serve(Atende(settings)))


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import app as demo

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(demo.serve(args.port, args.database, not args.no_browser, args.scenario))
    return 0


async def _serve(bot: Atende) -> int:
    """Run until SIGINT/SIGTERM (exit 0) or until a platform says a setting is wrong (exit 2).

    The platforms are asked beside the running desk (``bot.bootstrap.checks``), so a platform
    that is down delays nothing; a channel given by name is refused before anything starts.
    """
    if (problem := startup_checks.channel_name(bot.settings)) is not None:
        return _refuse(problem)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bot.start()
    checks = asyncio.create_task(
        startup_checks.first_problem(bot.settings, bot.slack_client, bot.whatsapp, bot.telegram)
    )
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({checks, stopped}, return_when=asyncio.FIRST_COMPLETED)
        problem = checks.result() if checks.done() else None
        if problem is not None:
            return _refuse(problem)
        await stopped
        return 0
    finally:
        checks.cancel()
        stopped.cancel()
        await bot.stop()


def _refuse(problem: str) -> int:
    """Tell the operator the one thing to fix; exit code 2, as for a missing setting."""
    print(f"atende: {problem}", file=sys.stderr, flush=True)
    return 2


if __name__ == "__main__":
    sys.exit(main())
