"""The v2 file upload flow (getUploadURLExternal, the byte POST, completeUploadExternal),
files.info and private downloads."""

from __future__ import annotations

import json
import mimetypes
from urllib.parse import quote

from aiohttp import web

from ..fake_server import Call
from .base import BOT_USER_ID, SlackBase


class FileMethods(SlackBase):
    """Files: uploads in three steps, their Slack objects, and downloads behind the token."""

    async def _get_upload_url(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        filename, length = call.params.get("filename"), call.params.get("length")
        if not filename or length is None or not str(length).isdigit():
            return self._err("invalid_arguments")
        file_id = f"F{next(self._file_ids):010d}"
        self._pending_uploads[file_id] = {
            "name": filename,
            "length": int(length),
            "data": None,
            "alt_txt": call.params.get("alt_txt"),
        }
        return self._ok(upload_url=f"{self.url}/upload/{file_id}", file_id=file_id)

    async def _upload_bytes(self, request: web.Request, call: Call) -> web.StreamResponse:
        file_id = request.path.rstrip("/").rsplit("/", 1)[-1]
        pending = self._pending_uploads.get(file_id)
        if pending is None:
            return web.Response(status=404, text="Not Found")
        # slack_sdk posts the raw bytes; Slack's docs also allow a multipart "file" field.
        part = call.files.get("file") or next(iter(call.files.values()), None)
        pending["data"] = part.data if part is not None else call.raw
        return web.Response(text=f"OK - {len(pending['data'])}", content_type="text/plain")

    async def _complete_upload(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        p = call.params
        try:
            items = json.loads(p["files"]) if isinstance(p.get("files"), str) else p.get("files")
        except ValueError:
            items = None
        if not isinstance(items, list) or not items:
            return self._err("invalid_arguments")
        ids = [str(item.get("id")) for item in items]
        if any(self._pending_uploads.get(i, {}).get("data") is None for i in ids):
            return self._err("file_not_found")  # never requested, or bytes never POSTed
        channel = p.get("channel_id") or (p.get("channels") or "").split(",")[0] or None
        thread_ts = p.get("thread_ts") or None
        for item in items:
            fid = str(item["id"])
            pend = self._pending_uploads.pop(fid)
            self.files[fid] = {
                "name": pend["name"],
                "title": item.get("title") or pend["name"],
                "data": pend["data"],
                "mimetype": mimetypes.guess_type(pend["name"])[0] or "application/octet-stream",
                "channel": channel,
                "thread_ts": thread_ts,
                "user": BOT_USER_ID,
            }
        objs = [self._file_obj(i) for i in ids]
        if channel:
            shared = [{k: o[k] for k in ("id", "name", "title", "mimetype", "size")} for o in objs]
            self._store(
                channel, {"text": p.get("initial_comment") or "", "thread_ts": thread_ts, "files": shared}
            )
        return self._ok(files=objs)

    async def _files_info(self, request: web.Request, call: Call) -> web.StreamResponse:
        if (denied := self._auth_failed(call)) is not None:
            return denied
        file_id = call.params.get("file")
        if file_id not in self.files:
            return self._err("file_not_found")
        return self._ok(file=self._file_obj(file_id), comments=[], response_metadata={"next_cursor": ""})

    async def _download(self, request: web.Request, call: Call) -> web.StreamResponse:
        parts = request.path.split("/")  # ["", "files-pri", file_id, ...name]
        file_id = parts[2] if len(parts) > 2 else ""
        if self.token is not None and not self.bearer_ok(call):
            # Slack does not 401 here: it redirects to a sign-in HTML page (a 200 after redirects).
            return web.Response(
                status=302, headers={"Location": f"{self.url}/signin?redir={quote(request.path)}"}
            )
        f = self.files.get(file_id)
        if f is None or f["data"] is None:
            return web.Response(status=404, text="file not found")
        return web.Response(body=f["data"], headers={"Content-Type": f["mimetype"]})

    async def _signin_page(self, request: web.Request, call: Call) -> web.StreamResponse:
        return web.Response(
            text="<!DOCTYPE html><html><body>Sign in to Fake Slack</body></html>", content_type="text/html"
        )
