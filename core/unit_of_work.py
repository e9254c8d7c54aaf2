"""One unit of work over every capability's port: storage keeps one transaction, use cases ask for
the narrow ports they use (each capability's ``ports.py``)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol, TypeVar

from core.ai.ports import AiRecords
from core.backlog.ports import Ideas
from core.broadcast.ports import BroadcastRecords, BroadcastSends
from core.common.journal import Journal
from core.crisis.ports import CrisisRecords
from core.customers.ports import Customers
from core.escalation.ports import Escalations
from core.feedback.ports import Reviews, Surveys
from core.journeys.ports import JourneyRecords
from core.kb.ports import KbCandidates
from core.queue.ports import HomeViewers
from core.sla.ports import SlaTimers
from core.templates.ports import Templates
from core.tickets.ports import Messages, Tickets


class Transaction(
    Journal,
    Customers,
    JourneyRecords,
    Tickets,
    Messages,
    AiRecords,
    Escalations,
    SlaTimers,
    HomeViewers,
    Templates,
    Ideas,
    Surveys,
    Reviews,
    KbCandidates,
    BroadcastRecords,
    BroadcastSends,
    CrisisRecords,
    Protocol,
):
    """One unit of work: every change and every effect it records commit together or not at all."""


Tx_co = TypeVar("Tx_co", covariant=True)


class Store(Protocol[Tx_co]):
    """Where the desk's state lives. ``Store[IntakeTx]`` is a store whose units of work offer what
    intake needs; the SQLite store's offer every port, so it is any use case's store."""

    def transaction(self) -> AbstractAsyncContextManager[Tx_co]:
        """Begin a unit of work; leaving the block commits, an exception rolls back."""
        ...

    def snapshot(self) -> AbstractAsyncContextManager[Tx_co]:
        """Read the latest committed state without taking part in writes (writing raises).

        For work that only looks, such as an effect gathering what it will show: it never
        waits for, nor delays, a unit of work that writes.
        """
        ...
