"""Where effects go out: the agents' desk (Slack) and the customer's channel (WhatsApp, Telegram)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO, Protocol

from core.ai.model import DraftView
from core.common.markup import Markup
from core.tickets.model import (
    Attachment,
    Choice,
    FileData,
    FileInfo,
    TicketView,
)


class AgentDesk(Protocol):
    """Where agents work (Slack): one thread per ticket. Refs are opaque strings the desk issues.

    Texts are shown exactly as written, whoever wrote them; only :class:`core.common.markup.Markup`
    (mentions, links) is read as markup.
    """

    async def post_ticket(self, view: TicketView) -> str:
        """Post a ticket's parent message; returns the thread ref."""
        ...

    async def update_ticket(self, thread_ref: str, view: TicketView) -> None:
        """Redraw a ticket's parent message."""
        ...

    async def post_in_thread(
        self, thread_ref: str, text: str, *, author: str | None = None, key: str | None = None
    ) -> str:
        """Post a reply in a ticket's thread, optionally shown as written by ``author``; returns its ref.

        ``key`` travels with the post (Slack message metadata) so :meth:`find_in_thread` can
        tell later whether a post whose answer was lost did appear.
        """
        ...

    async def find_in_thread(self, thread_ref: str, key: str) -> str | None:
        """The ref of the reply posted with ``key`` in the thread, or None if there is none."""
        ...

    async def upload_to_thread(self, thread_ref: str, file: BinaryIO, info: FileInfo, comment: str) -> str:
        """Upload ``info.size`` bytes read from ``file`` (streamed, never whole in memory) into a
        ticket's thread; returns a ref."""
        ...

    async def react(self, message_ref: str, emoji: str) -> None:
        """Add an emoji reaction to a message on the desk (``emoji`` is a Unicode emoji)."""
        ...

    async def download(self, file_ref: str, limit: int) -> FileData:
        """Fetch a file an agent attached; :class:`core.common.errors.FileTooLarge` past ``limit`` bytes."""
        ...

    async def post_to_channel(self, channel: str, text: str) -> str:
        """Post a message at the top of a desk channel (a tier's channel); returns its ref."""
        ...

    async def permalink(self, ref: str) -> str:
        """A link that opens this message (a ticket's thread) on the desk."""
        ...

    async def post_context(self, thread_ref: str, text: str) -> str:
        """Post a small, quiet line in a thread (the AI's triage); returns its ref."""
        ...

    async def post_draft(self, thread_ref: str, draft: DraftView) -> str:
        """Post an AI draft with its Enviar / Editar / Descartar buttons; returns its ref."""
        ...

    async def update_draft(self, draft_ref: str, draft: DraftView) -> None:
        """Redraw a draft once an agent decided (the buttons give way to who did what)."""
        ...

    def mention_user(self, user: str) -> Markup:
        """How to name an agent in a desk message so they are notified."""
        ...

    def mention_group(self, group: str) -> Markup:
        """How to name a group of agents (a tier) in a desk message so they are notified."""
        ...

    def link(self, url: str, label: str) -> Markup:
        """How to write ``label`` linking to ``url`` (a permalink) in a desk message."""
        ...


class CustomerChannel(Protocol):
    """A messaging platform customers write from (WhatsApp, Telegram)."""

    async def send_text(self, to: str, text: str, *, tracker: str | None = None) -> str:
        """Send text; returns the platform's message id.

        ``tracker`` travels with the message and comes back in its status reports where the
        platform supports it (WhatsApp's ``biz_opaque_callback_data``), so a send whose answer
        was lost can still be recognised.
        """
        ...

    async def send_template(
        self, to: str, template: str, language: str, text: str, *, tracker: str | None = None
    ) -> str:
        """Send an approved message template whose one body parameter is ``text`` (WhatsApp's way
        to write first, outside the 24-hour window); returns the platform's message id.

        Raises :class:`core.common.errors.PermanentError` on a platform without templates.
        """
        ...

    async def send_file(self, to: str, file: FileData, caption: str | None) -> str:
        """Send a file as the best-fitting media type; returns the platform's message id."""
        ...

    async def send_choices(self, to: str, text: str, choices: Sequence[Choice], button: str) -> str:
        """Offer options to pick from (a rating, a menu); the pick comes back as ``choice_id``.

        ``button`` labels the control that opens a long list where the platform needs one.
        Returns the platform's message id.
        """
        ...

    async def download(self, attachment: Attachment, into: BinaryIO, limit: int) -> FileInfo:
        """Write a file the customer sent into ``into``, chunk by chunk.

        Raises :class:`core.common.errors.FileTooLarge` when the platform declares more than ``limit``
        bytes (before downloading) or sends more (reading stops there).
        """
        ...

    async def mark_read(self, external_id: str) -> None:
        """Show the customer that their messages were read."""
        ...
