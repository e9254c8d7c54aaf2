"""The `atende` command and its subcommands (run, demo, eval, ai train, customers, kb)."""

from bot.cli.command import main

__all__ = ["main"]
