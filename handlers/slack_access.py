"""Who may do what on the desk: supervisors are a configured user list and/or a Slack user group.

Group membership is read from Slack (``usergroups.users.list``) and cached briefly, so
adding someone to the group in Slack is enough; a Slack error never grants access.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.service import SupportDesk

log = logging.getLogger(__name__)

GROUP_CACHE_SECONDS = 60.0


class SlackAccess:
    """Answers "is this user a supervisor?" and audits refusals."""

    def __init__(
        self,
        client: AsyncWebClient,
        support: SupportDesk,
        supervisors: Iterable[str] = (),
        supervisor_group: str = "",
    ) -> None:
        self._client = client
        self._support = support
        self._supervisors = frozenset(supervisors)
        self._group = supervisor_group
        self._group_members: frozenset[str] = frozenset()
        self._group_read_at = float("-inf")

    async def is_supervisor(self, user: str) -> bool:
        """Listed by id, or a member of the supervisors' user group."""
        if user in self._supervisors:
            return True
        return bool(self._group) and user in await self._members()

    async def refuse(self, user: str, what: str) -> None:
        """Record that ``user`` was refused ``what`` (the caller tells the user)."""
        log.info("refused %s to %s", what, user)
        await self._support.audit_refusal(user, what)

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
