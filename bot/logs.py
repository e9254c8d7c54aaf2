"""Log output: readable lines by default, one JSON object per line with ``LOG_FORMAT=json``.

JSON lines are what log collectors (Loki, CloudWatch, Datadog) parse without rules. Either
way, at INFO the desk never logs message text or full phone numbers (see tests/test_access.py).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str, fmt: str, stream: TextIO | None = None) -> None:
    """Send the root logger's records to ``stream`` (stderr) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
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
