"""A fake Slack Web API that slack_sdk's AsyncWebClient talks to over HTTP.

Point the client at it with ``AsyncWebClient(token=..., base_url=fake.url + "/api/")``. It keeps a
small message store (channels, threads, reactions, files) so tests can assert on what agents see.
Wire details mirrored from slack_sdk 3.x: chat.* methods send a JSON body (``blocks`` already a
list), reactions.* / chat.delete / files.*External send everything as *query params* on a POST,
users.info / files.info / chat.getPermalink are GETs, and ``files.completeUploadExternal`` gets
``files`` as a JSON *string*. The v2 upload POSTs the raw bytes to the returned ``upload_url`` and
only accepts a text/plain answer.
"""

from __future__ import annotations

from aiohttp import web

from ..fake_server import Call, Fault, Handler
from .base import BOT_ID, BOT_USER_ID, TEAM_ID
from .chat import ChatMethods
from .conversations import ConversationMethods
from .files import FileMethods
from .socket_mode import SocketMode
from .views import ViewMethods
from .workspace import Workspace


class FakeSlackAPI(Workspace, ChatMethods, FileMethods, ViewMethods, ConversationMethods, SocketMode):
    """Fake Slack Web API: chat, reactions, users, files (v2 upload flow and private downloads).

    Method names for recording and faults are the Slack method names (``chat.postMessage``);
    the byte upload is ``files.upload_bytes`` and private file downloads ``files.download``.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        ts_origin: float = 1_700_000_000,
    ) -> None:
        """See ``SlackBase``; this routes each Slack method name to its family's handler."""
        super().__init__(token=token, host=host, port=port, ts_origin=ts_origin)
        self._methods: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._permalink,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "users.info": self._users_info,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._files_info,
            "apps.connections.open": self._connections_open,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "usergroups.users.list": self._usergroup_users,
            "conversations.open": self._conversations_open,
            "conversations.replies": self._conversations_replies,
            "conversations.info": self._conversations_info,
        }

    def _resolve(self, request: web.Request) -> tuple[str, Handler]:
        path = request.path
        if path.startswith("/api/"):
            name = path[len("/api/") :].strip("/")
            return name, self._methods.get(name, self._unknown_method)
        if path.startswith("/upload/") and request.method == "POST":
            return "files.upload_bytes", self._upload_bytes
        if path.startswith("/files-pri/") and request.method == "GET":
            return "files.download", self._download
        if path == "/signin":
            return "signin", self._signin_page
        if path.startswith("/response/") and request.method == "POST":
            return "response_url", self._response_url
        if path == "/socket-mode":
            return "socket_mode", self._socket_mode
        return "unknown", self._not_found

    def _fault_response(self, call: Call, fault: Fault) -> web.StreamResponse:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        if fault.body is not None:
            return web.json_response(fault.body, status=fault.status)
        if fault.status == 429:
            default = "ratelimited"
        elif fault.status >= 500 or fault.status == 200:
            default = "fatal_error"
        else:
            default = "invalid_request"
        return self._err(fault.error or default, status=fault.status)

    async def _auth_test(self, request: web.Request, call: Call) -> web.StreamResponse:
        """Who the token belongs to; Slack answers ``not_authed`` without a token, ``invalid_auth``
        for a wrong one."""
        if self.token is not None and not (self.bearer_ok(call) or call.params.get("token") == self.token):
            has_token = call.headers.get("Authorization") or call.params.get("token")
            return self._err("invalid_auth" if has_token else "not_authed")
        return self._ok(
            url="https://fake.slack.com/",
            team="Fake",
            user="fakebot",
            team_id=TEAM_ID,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    async def _unknown_method(self, request: web.Request, call: Call) -> web.StreamResponse:
        return self._err("unknown_method", req_method=call.method_name)

    async def _not_found(self, request: web.Request, call: Call) -> web.StreamResponse:
        return web.Response(status=404, text="Not Found")
