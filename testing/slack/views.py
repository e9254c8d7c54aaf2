"""The views.* methods: modals opened, pushed and updated, App Home tabs published."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from ..fake_server import Call
from .base import SlackBase, oversize


class ViewMethods(SlackBase):
    """Views: a modal or an App Home tab, refused when a section is over Slack's limit."""

    def _view_param(self, call: Call) -> dict[str, Any] | None:
        view = call.params.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return None
        if (
            not isinstance(view, dict)
            or view.get("type") not in ("modal", "home")
            or oversize(view.get("blocks"))
        ):
            return None
        return view

    async def _views_open(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        if view is None:
            return self._err("invalid_arguments")
        if not call.params.get("trigger_id"):
            return self._err("invalid_trigger_id")
        view_id = f"V{next(self._view_ids):06d}"
        stored = {**view, "id": view_id}
        self.views[view_id] = {
            "view": stored,
            "trigger_id": call.params["trigger_id"],
            "method": call.method_name,
        }
        return self._ok(view=stored)

    async def _views_update(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        view_id = call.params.get("view_id")
        if view is None or view_id not in self.views:
            return self._err("not_found" if view is not None else "invalid_arguments")
        stored = {**view, "id": view_id}
        self.views[view_id] = {**self.views[view_id], "view": stored, "method": call.method_name}
        return self._ok(view=stored)

    async def _views_publish(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        view = self._view_param(call)
        user = call.params.get("user_id")
        if view is None or view.get("type") != "home" or not user:
            return self._err("invalid_arguments")
        view_id = f"V{next(self._view_ids):06d}"
        stored = {**view, "id": view_id}
        self.home_tabs[user] = stored
        return self._ok(view=stored)
