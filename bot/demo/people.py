"""The people on the emulated Slack workspace: two agents and a supervisor."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the emulated Slack workspace."""

    id: str
    name: str
    role: str


PEOPLE = (
    Person("U0ANA", "Ana Lima", "atendente"),
    Person("U0BRUNO", "Bruno Costa", "atendente"),
    Person("U0CARLA", "Carla Mendes", "supervisora"),
)
