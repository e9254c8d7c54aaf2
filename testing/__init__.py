"""In-process fakes of the WhatsApp Graph API and the Slack Web API, plus signed webhook builders.

Real SDK clients (pywa_async, slack_sdk) talk to these over HTTP on 127.0.0.1; the fakes record
every call and inject faults on demand. No pytest dependency, so the local sandbox reuses them.
"""

from .fake_server import Call, FakeServer, Fault, UploadedPart
from .gemini_api import FakeGeminiAPI
from .openai_api import FakeOpenAIAPI
from .signing import sign_slack, sign_whatsapp, slack_action_headers, slack_event_headers, to_bytes
from .slack.api import FakeSlackAPI
from .slack_payloads import slack_block_action, slack_message_event, slack_url_verification
from .whatsapp_graph import FakeGraphAPI, graph_error
from .whatsapp_webhooks import (
    new_wamid,
    wa_bsuid,
    wa_contact,
    wa_error,
    wa_media_message,
    wa_media_obj,
    wa_status,
    wa_status_obj,
    wa_text_message,
    wa_text_obj,
    wa_value,
    wa_webhook,
)

__all__ = [
    "Call",
    "FakeGeminiAPI",
    "FakeGraphAPI",
    "FakeOpenAIAPI",
    "FakeServer",
    "FakeSlackAPI",
    "Fault",
    "UploadedPart",
    "graph_error",
    "new_wamid",
    "sign_slack",
    "sign_whatsapp",
    "slack_action_headers",
    "slack_block_action",
    "slack_event_headers",
    "slack_message_event",
    "slack_url_verification",
    "to_bytes",
    "wa_bsuid",
    "wa_contact",
    "wa_error",
    "wa_media_message",
    "wa_media_obj",
    "wa_status",
    "wa_status_obj",
    "wa_text_message",
    "wa_text_obj",
    "wa_value",
    "wa_webhook",
]
