"""Read timeouts of the HTTP server: a client that sends slowly is cut off, not waited for.

aiohttp has no header or body read timeout of its own. Its keep-alive timer starts when a
connection opens and again after each answer, and closes a connection still waiting for a
request's head when it fires: set to ``HTTP_READ_TIMEOUT_SECONDS`` it bounds idle
connections and slow headers alike. The body gets :func:`body_deadline`: a request whose body
has not fully arrived is read under the same limit, else answered 408 and closed. Production
still runs behind a reverse proxy (see the README's Security section), which buffers bodies and
has its own limits; these keep a directly exposed port from holding connections open forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def body_deadline(seconds: float) -> Middleware:
    """Middleware: a body still arriving is read within ``seconds`` or the request gets 408.

    A body that is already complete (or absent) is left for the route, which may refuse the
    request before reading it; the route's ``request.read()`` then returns what was read here.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.body_exists and not request.content.is_eof():
            try:
                async with asyncio.timeout(seconds):
                    await request.read()  # over client_max_size -> 413, as in the route
            except TimeoutError:
                log.info("request body not received within %.0f s; connection closed", seconds)
                response = web.Response(status=408, text="request body not received in time")
                response.force_close()
                await response.prepare(request)
                await response.write_eof()
                # close once the answer is flushed, instead of aiohttp's default of reading (and
                # ignoring) whatever the slow client still sends for up to 10 s
                request.protocol.force_close()
                return response
        return await handler(request)

    return middleware
