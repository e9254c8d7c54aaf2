"""Who may do what on the desk, and from which Slack workspace.

Supervisors and agents are each a configured user list and/or a Slack user group. Group
membership is read from Slack (``usergroups.users.list``) and cached briefly, so adding
someone to the group in Slack is enough; a Slack error never grants access. With no agents
configured, everyone in the workspace is an agent. Requests signed with our secret but
coming from another workspace (a shared app, a leaked secret), or naming none, are refused
outright.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.tickets.service import SupportDesk

log = logging.getLogger(__name__)

GROUP_CACHE_SECONDS = 60.0


class Role:
    """People named by id and/or by a Slack user group."""

    def __init__(self, client: AsyncWebClient, users: Iterable[str], group: str) -> None:
        self._client = client
        self._users = frozenset(users)
        self._group = group
        self._group_members: frozenset[str] = frozenset()
        self._group_read_at = float("-inf")

    @property
    def configured(self) -> bool:
        """Whether anyone at all was named."""
        return bool(self._users or self._group)

    async def includes(self, user: str) -> bool:
        """Listed by id, or a member of the user group."""
        if user in self._users:
            return True
        return bool(self._group) and user in await self._members()

    async def _members(self) -> frozenset[str]:
        if time.monotonic() - self._group_read_at < GROUP_CACHE_SECONDS:
            return self._group_members
        try:
            response = await self._client.usergroups_users_list(usergroup=self._group)
        except SlackApiError as error:
            log.warning("cannot read user group %s: %s", self._group, error.response.get("error"))
            return self._group_members  # keep the last known members; never widen access on error
        self._group_members = frozenset(response.get("users") or [])
        self._group_read_at = time.monotonic()
        return self._group_members


class SlackAccess:
    """Answers "is this user a supervisor / an agent?" and audits refusals."""

    def __init__(self, support: SupportDesk, supervisors: Role, agents: Role) -> None:
        self._support = support
        self._supervisors = supervisors
        self._agents = agents

    async def is_supervisor(self, user: str) -> bool:
        """May run reports, crisis broadcasts, LGPD and QA."""
        return await self._supervisors.includes(user)

    async def is_agent(self, user: str) -> bool:
        """May claim and resolve tickets: a configured agent or supervisor; anyone when none is configured."""
        if not self._agents.configured:
            return True
        return await self._agents.includes(user) or await self._supervisors.includes(user)

    async def refuse(self, user: str, what: str) -> None:
        """Record that ``user`` was refused ``what`` (the caller tells the user)."""
        log.info("refused %s to %s", what, user)
        await self._support.audit_refusal(user, what)

    def guard_workspace(self, app: AsyncApp) -> None:
        """Refuse every request whose workspace is not the one our bot token belongs to.

        Bolt learns our workspace from ``auth.test`` (its authorization step) before this runs. A
        request that names no workspace is refused too: an Enterprise Grid organisation's request
        carries only its ``enterprise_id``, and nothing says it comes from our workspace. (Slack's
        handshakes, which need no authorization, name none and are not checked.)
        """

        @app.middleware
        async def only_our_workspace(
            context: Any, next: Callable[[], Awaitable[BoltResponse]]
        ) -> BoltResponse | None:
            ours = context.authorize_result.team_id if context.authorize_result else None
            theirs = context.team_id
            if ours and theirs != ours:
                user = context.user_id if isinstance(context.user_id, str) else "?"
                where = theirs or f"none (enterprise {context.enterprise_id or '?'})"
                await self.refuse(user, f"request from workspace {where}")
                return BoltResponse(status=403, body="this app serves another Slack workspace")
            return await next()
