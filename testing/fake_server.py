"""Shared machinery for the fake platform APIs: an aiohttp server on 127.0.0.1 that records calls and injects faults.

The fakes are talked to by the real SDK clients over real HTTP, so they exercise the same
serialisation, header and error-parsing code the app runs in production. Nothing here imports
pytest: the same servers back the local sandbox.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web
from multidict import CIMultiDict

Handler = Callable[[web.Request, "Call"], Awaitable[web.StreamResponse]]
"""A route handler: gets the request and its already-recorded Call (params parsed)."""


@dataclass(slots=True)
class UploadedPart:
    """One file part of a multipart request (kept out of ``Call.params`` so params stay JSON-like)."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass(slots=True)
class Call:
    """One request the fake received, recorded before any delay or fault is applied.

    ``params`` merges the query string with the form / JSON body, because the SDKs mix them
    (slack_sdk sends some methods as query params on a POST, others as a JSON body).
    ``headers`` is case-insensitive (httpx and aiohttp spell header names differently).
    """

    method_name: str
    path: str
    params: dict[str, Any]
    headers: CIMultiDict[str]
    at: float
    http_method: str = "POST"
    raw: bytes = b""
    """The raw body for non-multipart requests (what a signature or byte upload is checked against)."""
    files: dict[str, UploadedPart] = field(default_factory=dict)
    faulted: bool = False
    """True when an injected fault answered this call instead of the normal handler."""
    delayed: float = 0.0
    """Seconds an injected delay held this call before answering."""
    status: int | None = None
    """The HTTP status the fake answered with (None while still in flight)."""

    def __repr__(self) -> str:
        flags = (" FAULTED" if self.faulted else "") + (f" delayed={self.delayed}s" if self.delayed else "")
        return f"<Call {self.http_method} {self.method_name} -> {self.status}{flags} params={_short(self.params)}>"


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(slots=True)
class Fault:
    """An injected failure. Platform-specific fields (``code``/``message`` for Graph,
    ``error`` for Slack) are interpreted by the subclass that builds the error body."""

    status: int
    remaining: int | None
    """Calls left to fail; None = until ``clear_faults``."""
    retry_after: float | None = None
    body: dict[str, Any] | str | None = None
    code: int | None = None
    message: str | None = None
    subcode: int | None = None
    error: str | None = None
    match: Callable[[Call], bool] | None = None
    """Only calls for which this returns True are failed (and counted)."""


@dataclass(slots=True)
class Delay:
    """An injected slowness; ``remaining=None`` means until cleared."""

    seconds: float
    remaining: int | None
    then_status: int | None = None
    """Answer this status after the wait instead of processing (a gateway that gave up)."""
    answer_only: bool = False
    """Process at once and hold only the answer (the platform did it; the reply came too late)."""


def format_retry_after(seconds: float) -> str:
    """Integral values as "2" (slack_sdk's retry handler does ``int(header)``); fractions kept for fast tests."""
    return str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))


