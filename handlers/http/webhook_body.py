"""Webhook bodies as JSON: strict UTF-8, half emojis made visible, and a clear 400 for anything else.

Every platform route reads its body through :func:`parse`, so a bad body gets the same
answers everywhere and nothing malformed reaches the inbox.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")


class MalformedBody(ValueError):
    """The body is JSON but not shaped like the platform's webhook."""


def parse(raw: bytes, shape: Callable[[Any], T], what: str) -> T:
    """``shape`` applied to the JSON of ``raw``; raises a 400 (``web.HTTPBadRequest``) saying what is wrong.

    ``shape`` raises :class:`MalformedBody` when the JSON is not a ``what`` (a "WhatsApp webhook").
    """
    try:
        return shape(load(raw))
    except UnicodeDecodeError as error:
        raise web.HTTPBadRequest(text="body is not UTF-8") from error
    except json.JSONDecodeError as error:
        raise web.HTTPBadRequest(text="body is not valid JSON") from error
    except RecursionError as error:
        raise web.HTTPBadRequest(text="body is nested too deeply") from error
    except MalformedBody as error:
        raise web.HTTPBadRequest(text=f"not a {what}: {error}") from error


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def load(raw: bytes) -> Any:
    """The JSON of a webhook body; raises UnicodeDecodeError unless it is UTF-8, as Meta and Telegram send.

    Valid JSON can still escape half of an emoji (a lone ``\\ud83d``), which neither SQLite nor
    Slack accept as text; each half becomes U+FFFD so the message is shown instead of lost.
    """
    text = raw.decode("utf-8")
    body = json.loads(text)
    return _without_lone_surrogates(body) if _SURROGATE_ESCAPE.search(text) else body


def _without_lone_surrogates(body: Any) -> Any:
    """``body`` with lone surrogates replaced in every key and string (iterative: any depth)."""
    if isinstance(body, str):
        return _LONE_SURROGATE.sub("\ufffd", body)
    pending = [body] if isinstance(body, dict | list) else []
    while pending:
        node = pending.pop()
        entries = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        if isinstance(node, dict):
            node.clear()  # re-inserted below, in the same order, under clean keys
        for key, value in entries:
            if isinstance(value, dict | list):
                pending.append(value)
            elif isinstance(value, str):
                value = _LONE_SURROGATE.sub("\ufffd", value)
            if isinstance(key, str):
                key = _LONE_SURROGATE.sub("\ufffd", key)
            node[key] = value  # type: ignore[index]  # list indexes stay ints: only dict keys are strings
    return body
