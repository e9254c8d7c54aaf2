"""Webhook signatures: the bytes Meta and Slack sign, their HMAC headers and the ids the builders share.

Tests use these to drive the app's real webhook endpoints (signature checks included) instead of
calling handlers directly. Payload shapes follow the recorded fixtures in ../shared/fixtures
(pywa's captured Meta deliveries and bolt-python's Slack payloads).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any

_counter = itertools.count(1)


def unique_id() -> str:
    """A fresh id suffix (a counter plus random hex), unique across every builder of this package."""
    return f"{next(_counter)}{uuid.uuid4().hex[:12].upper()}"


def unix_now() -> str:
    """Now in Unix seconds, as text (the shape of a webhook's ``timestamp``)."""
    return str(int(time.time()))


def to_bytes(body: dict[str, Any] | bytes | str) -> bytes:
    """Serialise once, and sign/send exactly these bytes (re-serialising would break the signature)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, separators=(",", ":")).encode()


def sign_whatsapp(body: bytes, app_secret: str) -> dict[str, str]:
    """Headers Meta sends: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw body)>``."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def sign_slack(
    body: bytes, signing_secret: str, timestamp: int | None = None, *, content_type: str = "application/json"
) -> dict[str, str]:
    """Slack request signing: ``v0=hex(HMAC-SHA256(secret, f"v0:{ts}:{body}"))`` plus the timestamp.

    ``timestamp`` defaults to now; pass an old one to test the 5-minute replay window.
    """
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def slack_event_headers(
    body: bytes,
    signing_secret: str,
    timestamp: int | None = None,
    *,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """Signed headers for an Events API delivery; ``retry_num`` adds Slack's redelivery headers."""
    headers = sign_slack(body, signing_secret, timestamp, content_type="application/json")
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def slack_action_headers(body: bytes, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Signed headers for an interactivity delivery (form-encoded ``payload=...``)."""
    return sign_slack(body, signing_secret, timestamp, content_type="application/x-www-form-urlencoded")