class FakeServer:
    """Base for the fake APIs: lifecycle, recording, fault injection and ``wait_for``.

    Subclasses implement ``_resolve`` (request -> API method name + handler) and
    ``_fault_response`` (the platform's error body for an injected fault).
    Fault and delay names may be ``"*"`` to hit every method.
    """

    def __init__(self, *, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.host = host
        self._port = port
        self.calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._delays: dict[str, Delay] = {}
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind a free port on 127.0.0.1 (or the port given) and start serving."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=200 * 1024 * 1024)  # WhatsApp allows 100 MB documents
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # access_log=None: the benchmark pushes hundreds of requests a second; logging each is noise.
        # A short shutdown_timeout: delayed (timed-out) handlers must not hold up test teardown.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self._stopping = asyncio.Event()

    async def stop(self) -> None:
        """Stop serving; requests still sleeping in an injected delay are woken and dropped."""
        if self._runner is None:
            return
        assert self._stopping is not None
        self._stopping.set()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound port (only meaningful after ``start``)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._runner is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://{self.host}:{self._port}"

    # ------------------------------------------------------------------ recording

    def calls_to(self, name: str) -> list[Call]:
        """All recorded calls of one API method, oldest first."""
        return [c for c in self.calls if c.method_name == name]

    def clear_calls(self) -> None:
        """Forget recorded calls (state such as stored messages is kept)."""
        self.calls.clear()

    async def wait_for(self, predicate: Callable[[Self], Any], timeout: float = 5.0) -> Any:
        """Poll every 10 ms until ``predicate(self)`` is truthy and return its value.

        For asserting on effects the app produces asynchronously (workers, retries) without sleeps.
        Raises AssertionError listing the most recent calls so a failure explains itself.
        """
        deadline = time.monotonic() + timeout
        while True:
            result = predicate(self)
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            if time.monotonic() >= deadline:
                recent = "\n  ".join(repr(c) for c in self.calls[-15:]) or "(none)"
                name = getattr(predicate, "__name__", repr(predicate))
                raise AssertionError(
                    f"{type(self).__name__}: condition {name} not met within {timeout}s; "
                    f"{len(self.calls)} calls, most recent:\n  {recent}"
                )
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------------ faults

    def fail(
        self,
        name: str,
        *,
        status: int,
        times: int | None = 1,
        retry_after: float | None = None,
        body: dict[str, Any] | str | None = None,
        code: int | None = None,
        message: str | None = None,
        subcode: int | None = None,
        error: str | None = None,
        match: Callable[[Call], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``name`` (None = all until cleared) answer ``status``.

        ``retry_after`` adds a Retry-After header. ``body`` replaces the platform error body
        (dict -> JSON, str -> sent verbatim as text/html, like a proxy error page). ``code``,
        ``message``, ``subcode`` shape a Graph error; ``error`` is the Slack ``error`` string.
        ``match`` narrows the fault to some calls, e.g. ``lambda c: c.params.get("to") == "55..."``.
        Faults queue up: a second ``fail`` on the same name applies after the first runs out.
        """
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        self._faults.setdefault(name, []).append(
            Fault(
                status=status,
                remaining=times,
                retry_after=retry_after,
                body=body,
                code=code,
                message=message,
                subcode=subcode,
                error=error,
                match=match,
            )
        )

    def delay(
        self,
        name: str,
        seconds: float,
        times: int | None = None,
        *,
        then_status: int | None = None,
        answer_only: bool = False,
    ) -> None:
        """Hold calls of ``name`` for ``seconds`` before answering (None = until cleared).

        Longer than the client's timeout simulates a timeout; the fake still processes the
        request afterwards, like a real platform that got it but answered too late, unless
        ``then_status`` is given: then it answers that status and processes nothing. With
        ``answer_only`` the request is processed at once and only the answer waits: what the
        client saw time out has already happened.
        """
        self._delays[name] = Delay(
            seconds=seconds, remaining=times, then_status=then_status, answer_only=answer_only
        )

    def clear_faults(self) -> None:
        """Remove every pending fault and delay."""
        self._faults.clear()
        self._delays.clear()

    def _take_fault(self, call: Call) -> Fault | None:
        for key in (call.method_name, "*"):
            queue = self._faults.get(key)
            if not queue:
                continue
            for fault in queue:
                if fault.match is not None and not fault.match(call):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.remove(fault)
                return fault
        return None

    def _take_delay(self, name: str) -> Delay | None:
        for key in (name, "*"):
            d = self._delays.get(key)
            if d is None:
                continue
            if d.remaining is not None:
                d.remaining -= 1
                if d.remaining <= 0:
                    del self._delays[key]
            return d
        return None

    # ------------------------------------------------------------------ request pipeline

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        """Map a request to (API method name used for recording/faults, handler)."""
        raise NotImplementedError

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        """The platform's answer for an injected fault (Retry-After is added by the caller)."""
        raise NotImplementedError

    def bearer_ok(self, call: Call) -> bool:
        """True when no token is configured or the call carries ``Authorization: Bearer <token>``."""
        return self.token is None or call.headers.get("Authorization") == f"Bearer {self.token}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        name, handler = self._resolve(request)
        call = await self._record(request, name)
        delay = self._take_delay(name)
        if delay is not None and delay.answer_only:
            response = await handler(request, call)
            call.status = response.status
            await self._hold(delay.seconds)
            return response
        if delay is not None and delay.seconds > 0:
            call.delayed = delay.seconds
            assert self._stopping is not None
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=delay.seconds)
            except TimeoutError:
                pass
            else:  # server stopping: drop the request instead of holding teardown
                call.status = 503
                return web.Response(status=503, text="fake server stopping")
        if delay is not None and delay.then_status is not None:
            call.status = delay.then_status
            return web.Response(status=delay.then_status, text="gateway timeout")
        fault = self._take_fault(call)
        if fault is not None:
            call.faulted = True
            response = self._fault_response(call, fault)
            if fault.retry_after is not None:
                response.headers["Retry-After"] = format_retry_after(fault.retry_after)
        else:
            response = await handler(request, call)
        call.status = response.status
        return response

    async def _hold(self, seconds: float) -> None:
        """Wait ``seconds``, or less if the server is stopping (teardown is never held up)."""
        assert self._stopping is not None
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _record(self, request: web.Request, name: str) -> Call:
        params: dict[str, Any] = dict(request.query)
        raw = b""
        files: dict[str, UploadedPart] = {}
        ctype = request.content_type
        if request.body_exists:
            if ctype == "multipart/form-data":
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        files[key] = UploadedPart(value.filename, value.content_type, data)
                        params[key] = {
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "size": len(data),
                        }
                    else:
                        params[key] = value
            else:
                raw = await request.read()
                if ctype == "application/json":
                    try:
                        parsed = json.loads(raw or b"null")
                    except ValueError:
                        parsed = None
                    if isinstance(parsed, dict):
                        params.update(parsed)
                elif ctype == "application/x-www-form-urlencoded":
                    form = await request.post()
                    params.update({k: v for k, v in form.items() if isinstance(v, str)})
        call = Call(
            method_name=name,
            path=request.path,
            params=params,
            headers=CIMultiDict(request.headers),
            at=time.time(),
            http_method=request.method,
            raw=raw,
            files=files,
        )
        self.calls.append(call)
        return call
