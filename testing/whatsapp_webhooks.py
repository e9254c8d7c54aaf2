"""WhatsApp webhook bodies: what Meta POSTs to the app (messages, list replies, delivery statuses).

Shapes follow the recorded fixtures in ../shared/fixtures (pywa's captured Meta deliveries). Sign
the bytes with ``signing.sign_whatsapp``.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from .signing import unique_id, unix_now


def new_wamid() -> str:
    """A unique inbound-looking message id."""
    return f"wamid.FAKEIN{unique_id()}"


def wa_bsuid(wa_id: str) -> str:
    """The deterministic fake business-scoped user id (BSUID) the builders give a phone number.

    pywa 4.5 *requires* ``contacts[].user_id`` (it reads ``data["user_id"]``), so every builder
    includes one; tests can predict it with this function. Format follows Meta's ``CC.<digits>``.
    """
    country = "BR" if wa_id.startswith("55") else "US"
    digits = int(hashlib.sha256(wa_id.encode()).hexdigest(), 16) % 10**20
    return f"{country}.{digits:020d}"


def wa_contact(
    wa_id: str, name: str | None, *, user_id: str | None = None, bsuid: bool = True
) -> dict[str, Any]:
    """One ``contacts[]`` entry. ``user_id`` defaults to ``wa_bsuid(wa_id)``; ``bsuid=False`` omits it
    (the pre-BSUID shape, which pywa 4.5 fails to parse)."""
    contact: dict[str, Any] = {"wa_id": wa_id}
    if name is not None:
        contact["profile"] = {"name": name}
    if bsuid:
        contact["user_id"] = user_id or wa_bsuid(wa_id)
    return contact


def wa_text_obj(
    wa_id: str,
    text: str,
    *,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """One ``messages[]`` entry of type text (``reply_to`` = the quoted wamid, as ``context.id``)."""
    msg: dict[str, Any] = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else unix_now(),
        "text": {"body": text},
        "type": "text",
    }
    if reply_to:
        msg["context"] = {"from": wa_id, "id": reply_to}
    return msg


def wa_media_obj(
    wa_id: str,
    kind: str,
    media_id: str,
    mime_type: str,
    *,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """One ``messages[]`` entry for image/document/audio/video/sticker, shaped like Meta's."""
    if kind not in ("image", "document", "audio", "video", "sticker"):
        raise ValueError(f"unsupported media kind {kind!r}")
    media: dict[str, Any] = {
        "mime_type": mime_type,
        "sha256": sha256 or f"{uuid.uuid4().hex[:20]}=",
        "id": str(media_id),
    }
    if caption is not None and kind in ("image", "video", "document"):
        media["caption"] = caption
    if kind == "document":
        media["filename"] = filename or "file"
    if kind == "audio":
        media["voice"] = voice
    if kind == "sticker":
        media["animated"] = False
    return {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else unix_now(),
        "type": kind,
        kind: media,
    }


def wa_status_obj(
    wamid: str,
    status: str,
    recipient_id: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    timestamp: int | str | None = None,
) -> dict[str, Any]:
    """One ``statuses[]`` entry. A ``failed`` status without ``errors`` gets 131026 (undeliverable)."""
    st: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(timestamp) if timestamp is not None else unix_now(),
        "recipient_id": recipient_id,
    }
    if status in ("sent", "delivered", "read"):
        st["conversation"] = {"id": f"CONV{unique_id()}", "origin": {"type": "service"}}
        st["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    if status == "failed":
        st["errors"] = errors if errors is not None else [wa_error(131026, "Message undeliverable")]
    elif errors is not None:
        st["errors"] = errors
    return st


def wa_error(code: int, title: str, details: str | None = None) -> dict[str, Any]:
    """An ``errors[]`` entry as found in failed statuses."""
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details or title},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }


def wa_value(
    contacts: list[dict[str, Any]] | None,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    *,
    phone_number_id: str = "PHONE_ID",
    display_phone_number: str = "15550000000",
) -> dict[str, Any]:
    """One change ``value`` (metadata + contacts + messages and/or statuses)."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone_number, "phone_number_id": phone_number_id},
    }
    if contacts:
        value["contacts"] = contacts
    if messages:
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return value


def wa_webhook(*values: dict[str, Any], waba_id: str = "WABA_ID") -> dict[str, Any]:
    """A full webhook body carrying each value as a ``messages`` change of one entry."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"value": v, "field": "messages"} for v in values]}],
    }


def wa_text_message(
    wa_id: str,
    name: str,
    text: str,
    *,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    user_id: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one inbound text message."""
    return wa_webhook(
        wa_value(
            [wa_contact(wa_id, name, user_id=user_id)],
            [wa_text_obj(wa_id, text, wamid=wamid, timestamp=timestamp, reply_to=reply_to)],
            phone_number_id=phone_number_id,
        )
    )


def wa_media_message(
    wa_id: str,
    name: str,
    kind: str,
    media_id: str,
    mime_type: str,
    *,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    user_id: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one inbound media message (register the bytes with FakeGraphAPI.add_media)."""
    return wa_webhook(
        wa_value(
            [wa_contact(wa_id, name, user_id=user_id)],
            [
                wa_media_obj(
                    wa_id,
                    kind,
                    media_id,
                    mime_type,
                    caption=caption,
                    filename=filename,
                    voice=voice,
                    wamid=wamid,
                    timestamp=timestamp,
                )
            ],
            phone_number_id=phone_number_id,
        )
    )


def wa_list_reply(
    wa_id: str,
    name: str,
    row_id: str,
    title: str,
    *,
    description: str | None = None,
    wamid: str | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
) -> dict[str, Any]:
    """A full webhook body: the customer picked a row of an interactive list we sent."""
    reply: dict[str, Any] = {"id": row_id, "title": title}
    if description is not None:
        reply["description"] = description
    message = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(timestamp) if timestamp is not None else unix_now(),
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": reply},
    }
    return wa_webhook(wa_value([wa_contact(wa_id, name)], [message], phone_number_id=phone_number_id))


def wa_status(
    wamid: str,
    status: str,
    recipient_id: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    timestamp: int | str | None = None,
    phone_number_id: str = "PHONE_ID",
    name: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """A full webhook body with one delivery status (sent / delivered / read / failed).

    Carries the recipient in ``contacts`` as current Meta deliveries do (pywa 4.5 requires it).
    """
    return wa_webhook(
        wa_value(
            [wa_contact(recipient_id, name, user_id=user_id)],
            statuses=[wa_status_obj(wamid, status, recipient_id, errors=errors, timestamp=timestamp)],
            phone_number_id=phone_number_id,
        )
    )
