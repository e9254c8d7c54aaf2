"""Read Telegram updates: one inbox item per update, and each turned into a core event.

Updates are parsed with python-telegram-bot's own types (``Update.de_json``). Only private
chats are customer conversations; a private chat's id is the customer's Telegram address.
Platform ids given to the core are namespaced per chat (``tg:<chat>:<message>``), because
Telegram numbers messages per chat while the desk keeps them in one table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import CallbackQuery, Message, MessageReactionUpdated, ReactionTypeEmoji, Update
from telegram.constants import ChatType
from telegram.helpers import effective_message_type

from core.common.inbox import InboxItem
from core.customers.model import Channel
from core.delivery import texts as delivery_texts
from core.tickets import texts as tickets_texts
from core.tickets.model import Attachment, InboundMessage, MessageKind
from handlers.http.webhook_body import MalformedBody

SOURCE = "telegram"
KIND_UPDATE = "update"

# Updates the bot asks Telegram for (webhook registration and polling alike).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "message_reaction")


class MalformedUpdate(MalformedBody):
    """The body is JSON but not a Telegram update."""


def item(update: Any) -> InboxItem:
    """The inbox item of one update, keyed on ``update_id`` so a re-delivery is stored once."""
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise MalformedUpdate("expected an object with an integer 'update_id'")
    return InboxItem(SOURCE, KIND_UPDATE, f"tg:update:{update_id}", update)


def message_id(chat_id: int | str, message_id_: int | str) -> str:
    """The platform id the core stores for a Telegram message (ours or the customer's)."""
    return f"tg:{chat_id}:{message_id_}"


def to_message(payload: dict) -> InboundMessage | None:
    """The customer event an update carries; None for updates that are not one (a group chat)."""
    try:
        update = Update.de_json(payload)
        if update.callback_query is not None:
            return _callback(update.callback_query)
        if update.message_reaction is not None:
            return _reaction(update.update_id, update.message_reaction)
        if update.message is not None:
            return _message(update.message)
        if update.edited_message is not None:
            return _edited(update.edited_message)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError):
        return _unreadable(payload)
    return None


def _base(message: Message, external_id: str) -> dict[str, Any] | None:
    if message.chat.type != ChatType.PRIVATE:
        return None
    user = message.from_user
    return dict(
        channel=Channel.TELEGRAM,
        external_id=external_id,
        sender=str(message.chat.id),
        sender_name=user.full_name if user else message.chat.full_name,
        sent_at=_when(message.date),
    )


def _message(message: Message) -> InboundMessage | None:
    base = _base(message, message_id(message.chat.id, message.message_id))
    if base is None:
        return None
    return InboundMessage(**base, **_content(message))


def _edited(message: Message) -> InboundMessage | None:
    stamp = int((message.edit_date or message.date).timestamp())
    base = _base(message, f"{message_id(message.chat.id, message.message_id)}:edit:{stamp}")
    if base is None:
        return None
    return InboundMessage(
        **base, kind=MessageKind.TEXT, text=tickets_texts.edited(message.text or message.caption)
    )


def _content(message: Message) -> dict[str, Any]:
    """Kind, text, attachment and shared phone of one message, by what it carries."""
    caption = message.caption
    if message.text is not None:
        return {"kind": MessageKind.TEXT, "text": message.text}
    if message.photo:
        photo = message.photo[-1]  # the largest size
        attachment = Attachment(photo.file_id, "image/jpeg", f"telegram-{photo.file_unique_id}.jpg", caption)
        return {"kind": MessageKind.IMAGE, "attachment": attachment, "text": caption}
    media = _media(message)
    if media is not None:
        kind, file_id, mime_type, filename = media
        return {
            "kind": kind,
            "attachment": Attachment(file_id, mime_type, filename, caption),
            "text": caption,
        }
    if message.location is not None:
        venue = message.venue
        place = message.location
        name, address = (venue.title, venue.address) if venue else (None, None)
        return {
            "kind": MessageKind.LOCATION,
            "text": tickets_texts.location(name, address, place.latitude, place.longitude),
        }
    if message.contact is not None:
        contact = message.contact
        name = " ".join(part for part in (contact.first_name, contact.last_name) if part)
        own = message.from_user is not None and contact.user_id == message.from_user.id
        return {
            "kind": MessageKind.CONTACTS,
            "text": tickets_texts.contact_card(name, [contact.phone_number]),
            # only the sender's own number links identities: anyone can forward someone else's card
            "shared_phone": contact.phone_number if own else None,
        }
    return {
        "kind": MessageKind.UNSUPPORTED,
        "note": f"tipo {effective_message_type(message) or 'desconhecido'}",
    }


