"""Files for one person's eyes: uploaded to the app's private conversation with them.

Exports (a customer's LGPD copy, the feature backlog as CSV) are for the supervisor who
asked, not for whoever reads the channel the command was typed in, so they never go to a
channel.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient


async def upload_privately(
    client: AsyncWebClient, user: str, content: str | bytes, filename: str, comment: str
) -> None:
    """Upload ``content`` as ``filename`` into the app's direct messages with ``user``."""
    private = await client.conversations_open(users=user)
    await client.files_upload_v2(
        channel=private["channel"]["id"],
        content=content,
        filename=filename,
        title=filename,
        initial_comment=comment,
    )
