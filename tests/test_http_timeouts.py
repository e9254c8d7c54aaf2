"""Slow clients against the running server over real sockets: late heads, late bodies, idle connections.

The bot is started with HTTP_READ_TIMEOUT_SECONDS=0.5; each test waits (at most a generous
10 s, a liveness bound, not a measured time) for the server to close the connection.
"""

from __future__ import annotations

import asyncio
import contextlib

from tests.conftest import Desk, StartDesk

READ_TIMEOUT = 0.5
GIVE_UP = 10.0  # far above READ_TIMEOUT: only a server that never closes reaches it


async def connect(desk: Desk) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", desk.bot.port)


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (fails if it never does).

    Read as it comes, so an answer is in hand before a reset (the server closing on bytes it
    did not read) could discard it; a reset counts as closed.
    """
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := await asyncio.wait_for(reader.read(4096), GIVE_UP):
            received += chunk
    return received


async def dribble(writer: asyncio.StreamWriter, data: bytes, every: float) -> None:
    """Send ``data`` one byte at a time, ``every`` seconds apart, then stall (never finishing)."""
    with contextlib.suppress(ConnectionError):
        for byte in data:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(every)


async def test_a_request_head_sent_byte_by_byte_is_cut_off(start_desk: StartDesk) -> None:
    desk = await start_desk(http_read_timeout_seconds=READ_TIMEOUT)
    reader, writer = await connect(desk)
    writer.write(b"POST /whatsapp/webhook HTTP/1.1\r\nHost: x\r\n")
    sending = asyncio.create_task(dribble(writer, b"X-Slow: a", 0.05))
    assert await closed_by_server(reader) == b""  # nothing answered: the head never completed
    sending.cancel()
    writer.close()


async def test_a_body_sent_byte_by_byte_gets_408_and_is_stored_nowhere(start_desk: StartDesk) -> None:
    desk = await start_desk(http_read_timeout_seconds=READ_TIMEOUT)
    reader, writer = await connect(desk)
    body = b'{"object": "whatsapp_business_account", "entry": []}'
    writer.write(
        b"POST /whatsapp/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    sending = asyncio.create_task(dribble(writer, body[:4], 0.05))
    answer = await closed_by_server(reader)
    assert answer.startswith(b"HTTP/1.1 408 ")
    sending.cancel()
    writer.close()
    assert await desk.rows("SELECT * FROM inbox") == []


async def test_idle_and_slow_connections_are_closed_and_the_server_keeps_answering(
    start_desk: StartDesk,
) -> None:
    desk = await start_desk(http_read_timeout_seconds=READ_TIMEOUT)
    connections = [await connect(desk) for _ in range(100)]
    for n, (_, writer) in enumerate(connections):
        if n % 2:  # half say nothing at all, half start a request and stop
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    assert await asyncio.gather(*(closed_by_server(reader) for reader, _ in connections)) == [b""] * 100
    for _, writer in connections:
        writer.close()
    # a keep-alive connection left idle after its answer is closed too
    reader, writer = await connect(desk)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = await closed_by_server(reader)
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"status": "ok"' in answer
    writer.close()
    async with desk.http.get(f"{desk.url}/healthz") as response:
        assert response.status == 200
