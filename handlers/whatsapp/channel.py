"""The WhatsApp side of the CustomerChannel port, on pywa's async client.

pywa has no base-URL option and does not retry: requests go through an httpx client whose
transport (aiohttp-backed, bounded) rewrites Graph API hosts to ``WHATSAPP_API_URL``, and
failures are sorted into transient and permanent errors for the outbox to act on.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Awaitable, Sequence
from typing import BinaryIO, TypeVar
from urllib.parse import urlsplit

import httpx
from httpx_aiohttp import AiohttpTransport
from pywa_async import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types import Button, Section, SectionList, SectionRow
from pywa_async.types.templates import TemplateLanguage

from core.common.errors import PermanentError, TransientError
from core.tickets.model import Attachment, Choice, FileData, FileInfo
from handlers.http.media_limits import check_declared, copy_capped
from handlers.whatsapp.errors import RETRYABLE_CODES, reason_for

T = TypeVar("T")

# WhatsApp's limits: at most 3 reply buttons titled in 20 characters; list rows 24 and 72.
MAX_BUTTONS = 3
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
LIST_BUTTON = 20
MAX_ROWS = 10

GRAPH_HOSTS = frozenset({"graph.facebook.com", "lookaside.fbsbx.com"})


class GraphRewriteTransport(httpx.AsyncBaseTransport):
    """Sends requests meant for Meta's hosts to another base URL (a proxy, the sandbox, a test fake)."""

    REWRITTEN_KEPT = 256
    """Rewritten URLs remembered: every send goes to the same ``/messages`` URL, and rebuilding
    an ``httpx.URL`` is a good part of a send's CPU at a broadcast's pace."""

    def __init__(self, base_url: str, inner: httpx.AsyncBaseTransport) -> None:
        parts = urlsplit(base_url)
        self._scheme = parts.scheme or "https"
        self._host = parts.hostname or "graph.facebook.com"
        self._port = parts.port
        self._inner = inner
        self._rewritten: dict[httpx.URL, httpx.URL] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host in GRAPH_HOSTS:
            request.url = self._rewrite(request.url)
            request.headers["Host"] = self._host if self._port is None else f"{self._host}:{self._port}"
        return await self._inner.handle_async_request(request)

    def _rewrite(self, url: httpx.URL) -> httpx.URL:
        rewritten = self._rewritten.get(url)
        if rewritten is None:
            if len(self._rewritten) >= self.REWRITTEN_KEPT:  # media URLs differ each time
                self._rewritten.clear()
            rewritten = url.copy_with(scheme=self._scheme, host=self._host, port=self._port)
            self._rewritten[url] = rewritten
        return rewritten

    async def aclose(self) -> None:
        await self._inner.aclose()


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing: the Graph API authenticates with a bearer token, never a cookie,
    and reading each response's ``Set-Cookie`` costs a urllib request object per send."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class GraphClient(httpx.AsyncClient):
    """The httpx client pywa sends through, without a cookie jar."""

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        """Cookies given to the client are dropped (see :class:`_NoCookies`)."""


_NO_COOKIES = _NoCookies()


def make_session(api_url: str, *, timeout: float = 15.0, max_connections: int = 32) -> httpx.AsyncClient:
    """The httpx client pywa uses: aiohttp transport, bounded connections, a real timeout."""
    inner = AiohttpTransport()
    return GraphClient(
        transport=GraphRewriteTransport(api_url, inner),
        timeout=timeout,
        limits=httpx.Limits(max_connections=max_connections),
    )


