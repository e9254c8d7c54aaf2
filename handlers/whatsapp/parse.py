"""Read WhatsApp Cloud API webhooks: split them into inbox items, and turn each into a core event.

pywa's own parser is not used for inbound webhooks: it reads only the first message of
``entry[0].changes[0]`` and fails on real payloads without ``contacts[].user_id``. This
module reads every message and status of every entry and change, and tolerates both.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from core.common.inbox import InboxItem
from core.customers.model import Channel
from core.delivery import texts as delivery_texts
from core.tickets import texts as tickets_texts
from core.tickets.model import Attachment, DeliveryState, DeliveryUpdate, InboundMessage, MessageKind
from handlers.http.webhook_body import MalformedBody
from handlers.whatsapp.errors import reason_for

SOURCE = "whatsapp"
KIND_MESSAGE = "message"
KIND_STATUS = "status"
KIND_OTHER = "other"

_MEDIA = {
    "image": MessageKind.IMAGE,
    "document": MessageKind.DOCUMENT,
    "audio": MessageKind.AUDIO,
    "video": MessageKind.VIDEO,
    "sticker": MessageKind.STICKER,
}

_STATES = {
    "sent": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.READ,
    "played": DeliveryState.READ,
    "failed": DeliveryState.FAILED,
}


class MalformedWebhook(MalformedBody):
    """The body is JSON but not shaped like a WhatsApp webhook."""


def split(body: Any) -> list[InboxItem]:
    """Every message, status and other change of a webhook body, in order, as inbox items."""
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        raise MalformedWebhook("expected an object with an 'entry' list")
    items: list[InboxItem] = []
    for entry in body["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            raise MalformedWebhook("each entry must be an object with a 'changes' list")
        for change in entry.get("changes", []):
            if not isinstance(change, dict) or not isinstance(change.get("value", {}), dict):
                raise MalformedWebhook("each change must be an object with an object 'value'")
            items.extend(_split_change(change))
    return items


def _split_change(change: dict) -> list[InboxItem]:
    value = change.get("value", {})
    messages = value.get("messages") or []
    statuses = value.get("statuses") or []
    if change.get("field") != "messages" or not (messages or statuses):
        digest = hashlib.sha256(json.dumps(change, sort_keys=True).encode()).hexdigest()
        return [InboxItem(SOURCE, KIND_OTHER, f"wa:other:{digest}", {"field": change.get("field")})]
    if not isinstance(messages, list) or not isinstance(statuses, list):
        raise MalformedWebhook("'messages' and 'statuses' must be lists")
    listed = value.get("contacts")
    contacts = [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    items = []
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("id"), str):
            raise MalformedWebhook("each message needs a string 'id'")
        contact = next((c for c in contacts if c.get("wa_id") == message.get("from")), None)
        if contact is None and len(contacts) == 1:
            contact = contacts[0]  # older payloads name the one sender without repeating the number
        items.append(
            InboxItem(
                SOURCE, KIND_MESSAGE, f"wa:msg:{message['id']}", {"message": message, "contact": contact}
            )
        )
    for status in statuses:
        if not isinstance(status, dict) or not isinstance(status.get("id"), str):
            raise MalformedWebhook("each status needs a string 'id'")
        key = f"wa:status:{status['id']}:{status.get('status')}"
        items.append(InboxItem(SOURCE, KIND_STATUS, key, {"status": status}))
    return items


def _timestamp(raw: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(tz=UTC)


def to_message(payload: dict) -> InboundMessage:
    """An inbox message item as a core message; unknown or broken types become a visible note."""
    msg = payload["message"]
    contact = payload.get("contact") or {}
    sender = str(msg.get("from") or contact.get("wa_id") or "")
    base = dict(
        channel=Channel.WHATSAPP,
        external_id=msg["id"],
        sender=sender,
        sender_name=_profile_name(contact),
        sent_at=_timestamp(msg.get("timestamp")),
    )
    kind = msg.get("type")
    try:
        content = _content(kind, msg)
        _require_strings(content)
        return InboundMessage(**base, **content)
    except (KeyError, TypeError, ValueError, AttributeError):
        return InboundMessage(**base, kind=MessageKind.UNSUPPORTED, note=delivery_texts.unreadable(kind))


def _profile_name(contact: dict) -> str | None:
    """The customer's WhatsApp profile name, if the contact carries a usable one."""
    profile = contact.get("profile")
    name = profile.get("name") if isinstance(profile, dict) else None
    return name if isinstance(name, str) and name else None


def _require_strings(content: dict[str, Any]) -> None:
    """Raise TypeError when a field the desk stores as text is not a string.

    A list or object where Meta sends a string would otherwise pass parsing and fail in the
    database, after the 200: the message would be lost instead of shown as unreadable.
    """
    attachment = content.get("attachment")
    values = [content.get(key) for key in ("text", "reaction_to", "note", "choice_id")]
    if attachment is not None:
        values += [attachment.ref, attachment.mime_type, attachment.filename, attachment.caption]
    if any(value is not None and not isinstance(value, str) for value in values):
        raise TypeError("a text field of the message is not a string")


