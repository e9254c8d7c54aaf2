"""Log output: readable lines by default, one JSON object per line with ``LOG_FORMAT=json``.

JSON lines are what log collectors (Loki, CloudWatch, Datadog) parse without rules. Either
way, at INFO the desk never logs message text or full phone numbers (see tests/test_access.py),
and at no level does a line carry a secret: every formatted line, third-party libraries'
and tracebacks included, passes through :class:`Redactor` before it is written
(tests/test_log_secrets.py).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# Telegram puts the bot token in every Bot API path (``/bot<id>:<key>/sendMessage``): masked
# whether or not it is the configured one (a token pasted into another setting, an old token).
BOT_URL = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")
# Slack tokens (bot, user, app-level, refresh) have a recognisable prefix.
SLACK_TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+")
# A shorter "secret" would mask ordinary words; settings that short are not secrets anyway.
MIN_SECRET_LENGTH = 6
# Libraries that log every request URL at INFO (httpx: "HTTP Request: POST https://…/bot<token>/…")
# or every socket event at DEBUG; the desk's own lines already say what failed.
QUIET_LOGGERS = ("httpx", "httpcore")


# Library lines that would send an operator looking for a problem that is not there: the logger,
# and how its line starts.
MISLEADING_NOTICES = {
    # logged whenever SLACK_BOT_TOKEN is in the environment; our client carries that very token
    "slack_bolt.AsyncApp": "As you gave `client` as well",
    # logged on every connection error, although pywa already runs on our own httpx client
    # (timeouts, connection limits); the desk's own line says what failed and when it retries
    "pywa.api": "You may want to provide your own `httpx.Client`",
}


class DropNotice(logging.Filter):
    """Drops one library's misleading line (:data:`MISLEADING_NOTICES`)."""

    def __init__(self, start: str) -> None:
        super().__init__()
        self._start = start

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self._start)


class Redactor:
    """Masks the configured secret values, Telegram bot URLs and Slack tokens in a line."""

    def __init__(self, secrets: Iterable[str]) -> None:
        values = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)
        self._secrets = re.compile("|".join(map(re.escape, values))) if values else None

    def __call__(self, line: str) -> str:
        line = BOT_URL.sub("/bot" + MASK, line)
        line = SLACK_TOKEN.sub(MASK, line)
        if self._secrets is not None:
            line = self._secrets.sub(MASK, line)
        return line


class RedactingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler whose every formatted line (message, arguments, traceback) is redacted."""

    def __init__(self, stream: TextIO, redact: Redactor) -> None:
        super().__init__(stream)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


def configure(level: str, fmt: str, stream: TextIO | None = None, *, secrets: Iterable[str] = ()) -> None:
    """Send the root logger's records to ``stream`` (stderr) in the chosen format, ``secrets`` masked."""
    handler = RedactingHandler(stream or sys.stderr, Redactor(secrets))
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"}
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name, start in MISLEADING_NOTICES.items():
        logging.getLogger(name).addFilter(DropNotice(start))
