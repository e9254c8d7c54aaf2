"""The Slack Web API client and Bolt replies, with every outgoing text made safe on the way out.

Text reaches Slack by three roads: Web API calls (``chat.postMessage``, ``views.publish``,
file uploads...), the answer to a slash command or a modal (``ack``) and a later answer to a
``response_url`` (``respond``). Each is wrapped here once, so no call site can forget
:func:`handlers.slack.text.outgoing`.

Adapters that carry out the core's work (the desk, boards, cards, the report) call the Web API
through :meth:`SafeWebClient.call`, which sorts Slack's failures into the core's retry
vocabulary (transient: retried by the outbox; permanent: given up). Mentions and links are
written by :mod:`handlers.slack.markup`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.webhook_response import WebhookResponse

from core.common.errors import PermanentError, TransientError
from handlers.slack.text import outgoing

_TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


class SafeWebClient(AsyncWebClient):
    """An ``AsyncWebClient`` that passes every request's parameters through :func:`outgoing`."""

    async def api_call(  # type: ignore[override]
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict | None = None,
        data: Any = None,
        params: dict | None = None,
        json: dict | None = None,
        headers: dict | None = None,
        auth: dict | None = None,
    ) -> AsyncSlackResponse:
        return await super().api_call(
            api_method,
            http_verb=http_verb,
            files=files,
            data=outgoing(data) if isinstance(data, dict) else data,
            params=outgoing(params),
            json=outgoing(json),
            headers=headers,
            auth=auth,
        )

    async def call(self, method: str, **fields: Any) -> AsyncSlackResponse:
        """Call a Web API ``method`` (``"chat.postMessage"``, or slack_sdk's ``"files_upload_v2"``).

        Failures come out in the core's retry vocabulary: :class:`TransientError` for a 429 (with
        its ``Retry-After``), a 5xx, a transient Slack error or an unreachable network;
        :class:`PermanentError` for any other refusal.
        """
        sdk_method: Callable[..., Awaitable[AsyncSlackResponse]] = getattr(self, method.replace(".", "_"))
        try:
            return await sdk_method(**fields)
        except SlackApiError as error:
            response = error.response
            code = response.get("error") if isinstance(response.data, dict) else None
            status = response.status_code
            if status == 429 or status >= 500 or code in _TRANSIENT_ERRORS:
                retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
                raise TransientError(
                    f"Slack {code or status}", retry_after=float(retry_after) if retry_after else None
                ) from error
            raise PermanentError(f"Slack {code or status}") from error
        except SlackRequestError as error:  # the raw upload step of files_upload_v2 failed
            raise TransientError(f"Slack upload failed: {error}") from error
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TransientError(f"Slack unreachable: {error!r}") from error


class _SafeAck(AsyncAck):
    """``ack()`` whose message, blocks or view are made safe first."""

    async def __call__(self, text: str | dict = "", **fields: Any) -> BoltResponse:  # type: ignore[override]
        return await super().__call__(**_safe(text, fields))


class _SafeRespond(AsyncRespond):
    """``respond()`` (a delayed answer to a slash command) whose message is made safe first."""

    async def __call__(self, text: str | dict = "", **fields: Any) -> WebhookResponse:  # type: ignore[override]
        return await super().__call__(**_safe(text, fields))


def _safe(text: str | dict, fields: dict[str, Any]) -> dict[str, Any]:
    """Bolt's ``text`` (or whole-response dict) and keyword fields as one safe payload."""
    return outgoing({"text": text, **fields} if isinstance(text, str) else {**text, **fields}) or {}


def safe_replies(client: SafeWebClient) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A Bolt global middleware giving every listener the safe client, ``ack`` and ``respond``.

    Bolt builds a plain client per request; listeners get ``client`` instead.
    """

    async def middleware(
        context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse | None]]
    ) -> BoltResponse | None:
        context["client"] = client
        context["ack"] = _SafeAck()
        context["respond"] = _SafeRespond(
            response_url=context.response_url, proxy=client.proxy, ssl=client.ssl
        )
        return await next()

    return middleware