def _content(kind: Any, msg: dict) -> dict[str, Any]:
    """Kind, text and attachment of one message, by WhatsApp type."""
    if kind == "text":
        return {"kind": MessageKind.TEXT, "text": msg["text"]["body"]}
    if kind in _MEDIA:
        media = msg[kind]
        message_kind = MessageKind.VOICE if kind == "audio" and media.get("voice") else _MEDIA[kind]
        attachment = Attachment(
            ref=str(media["id"]),
            mime_type=media.get("mime_type"),
            filename=media.get("filename"),
            caption=media.get("caption"),
        )
        return {"kind": message_kind, "attachment": attachment, "text": media.get("caption")}
    if kind == "location":
        loc = msg["location"]
        text = tickets_texts.location(loc.get("name"), loc.get("address"), loc["latitude"], loc["longitude"])
        return {"kind": MessageKind.LOCATION, "text": text}
    if kind == "contacts":
        cards = [_contact_card(card) for card in msg["contacts"]]
        return {"kind": MessageKind.CONTACTS, "text": "\n".join(cards)}
    if kind == "reaction":
        reaction = msg["reaction"]
        return {
            "kind": MessageKind.REACTION,
            "text": reaction.get("emoji") or None,
            "reaction_to": reaction.get("message_id"),
        }
    if kind == "interactive":
        interactive = msg["interactive"]
        picked = interactive.get(interactive["type"]) or {}
        return {
            "kind": MessageKind.INTERACTIVE,
            "text": _interactive(interactive),
            "choice_id": picked.get("id") if isinstance(picked, dict) else None,
        }
    if kind == "button":
        button = msg["button"]
        return {
            "kind": MessageKind.INTERACTIVE,
            "text": tickets_texts.tapped_option(button["text"]),
            "choice_id": button.get("payload"),
        }
    if kind == "order":
        lines = [_order_line(item) for item in msg["order"].get("product_items", [])]
        return {"kind": MessageKind.TEXT, "text": tickets_texts.order(lines)}
    if kind == "edit":
        inner = msg["edit"].get("message") or {}
        inner_type = inner.get("type")
        body = (
            (inner.get("text") or {}).get("body")
            if inner_type == "text"
            else (inner.get(inner_type) or {}).get("caption")
        )
        return {"kind": MessageKind.TEXT, "text": tickets_texts.edited(body)}
    if kind == "revoke":
        return {"kind": MessageKind.TEXT, "text": tickets_texts.REVOKED}
    if kind == "system":
        return {"kind": MessageKind.TEXT, "text": tickets_texts.platform_notice(msg["system"].get("body"))}
    return {"kind": MessageKind.UNSUPPORTED, "note": _unsupported_note(kind, msg)}


def _order_line(item: dict) -> str:
    """One product of a cart: quantity, catalogue id and unit price."""
    price = f"{item.get('item_price')} {item.get('currency', '')}".strip()
    return f"{item.get('quantity', 1)}× {item.get('product_retailer_id')} ({price})"


def _contact_card(card: dict) -> str:
    name = (card.get("name") or {}).get("formatted_name") or "sem nome"
    phones = [p.get("phone") or p.get("wa_id") for p in card.get("phones") or [] if isinstance(p, dict)]
    return tickets_texts.contact_card(name, [p for p in phones if p])


def _interactive(interactive: dict) -> str:
    kind = interactive["type"]
    if kind in ("button_reply", "list_reply"):
        reply = interactive[kind]
        return tickets_texts.tapped_option(reply["title"], reply.get("description"))
    if kind == "nfm_reply":
        return tickets_texts.form_sent(interactive["nfm_reply"].get("body"))
    raise ValueError(kind)


def _unsupported_note(kind: Any, msg: dict) -> str:
    errors = msg.get("errors") or []
    detail = (msg.get("unsupported") or {}).get("type") or (errors[0].get("title") if errors else None)
    return f"tipo {kind}" + (f": {detail}" if detail else "")


def to_delivery(payload: dict) -> DeliveryUpdate | None:
    """An inbox status item as a core delivery update; None for states we do not track."""
    status = payload["status"]
    raw_state = status.get("status")
    state = _STATES.get(raw_state) if isinstance(raw_state, str) else None
    if state is None:
        return None
    reason = detail = None
    if state is DeliveryState.FAILED:
        errors = status.get("errors")
        error = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        code = error.get("code") if isinstance(error.get("code"), int) else None
        reason = reason_for(code)
        detail = next(
            (d for d in (error.get("title"), error.get("message")) if isinstance(d, str) and d), None
        )
        if code:
            detail = f"{detail}, código {code}" if detail else f"código {code}"
    return DeliveryUpdate(
        channel=Channel.WHATSAPP,
        external_id=status["id"],
        state=state,
        at=_timestamp(status.get("timestamp")),
        reason=reason,
        detail=detail,
        tracker=tracker if isinstance(tracker := status.get("biz_opaque_callback_data"), str) else None,
    )
