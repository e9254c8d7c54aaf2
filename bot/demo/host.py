"""What the demo page's API reads of the running demo: a protocol, so the page's modules need not
import the demo that composes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.demo.people import Person
    from testing import FakeGraphAPI, FakeSlackAPI


class DemoHost(Protocol):
    """What the page's API reads of the running demo (emulators, the bot's address, secrets)."""

    support_channel: str
    phone_id: str
    customers_token: str
    wa_secret: str
    slack_secret: str
    graph: FakeGraphAPI
    slack: FakeSlackAPI

    @property
    def people(self) -> Sequence[Person]: ...

    @property
    def bot_url(self) -> str: ...
