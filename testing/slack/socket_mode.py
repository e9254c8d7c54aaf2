"""Socket Mode: apps.connections.open hands out a WebSocket the fake delivers envelopes on."""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from ..fake_server import Call
from .base import SlackBase


class SocketMode(SlackBase):
    """Socket Mode: the connection, envelopes sent to the app and its acknowledgements."""

    @property
    def socket_connected(self) -> bool:
        """A Socket Mode client is connected and was greeted."""
        return any(not ws.closed for ws in self._sockets)

    async def socket_send(self, payload: dict[str, Any], kind: str = "events_api") -> str:
        """Deliver an envelope (``events_api``, ``interactive``, ``slash_commands``) over Socket Mode.

        Returns its envelope id; the client's acknowledgement lands in ``socket_acks``.
        """
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        for ws in self._sockets:
            if not ws.closed:
                await ws.send_json(envelope)
        return envelope_id

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        await super().stop()

    async def _connections_open(self, request: web.Request, call: Call) -> web.StreamResponse:
        """Socket Mode: hand out the WebSocket URL (the app token, xapp-, is not checked)."""
        return self._ok(url=f"ws://{self.host}:{self.port}/socket-mode")

    async def _socket_mode(self, request: web.Request, call: Call) -> web.StreamResponse:
        """The Socket Mode WebSocket: greet with ``hello``, then record envelope acknowledgements."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "fake"},
                "connection_info": {"app_id": "A0001"},
            }
        )
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                if "envelope_id" in data:
                    self.socket_acks.append(data)
        return ws
