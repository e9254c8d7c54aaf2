"""``/suporte anunciar TEXTO``: a supervisor announces a feature to recently active customers."""

from __future__ import annotations

from core.journeys import texts as journeys_texts
from core.journeys.run import Journeys
from handlers.slack.commands import CommandReply, CommandRequest

MAX_TEXT = 700
"""Long enough for a feature and a link; WhatsApp templates cap a variable at about 1,000 characters."""


class AnnounceCommand:
    """Records the announcement; the daily journeys run sends it (supervisors only: the router checks)."""

    def __init__(self, journeys: Journeys) -> None:
        self._journeys = journeys

    async def __call__(self, request: CommandRequest) -> CommandReply:
        text = request.text.strip()
        if not text or len(text) > MAX_TEXT:
            return CommandReply(journeys_texts.ANNOUNCE_USAGE)
        announcement_id, audience = await self._journeys.announce(text, request.user)
        policy = self._journeys.policy
        quiet = f"{policy.quiet_from:%H:%M} e {policy.quiet_until:%H:%M}"
        return CommandReply(journeys_texts.announcement_queued(announcement_id, audience, quiet))