# File-carrying message fields (photos aside): kind, MIME type and extension when Telegram gives none.
_FILES = (
    ("document", MessageKind.DOCUMENT, "application/octet-stream", ""),
    ("voice", MessageKind.VOICE, "audio/ogg", ".ogg"),
    ("audio", MessageKind.AUDIO, "audio/mpeg", ".mp3"),
    ("video", MessageKind.VIDEO, "video/mp4", ".mp4"),
    ("video_note", MessageKind.VIDEO, "video/mp4", ".mp4"),
    ("animation", MessageKind.VIDEO, "video/mp4", ".mp4"),
)


def _media(message: Message) -> tuple[MessageKind, str, str, str] | None:
    """Kind, file id, MIME type and file name of a file-carrying message (photos aside)."""
    unique = f"telegram-{message.message_id}"
    for field, kind, mime_type, extension in _FILES:
        media = getattr(message, field)
        if media is not None:
            mime = getattr(media, "mime_type", None) or mime_type
            return kind, media.file_id, mime, getattr(media, "file_name", None) or f"{unique}{extension}"
    if message.sticker is not None:
        sticker = message.sticker
        if sticker.is_video:
            return MessageKind.STICKER, sticker.file_id, "video/webm", f"{unique}.webm"
        if sticker.is_animated:
            return MessageKind.STICKER, sticker.file_id, "application/x-tgsticker", f"{unique}.tgs"
        return MessageKind.STICKER, sticker.file_id, "image/webp", f"{unique}.webp"
    return None


def _callback(query: CallbackQuery) -> InboundMessage | None:
    """A tap on an inline keyboard button we sent: the option's title, and its id as the choice."""
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    if message is not None and message.chat.type != ChatType.PRIVATE:
        return None
    title = query.data or ""
    markup = getattr(message, "reply_markup", None)
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == query.data:
                title = button.text
    return InboundMessage(
        channel=Channel.TELEGRAM,
        external_id=f"tg:callback:{query.id}",
        sender=str(chat_id),
        sender_name=query.from_user.full_name,
        kind=MessageKind.INTERACTIVE,
        sent_at=datetime.now(tz=UTC),  # Telegram does not date a tap
        text=tickets_texts.tapped_option(title),
        choice_id=query.data,
    )


def _reaction(update_id: int, reaction: MessageReactionUpdated) -> InboundMessage | None:
    """The customer reacted to a message (one of theirs or an agent's): the emoji, or its removal."""
    if reaction.chat.type != ChatType.PRIVATE:
        return None
    emoji = next((r.emoji for r in reaction.new_reaction if isinstance(r, ReactionTypeEmoji)), None)
    return InboundMessage(
        channel=Channel.TELEGRAM,
        external_id=f"tg:update:{update_id}",
        sender=str(reaction.chat.id),
        sender_name=reaction.user.full_name if reaction.user else None,
        kind=MessageKind.REACTION,
        sent_at=_when(reaction.date),
        text=emoji,
        reaction_to=message_id(reaction.chat.id, reaction.message_id),
    )


def _when(date: datetime | None) -> datetime:
    """When a message was sent; now, when Telegram's update lacks the date."""
    return date if isinstance(date, datetime) else datetime.now(tz=UTC)


def _unreadable(payload: dict) -> InboundMessage | None:
    """A private-chat message in a shape the library cannot read: its text if it has one, else a
    visible note; never silence."""
    raw = payload.get("message") or payload.get("edited_message")
    chat = raw.get("chat") if isinstance(raw, dict) else None
    if (
        not isinstance(chat, dict)
        or chat.get("type") != ChatType.PRIVATE
        or not isinstance(chat.get("id"), int)
    ):
        return None
    assert isinstance(raw, dict)
    text = raw.get("text")
    content: dict[str, Any] = (
        {"kind": MessageKind.TEXT, "text": text}
        if isinstance(text, str) and text
        else {"kind": MessageKind.UNSUPPORTED, "note": delivery_texts.unreadable("mensagem")}
    )
    return InboundMessage(
        channel=Channel.TELEGRAM,
        external_id=f"tg:update:{payload['update_id']}",
        sender=str(chat["id"]),
        sender_name=None,
        sent_at=datetime.now(tz=UTC),
        **content,
    )
