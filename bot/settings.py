"""Configuration from the environment and ``.env`` (pydantic-settings); see ``.env.example``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Literal, Self

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.ai.policy import DEFAULT_ALLOWED, AutoReply
from core.ai.schema import CATEGORIES
from core.crisis import scenarios
from core.customers.model import Channel
from core.escalation.tiers import TierDesk
from core.sla.model import SlaPolicy

OFFLINE_AI_WORKERS = 8
"""AI jobs at once when the offline AI alone answers: it computes on the bot's own event loop."""
REMOTE_AI_WORKERS = 16
"""AI jobs at once with a Gemini or OpenAI key: each mostly waits on the network."""


class StorageSettings(BaseSettings):
    """Where the database is; commands that only touch it (``atende customers ...``) read just this."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: str = "./data/atende.db"


class KnowledgeSettings(StorageSettings):
    """What the knowledge base needs; ``atende kb ...`` reads only these (no Slack or WhatsApp needed)."""

    gemini_api_key: str = ""
    gemini_api_url: str = Field(default="", description="empty = Google's endpoint")
    gemini_embedding_model: str = "gemini-embedding-001"
    help_center_url: str = Field(
        default="", description="articles are linked as HELP_CENTER_URL/slug for customers"
    )
    kb_starter_dir: str = Field(
        default="", description="articles imported on first start; empty = the bundled kb/"
    )


class AISettings(KnowledgeSettings):
    """The AI core's settings (the Gemini key and URL come with the knowledge base's)."""

    ai_enabled: bool = Field(True, description="triage, drafts and answers by the AI core")
    gemini_model: str = "gemini-2.5-flash"
    gemini_thinking_budget: int | None = Field(
        None, ge=-1, description="thinking tokens per call; empty = the model's own setting in atende's table"
    )
    openai_api_key: str = ""
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str = ""
    ai_timeout_seconds: float = Field(10.0, gt=0, description="per model call")
    ai_fallback_alert_after: int = Field(
        5, ge=0, description="failed calls of one model in a row before the support channel is told"
    )
    ai_concurrency: int | None = Field(
        None,
        ge=1,
        description="AI jobs at once, apart from the desk's deliveries; empty = 2 with the offline AI"
        " alone, 16 with a Gemini or OpenAI key",
    )
    ai_autoreply: AutoReply = AutoReply.SAFE
    ai_confidence_threshold: float = Field(0.8, ge=0, le=1)
    ai_autoreply_categories: str = ",".join(DEFAULT_ALLOWED)
    ai_oncall_group: str = Field("", description="Slack user group mentioned on an immediate escalation")
    ai_prices: str = Field("", description='JSON {"model": [input, output]} in USD per million tokens')

    @field_validator("gemini_thinking_budget", mode="before")
    @classmethod
    def _empty_means_per_model(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("ai_autoreply_categories")
    @classmethod
    def _known_categories(cls, value: str) -> str:
        unknown = [c for c in value.replace(",", " ").split() if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown categories {', '.join(unknown)} (known: {', '.join(CATEGORIES)})")
        return value

    @field_validator("ai_prices")
    @classmethod
    def _price_table(cls, value: str) -> str:
        if not value:
            return value
        try:
            table = json.loads(value)
            for pair in table.values():
                float(pair[0]), float(pair[1])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            raise ValueError('expected JSON like {"gemini-2.5-flash": [0.30, 2.50]}') from error
        return value

    @property
    def ai_workers(self) -> int:
        """How many AI jobs run at once.

        The offline AI computes on the bot's own event loop, but a job also waits on SQLite,
        where the others can compute. With one job per customer message, 16 at once took turns
        with intake and customers waited 20 s to be shown on the desk; since a customer's burst
        is read in one job, ``bench/intake`` at 300 msg/s puts the AI's post p99 at 7.5 s with 1,
        2.4 s with 2, 1.7-2.3 s with 4 and 1.4-1.6 s with 8, while 16 pushes the acknowledgement
        past 50 ms. A remote model mostly waits on the network, where more jobs at once help.
        """
        if self.ai_concurrency is not None:
            return self.ai_concurrency
        remote = bool(self.gemini_api_key or self.openai_api_key)
        return REMOTE_AI_WORKERS if remote else OFFLINE_AI_WORKERS

    @property
    def autoreply_categories(self) -> list[str]:
        """AI_AUTOREPLY_CATEGORIES split into category names."""
        return self.ai_autoreply_categories.replace(",", " ").split()


class Settings(AISettings):
    """Every setting of ``atende run``. Names match the operating contract in the README."""

    atende_host: str = "0.0.0.0"
    atende_port: int = Field(8000, ge=0, le=65535)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    max_body_bytes: int = Field(1_048_576, ge=1024, description="larger webhook bodies get 413")
    max_media_bytes: int = Field(
        100_000_000, ge=1, description="largest file relayed between a customer and Slack, either way"
    )
    http_read_timeout_seconds: float = Field(
        30.0, gt=0, description="time a client has to send a request's head, then its body; idle keep-alive"
    )

    whatsapp_phone_id: str = Field(min_length=1)
    whatsapp_token: str = Field(min_length=1)
    whatsapp_app_secret: str = Field(min_length=1)
    whatsapp_verify_token: str = Field(min_length=1)
    whatsapp_api_url: str = "https://graph.facebook.com"

    slack_bot_token: str = Field(min_length=1)
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_support_channel: str = Field(min_length=1)
    slack_kb_review_channel: str = Field(
        default="", description="channel ID where proposed articles are reviewed; empty = the support channel"
    )
    kb_faq_scan_seconds: float = Field(
        default=3600, gt=0, description="how often frequent questions are counted"
    )
    slack_api_url: str = "https://slack.com/api/"
    slack_supervisors: str = Field("", description="user ids allowed supervisor commands, comma-separated")
    slack_supervisor_group: str = Field("", description="a Slack user group id whose members are supervisors")
    slack_agents: str = Field("", description="user ids allowed to claim and resolve; empty = everyone")
    slack_agent_group: str = Field("", description="a Slack user group id whose members are agents")

    telegram_bot_token: str = Field("", description="empty: no Telegram channel")
    telegram_secret_token: str = Field("", pattern=r"^[A-Za-z0-9_-]{0,256}$")
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str = Field("", description="public HTTPS URL of /telegram/webhook; empty: polling")
    telegram_poll_timeout_seconds: int = Field(30, ge=0, le=50, description="long-polling wait")

    # Tiers: tier 1 is the support channel; tiers 2 and 3 each a user group and a channel.
    slack_tier1_group: str = Field(
        "", description="user group mentioned on tier-1 breaches of unassigned tickets"
    )
    slack_tier2_group: str = ""
    slack_tier2_channel: str = ""
    slack_tier3_group: str = ""
    slack_tier3_channel: str = ""

    # SLA targets (playbook); business time unless noted.
    sla_first_response_minutes: float = Field(120, gt=0)
    sla_first_response_after_hours_minutes: float = Field(480, gt=0, description="calendar time")
    sla_whatsapp_first_response_minutes: float = Field(30, gt=0)
    sla_resolution_hours: float = Field(24, gt=0)
    sla_critical_resolution_hours: float = Field(4, gt=0)
    sla_tier2_response_minutes: float = Field(60, gt=0)
    sla_tier3_ack_hours: float = Field(4, gt=0)
    sla_tier3_assessment_hours: float = Field(24, gt=0)
    sla_warning_percent: float = Field(75, gt=0, lt=100)
    waiting_auto_close_hours: float = Field(48, gt=0)
    sla_tick_seconds: float = Field(30, gt=0)

    http_timeout_seconds: float = Field(15.0, gt=0, description="per request to Slack and WhatsApp")
    mask_phones: bool = True
    retention_days: int = Field(0, ge=0, description="blank message bodies older than this; 0 keeps them")
    outbox_max_attempts: int = Field(8, ge=1)
    outbox_concurrency: int = Field(256, ge=1)
    outbox_retry_base_seconds: float = Field(1.0, gt=0)

    # satisfaction surveys, reports and QA
    csat_enabled: bool = Field(True, description="ask for a 1-5 rating after each resolution")
    csat_comment_minutes: int = Field(30, ge=0, description="a text this soon after a rating is its comment")
    nps_interval_days: int = Field(30, ge=1, description="ask a customer the NPS question at most this often")
    slack_reports_channel: str = Field("", description="supervisors' channel: weekly report, QA alerts")
    slack_qa_channel: str = Field("", description="QA review queue channel (default: the reports channel)")
    weekly_report: bool = Field(True, description="post the weekly report to the reports channel by itself")
    weekly_report_day: int = Field(0, ge=0, le=6, description="0 = Monday ... 6 = Sunday, São Paulo time")
    weekly_report_hour: int = Field(8, ge=0, le=23)
    human_hourly_cost_usd: float = Field(10.0, ge=0, description="what an agent hour costs, for reports")
    human_minutes_per_reply: float = Field(5.0, gt=0, description="agent time one answer takes, for reports")

    customers_api_token: str = Field(
        "", description="bearer token of POST /customers (the platform's pushes); empty: endpoint off"
    )
    journeys_enabled: bool = Field(True, description="send the proactive journeys' messages once a day")
    journey_template: str = Field(
        "", description="approved WhatsApp template (one body variable) for customers outside the 24 h window"
    )
    idea_template: str = Field(
        "",
        description="approved WhatsApp template (one body variable) telling customers outside the 24 h"
        " window that the idea they asked for was delivered",
    )
    quiet_hours_start: int = Field(20, ge=0, le=23, description="São Paulo hour when quiet hours begin")
    quiet_hours_end: int = Field(8, ge=0, le=23, description="São Paulo hour when quiet hours end")
    journey_check_seconds: float = Field(
        300, gt=0, description="how often the daily run looks whether it is due"
    )

    # broadcasts and crises
    broadcast_rate_per_second: float = Field(
        80, ge=0, description="WhatsApp sends per second per business number; 0 = no cap"
    )
    broadcast_telegram_rate_per_second: float = Field(25, ge=0, description="Telegram sends per second")
    whatsapp_daily_limit: int = Field(
        250,
        ge=0,
        description="unique template recipients per rolling 24 h (the account's tier); 0 = unlimited",
    )
    whatsapp_template_language: str = Field("pt_BR", description="language code of the approved templates")
    broadcast_progress_seconds: float = Field(3, gt=0, description="how often the Slack progress is redrawn")
    broadcast_confirm_grace_seconds: float = Field(
        300, gt=0, description="how long a send cut by a crash waits for its status before going again"
    )
    slack_broadcast_channel: str = Field(
        "", description="channel for crises and broadcast progress; empty = the support channel"
    )
    crisis_scenarios: str = Field("", description="JSON changes to the playbook's crisis scenarios")
    crisis_stakeholder_groups: str = Field(
        "", description='JSON stakeholder -> Slack user group id, e.g. {"cto": "S0123"}'
    )

    @field_validator("crisis_scenarios")
    @classmethod
    def _crisis_scenarios(cls, value: str) -> str:
        scenarios.configured(value)  # raises with a clear message
        return value

    @field_validator("crisis_stakeholder_groups")
    @classmethod
    def _stakeholder_groups(cls, value: str) -> str:
        scenarios.stakeholder_groups(value)
        return value

    @model_validator(mode="after")
    def _slack_mode(self) -> Self:
        """HTTP mode needs the signing secret; Socket Mode (app token set) does not."""
        if not self.slack_app_token and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN (Socket Mode) is set")
        return self

    @model_validator(mode="after")
    def _telegram_mode(self) -> Self:
        """Webhook mode needs a bot, an HTTPS address and the secret Telegram will send back."""
        if self.telegram_webhook_url:
            if not self.telegram_bot_token:
                raise ValueError("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is empty")
            if not self.telegram_webhook_url.startswith("https://"):
                raise ValueError("TELEGRAM_WEBHOOK_URL must be an https:// address (Telegram requires it)")
            if not self.telegram_secret_token:
                raise ValueError("TELEGRAM_SECRET_TOKEN is required when TELEGRAM_WEBHOOK_URL is set")
        return self

    @property
    def secrets(self) -> dict[str, str]:
        """Every non-empty setting that is a credential, by name: tokens, secrets and API keys.

        A setting is a credential when its name ends in ``_TOKEN``, ``_SECRET`` or ``_KEY``, so
        a new one is masked in the logs without anyone remembering to list it.
        """
        return {
            name.upper(): value
            for name, value in self.model_dump().items()
            if name.endswith(("_token", "_secret", "_key")) and isinstance(value, str) and value
        }

    @property
    def telegram_polling(self) -> bool:
        """Telegram is on and there is no public URL: fetch updates with getUpdates."""
        return bool(self.telegram_bot_token) and not self.telegram_webhook_url

    @property
    def supervisor_ids(self) -> list[str]:
        """SLACK_SUPERVISORS split into user ids (commas and spaces both separate)."""
        return self.slack_supervisors.replace(",", " ").split()

    @property
    def agent_ids(self) -> list[str]:
        """SLACK_AGENTS split into user ids (commas and spaces both separate)."""
        return self.slack_agents.replace(",", " ").split()

    @property
    def sla_policy(self) -> SlaPolicy:
        """The SLA targets as the core's policy."""
        return SlaPolicy(
            first_response=timedelta(minutes=self.sla_first_response_minutes),
            first_response_after_hours=timedelta(minutes=self.sla_first_response_after_hours_minutes),
            first_response_by_channel={
                Channel.WHATSAPP: timedelta(minutes=self.sla_whatsapp_first_response_minutes)
            },
            resolution=timedelta(hours=self.sla_resolution_hours),
            resolution_critical=timedelta(hours=self.sla_critical_resolution_hours),
            tier2_response=timedelta(minutes=self.sla_tier2_response_minutes),
            tier3_ack=timedelta(hours=self.sla_tier3_ack_hours),
            tier3_assessment=timedelta(hours=self.sla_tier3_assessment_hours),
            warning_fraction=self.sla_warning_percent / 100,
            waiting_auto_close=timedelta(hours=self.waiting_auto_close_hours),
        )

    @property
    def tiers(self) -> dict[int, TierDesk]:
        """Each tier's group and channel (tier 1 works in the support channel)."""
        return {
            1: TierDesk(self.slack_tier1_group, self.slack_support_channel),
            2: TierDesk(self.slack_tier2_group, self.slack_tier2_channel),
            3: TierDesk(self.slack_tier3_group, self.slack_tier3_channel),
        }

    @property
    def socket_mode(self) -> bool:
        """Slack delivers events over a WebSocket instead of HTTP."""
        return bool(self.slack_app_token)


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad setting, the way an operator types it."""
    first = error.errors()[0]
    name = "_".join(str(part) for part in first["loc"]).upper()
    if first["type"] == "missing" or (first["type"] == "string_too_short" and not first.get("input")):
        return f"missing setting {name} (see .env.example)"
    if not name:
        return f"invalid settings: {first['msg'].removeprefix('Value error, ')}"
    return f"invalid setting {name}: {first['msg']}"