class WhatsAppChannel:
    """Implements :class:`core.delivery.ports.CustomerChannel` for WhatsApp."""

    def __init__(self, client: WhatsApp) -> None:
        self._wa = client

    async def send_text(self, to: str, text: str, *, tracker: str | None = None) -> str:
        sent = await self._call(self._wa.send_message(to=to, text=text, tracker=tracker))
        return sent.id

    async def send_template(
        self, to: str, template: str, language: str, text: str, *, tracker: str | None = None
    ) -> str:
        """The approved template with ``text`` as its one body variable.

        WhatsApp refuses a variable with line breaks or long runs of spaces (error 132018), so
        the text goes as one line.
        """
        sent = await self._call(
            self._wa.send_template(
                to=to,
                name=template,
                language=TemplateLanguage(language),
                params=[{"type": "body", "parameters": [{"type": "text", "text": template_parameter(text)}]}],
                tracker=tracker,
            )
        )
        return sent.id

    async def send_file(self, to: str, file: FileData, caption: str | None) -> str:
        if file.mime_type.startswith("image/") and file.mime_type in ("image/jpeg", "image/png"):
            call = self._wa.send_image(to=to, image=file.data, caption=caption, mime_type=file.mime_type)
        else:
            call = self._wa.send_document(
                to=to, document=file.data, filename=file.filename, caption=caption, mime_type=file.mime_type
            )
        sent = await self._call(call)
        return sent.id

    async def send_choices(self, to: str, text: str, choices: Sequence[Choice], button: str) -> str:
        """Reply buttons when they fit (up to 3 short titles), an interactive list otherwise."""
        if len(choices) > MAX_ROWS:
            raise ValueError(f"WhatsApp lists hold at most {MAX_ROWS} rows, got {len(choices)}")
        if len(choices) <= MAX_BUTTONS and all(
            len(c.title) <= BUTTON_TITLE and not c.description for c in choices
        ):
            buttons: list[Button] | SectionList = [Button(title=c.title, callback_data=c.id) for c in choices]
        else:
            rows = [
                SectionRow(
                    title=c.title[:ROW_TITLE],
                    callback_data=c.id,
                    description=c.description[:ROW_DESCRIPTION] if c.description else None,
                )
                for c in choices
            ]
            buttons = SectionList(
                button_title=button[:LIST_BUTTON], sections=[Section(title=button[:ROW_TITLE], rows=rows)]
            )
        sent = await self._call(self._wa.send_message(to=to, text=text, buttons=buttons))
        return sent.id

    async def download(self, attachment: Attachment, into: BinaryIO, limit: int) -> FileInfo:
        """Streamed in 64 KiB chunks; Graph's ``file_size`` is checked against ``limit`` first."""
        media = await self._call(self._wa.get_media_url(attachment.ref))
        check_declared(media.file_size, limit)
        size = await self._call(copy_capped(self._wa.stream_media(media.url), into, limit))
        mime_type = (
            (media.mime_type or attachment.mime_type or "application/octet-stream").split(";")[0].strip()
        )
        return FileInfo(mime_type, attachment.filename or _filename(attachment.ref, mime_type), size)

    async def mark_read(self, external_id: str) -> None:
        await self._call(self._wa.mark_message_as_read(external_id))

    @staticmethod
    async def _call(awaitable: Awaitable[T]) -> T:
        """Await a pywa call, translating its failures into the core's retry vocabulary."""
        try:
            return await awaitable
        except WhatsAppError as error:
            raise _classify(error) from error
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            if status == 429 or status >= 500:
                raise TransientError(f"HTTP {status}", retry_after=_retry_after(error.response)) from error
            raise PermanentError(f"HTTP {status}") from error
        except httpx.TransportError as error:
            # a timeout once the request was written may still have been processed
            maybe_sent = not isinstance(error, httpx.ConnectError)
            raise TransientError(f"{type(error).__name__}: {error}", maybe_sent=maybe_sent) from error


def _classify(error: WhatsAppError) -> Exception:
    response = error.raw_response
    status = response.status_code if response is not None else 0
    detail = f"{error.message}, código {error.code}"
    if error.code in RETRYABLE_CODES or status == 429 or status >= 500 or error.is_transient:
        return TransientError(detail, retry_after=_retry_after(response), reason=reason_for(error.code))
    return PermanentError(detail, reason=reason_for(error.code))


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def template_parameter(text: str) -> str:
    """Text as a template variable accepts it: one line, no run of more than three spaces."""
    return re.sub(r"\s+", " ", text).strip()


def _filename(media_id: str, mime_type: str) -> str:
    return f"whatsapp-{media_id}{mimetypes.guess_extension(mime_type) or '.bin'}"
