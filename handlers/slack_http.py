"""HTTP endpoint for Slack (events, interactivity and slash commands) in front of Bolt.

Bolt verifies the signature and the 5-minute timestamp window; this adapter only makes
sure a body that is not UTF-8 gets a 400 instead of an exception.
"""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest


class SlackEndpoint:
    """aiohttp handler for ``POST /slack/events``."""

    def __init__(self, app: AsyncApp) -> None:
        self._app = app

    async def handle(self, request: web.Request) -> web.Response:
        """Hand the raw request to Bolt and translate its answer back."""
        raw = await request.read()
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="body is not UTF-8")
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))
