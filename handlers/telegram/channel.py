"""The Telegram side of the CustomerChannel port, on python-telegram-bot's ``Bot``.

``TELEGRAM_API_URL`` is the Bot API server's root (Telegram's, a local Bot API server, or a
test fake): the library calls ``<root>/bot<token>/<method>`` and fetches files from
``<root>/file/bot<token>/<path>``. The library does not retry; failures are sorted into
transient and permanent errors for the outbox, and a user who blocked the bot is a
permanent failure shown in the thread.
"""

from __future__ import annotations

import mimetypes
import warnings
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from typing import BinaryIO, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from core.common.errors import PermanentError, TransientError
from core.tickets.model import Attachment, Choice, FailureReason, FileData, FileInfo
from handlers.http.media_limits import check_declared
from handlers.telegram.parse import message_id

T = TypeVar("T")

# Telegram's limits: callback data of an inline button is 1-64 bytes.
CALLBACK_DATA_BYTES = 64
# Short options share a row of the inline keyboard; longer ones get a row each.
ROW_TITLES = 3
SHORT_TITLE = 12
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Telegram's limits on a message and a caption (with a margin: it counts some characters twice).
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH - 96
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH - 24


def pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into parts of at most ``limit`` characters, at a line break or a space where possible."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    return [*parts, text]


def make_bot(token: str, api_url: str, *, timeout: float, poll_timeout: float) -> Bot:
    """The Bot pointed at ``api_url``, with real timeouts (long polls wait ``poll_timeout`` more)."""
    root = api_url.rstrip("/")
    return Bot(
        token,
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        request=HTTPXRequest(
            connection_pool_size=32, connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout
        ),
        get_updates_request=HTTPXRequest(
            connection_pool_size=1, connect_timeout=timeout, read_timeout=timeout + poll_timeout
        ),
    )


class TelegramChannel:
    """Implements :class:`core.delivery.ports.CustomerChannel` for Telegram private chats
    (``to`` is the chat id)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_text(self, to: str, text: str, *, tracker: str | None = None) -> str:
        """Text longer than a Telegram message goes in several, cut at line breaks; returns the last id.

        Telegram has no tracker to echo (nor a 24-hour window): ``tracker`` is ignored.
        """
        sent = ""
        for piece in pieces(text, TEXT_LIMIT):
            sent = _id(await call(self._bot.send_message(chat_id=int(to), text=piece)))
        return sent

    async def send_template(
        self, to: str, template: str, language: str, text: str, *, tracker: str | None = None
    ) -> str:
        """Telegram has no message templates (and needs none: any text may be sent at any time)."""
        raise PermanentError("Telegram não tem modelos de mensagem")

    async def send_file(self, to: str, file: FileData, caption: str | None) -> str:
        """Photos inline, voice notes as voice, other audio and video playable; anything else a document.

        A caption longer than Telegram allows under a file goes first, as text.
        """
        if caption and len(caption) > CAPTION_LIMIT:
            await self.send_text(to, caption)
            caption = None
        upload = InputFile(file.data, filename=file.filename)
        chat_id, mime = int(to), file.mime_type
        if mime in PHOTO_TYPES:
            sent = self._bot.send_photo(chat_id=chat_id, photo=upload, caption=caption)
        elif mime == "audio/ogg":
            sent = self._bot.send_voice(chat_id=chat_id, voice=upload, caption=caption)
        elif mime.startswith("audio/"):
            sent = self._bot.send_audio(chat_id=chat_id, audio=upload, caption=caption)
        elif mime == "video/mp4":
            sent = self._bot.send_video(chat_id=chat_id, video=upload, caption=caption)
        else:
            sent = self._bot.send_document(chat_id=chat_id, document=upload, caption=caption)
        return _id(await call(sent))

    async def send_choices(self, to: str, text: str, choices: Sequence[Choice], button: str) -> str:
        """An inline keyboard under the text; a tap comes back as a callback query (``choice_id``).

        ``button`` labels WhatsApp's list opener; inline keyboards show every option at once.
        """
        for choice in choices:
            if not 1 <= len(choice.id.encode()) <= CALLBACK_DATA_BYTES:
                raise ValueError(
                    f"choice id {choice.id!r} must be 1-{CALLBACK_DATA_BYTES} bytes for Telegram"
                )
        keys = [InlineKeyboardButton(c.title, callback_data=c.id) for c in choices]
        fits_one_row = len(keys) <= ROW_TITLES and all(len(c.title) <= SHORT_TITLE for c in choices)
        rows = [keys] if fits_one_row else [[key] for key in keys]
        lines = [text] + [f"• {c.title}: {c.description}" for c in choices if c.description]
        markup = InlineKeyboardMarkup(rows)
        return _id(
            await call(self._bot.send_message(chat_id=int(to), text="\n".join(lines), reply_markup=markup))
        )

    async def download(self, attachment: Attachment, into: BinaryIO, limit: int) -> FileInfo:
        """The declared ``file_size`` is checked first. python-telegram-bot reads a file whole, but
        the Bot API serves bots files of at most 20 MB, so that is the most held in memory."""
        file = await call(self._bot.get_file(attachment.ref))
        check_declared(file.file_size, limit)
        data = bytes(await call(file.download_as_bytearray()))
        check_declared(len(data), limit)  # a file that grew past its declared size
        into.write(data)
        mime_type = attachment.mime_type or _guess_type(file.file_path) or "application/octet-stream"
        filename = (
            attachment.filename
            or f"telegram-{file.file_unique_id}{mimetypes.guess_extension(mime_type) or ''}"
        )
        return FileInfo(mime_type, filename, len(data))

    async def mark_read(self, external_id: str) -> None:
        """Telegram shows bots' users no read receipts: nothing to do."""


async def call(awaitable: Awaitable[T]) -> T:
    """Await a python-telegram-bot call, translating its failures into the core's retry vocabulary."""
    try:
        return await awaitable
    except RetryAfter as error:
        raise TransientError(str(error), retry_after=retry_seconds(error)) from error
    except Forbidden as error:  # blocked by the user, or the account is gone
        blocked = "blocked" in error.message.lower()
        raise PermanentError(
            error.message, reason=FailureReason.BLOCKED if blocked else FailureReason.UNKNOWN
        ) from error
    except BadRequest as error:  # chat not found, a file Telegram refuses...: the detail says which
        raise PermanentError(error.message) from error
    except NetworkError as error:  # timeouts, 5xx, connection trouble
        raise TransientError(f"{type(error).__name__}: {error.message}") from error
    except TelegramError as error:  # a rejected token, a conflict: retrying will not fix it
        raise PermanentError(f"{type(error).__name__}: {error.message}") from error


def _id(message: Message) -> str:
    return message_id(message.chat.id, message.message_id)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asks us to wait (an int today, a timedelta in the library's next major version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _guess_type(path: str | None) -> str | None:
    return mimetypes.guess_type(path)[0] if path else None
