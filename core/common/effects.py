"""Outbound effects: what must happen on a platform because the desk's state changed.

A use case never calls Slack or WhatsApp. It records effects in the same transaction as
the state change (the transactional outbox); :mod:`core.delivery.runner` carries them out later,
in order per lane, with retries. Effects refer to stored rows by id and read the current
state when they run, so a retried effect shows what is true then, not what was true when
it was queued.

Here: the base :class:`Effect`, the lanes' targets and :class:`DeskText`. Each effect lives with
its capability (``core/<capability>/effects.py``); :mod:`core.delivery.registry` lists every
kind the outbox stores.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import ClassVar

from core.common.markup import Markup

DESK = "desk"
CUSTOMER = "customer"
HOOKS = "hooks"
"""Effects that run features' own code after a commit (no platform call of ours)."""


@dataclass(frozen=True, slots=True)
class Effect:
    """Base of every effect; ``target`` says which platform it touches, for ordering and backoff."""

    target: ClassVar[str]
    ticket_id: int

    @property
    def kind(self) -> str:
        """The stored name of this effect type."""
        return type(self).__name__

    @property
    def lane(self) -> str:
        """Effects of one lane are delivered strictly in order; lanes run independently."""
        return f"{self.target}:{self.ticket_id}"

    def to_json(self) -> str:
        """The payload stored in the outbox row."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)


class DeskText:
    """An effect whose ``text`` may be desk markup (a mention, a quote), remembered through the outbox.

    The outbox stores a plain ``str``; ``markup`` records that the text was :class:`Markup`
    when the effect was made (its outside parts already escaped), so it is shown as markup.
    """

    __slots__ = ()
    text: str
    markup: bool

    def __post_init__(self) -> None:
        if isinstance(self.text, Markup):
            object.__setattr__(self, "markup", True)

    @property
    def shown(self) -> str:
        """The text as the desk should show it: markup read as markup only when the desk wrote it."""
        return Markup(self.text) if self.markup else self.text
