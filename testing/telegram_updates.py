"""Builders of Telegram Bot API updates as Telegram sends them (webhook body or getUpdates item).

Private chats only: a customer's chat id equals their user id. Update ids count up from a
random start, as Telegram's do; pass ``update_id`` to build a re-delivery.
"""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

_update_ids = itertools.count(random.randint(100_000_000, 800_000_000))
_message_ids = itertools.count(1)


def _user(chat_id: int, name: str) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": first, "language_code": "pt-br"}
    if last:
        user["last_name"] = last
    return user


def tg_message(chat_id: int, name: str, update_id: int | None = None, **content: Any) -> dict[str, Any]:
    """An update carrying one new message from a customer's private chat with ``content`` fields."""
    user = _user(chat_id, name)
    message = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {
            **{k: v for k, v in user.items() if k in ("first_name", "last_name")},
            "id": chat_id,
            "type": "private",
        },
        "from": user,
        **content,
    }
    return {"update_id": update_id if update_id is not None else next(_update_ids), "message": message}


def tg_text(chat_id: int, name: str, text: str, update_id: int | None = None) -> dict[str, Any]:
    """A text message."""
    return tg_message(chat_id, name, update_id, text=text)


def tg_photo(chat_id: int, name: str, file_id: str, caption: str | None = None) -> dict[str, Any]:
    """A photo, in the sizes Telegram offers (the last is the largest)."""
    sizes = [
        {"file_id": f"{file_id}-small", "file_unique_id": f"u{file_id}s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1280, "height": 960},
    ]
    extra: dict[str, Any] = {"caption": caption} if caption else {}
    return tg_message(chat_id, name, photo=sizes, **extra)


def tg_voice(chat_id: int, name: str, file_id: str) -> dict[str, Any]:
    """A voice note (OGG/Opus)."""
    voice = {"file_id": file_id, "file_unique_id": f"u{file_id}", "duration": 4, "mime_type": "audio/ogg"}
    return tg_message(chat_id, name, voice=voice)


def tg_document(chat_id: int, name: str, file_id: str, filename: str, mime_type: str) -> dict[str, Any]:
    """A document with its file name."""
    document = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_name": filename,
        "mime_type": mime_type,
    }
    return tg_message(chat_id, name, document=document)


def tg_audio(chat_id: int, name: str, file_id: str, filename: str) -> dict[str, Any]:
    """A music/audio file (not a voice note)."""
    audio = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "duration": 30,
        "file_name": filename,
        "mime_type": "audio/mpeg",
    }
    return tg_message(chat_id, name, audio=audio)


def tg_contact(chat_id: int, name: str, phone: str, user_id: int | None) -> dict[str, Any]:
    """A shared contact; ``user_id == chat_id`` when customers share their own number."""
    first, _, last = name.partition(" ")
    contact: dict[str, Any] = {"phone_number": phone, "first_name": first}
    if last:
        contact["last_name"] = last
    if user_id is not None:
        contact["user_id"] = user_id
    return tg_message(chat_id, name, contact=contact)


def tg_callback(
    chat_id: int, name: str, data: str, keyboard_message: dict[str, Any], update_id: int | None = None
) -> dict[str, Any]:
    """The customer tapped an inline keyboard button of ``keyboard_message`` (a message the bot sent)."""
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "callback_query": {
            "id": str(random.randint(10**17, 10**18)),
            "from": _user(chat_id, name),
            "chat_instance": "-1234567890",
            "data": data,
            "message": {
                "message_id": keyboard_message["message_id"],
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": keyboard_message.get("text", ""),
                "reply_markup": keyboard_message.get("reply_markup"),
            },
        },
    }
