"""HTTP endpoint for WhatsApp: the verify-token handshake and signed webhook deliveries.

A delivery is verified, split into one inbox item per message or status, and stored
before the 200 goes out; processing happens afterwards from the inbox. pywa's own route
is not used because it answers before its handler runs and keeps only the first message.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from core.common.inbox import InboxItem
from handlers.http.webhook_body import parse
from handlers.whatsapp.parse import split

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"

StoreItems = Callable[[list[InboxItem], float], Awaitable[None]]


class WhatsAppWebhook:
    """aiohttp handlers for ``GET``/``POST /whatsapp/webhook``."""

    def __init__(
        self, app_secret: str, verify_token: str, store_items: StoreItems, on_stored: Callable[[], None]
    ) -> None:
        if not app_secret:
            raise ValueError("WHATSAPP_APP_SECRET is required: unsigned webhooks are never accepted")
        self._secret = app_secret
        self._verify_token = verify_token
        self._store_items = store_items
        self._on_stored = on_stored

    async def handshake(self, request: web.Request) -> web.Response:
        """Meta's subscription check: echo the challenge when the verify token matches."""
        query = request.query
        if query.get("hub.mode") == "subscribe" and query.get("hub.verify_token") == self._verify_token:
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403, text="verify token mismatch")

    async def deliver(self, request: web.Request) -> web.Response:
        """Verify, store every message and status, then acknowledge."""
        body = await request.read()  # larger than the server's client_max_size -> 413
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return web.Response(status=401, text="missing X-Hub-Signature-256")
        if not signature_valid(self._secret, body, signature):
            log.warning("rejected a WhatsApp webhook with a bad signature")
            return web.Response(status=403, text="bad signature")
        items = parse(body, split, "WhatsApp webhook")
        await self._store_items(items, time.time())
        self._on_stored()
        return web.Response(text="ok")


def signature_valid(app_secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is Meta's ``sha256=<hex HMAC-SHA256 of the raw body>``, compared in constant time.

    pywa's ``webhook_updates_validator`` is not used: it also accepts the digest without its
    ``sha256=`` prefix, and raises (a 500) on a header with non-ASCII characters.
    """
    scheme, _, digest = header.partition("=")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return scheme == "sha256" and hmac.compare_digest(
        expected.encode(), digest.lower().encode("utf-8", "replace")
    )
