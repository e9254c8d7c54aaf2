"""The daily journeys run: find who is due what, record it in the ledger, hand it to the sender.

The ledger row and the send are written in one transaction (the broadcast engine's rows are
its outbox), so a crash never sends twice nor forgets a claimed message. Nothing runs in
quiet hours; outside them the run happens once a day (a second run the same day, after a
restart, only finds what the ledger has not seen).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.broadcast.service import BroadcastTx
from core.common import ptbr
from core.common.clock import Clock
from core.journeys import texts
from core.journeys.model import CustomerFacts
from core.journeys.policy import JOURNEY_KIND, Due, JourneyPolicy, Trigger, due, recently_active
from core.journeys.ports import JourneyRecords
from core.unit_of_work import Store


class JourneyTx(BroadcastTx, JourneyRecords, Protocol):
    """What a journey run needs from a unit of work: its ledger, and the broadcast its messages go
    out as (the deliverer queues it in the same unit)."""


Deliver = Callable[[JourneyTx, str, str, Sequence[int], str], Awaitable[None]]
"""``(tx, kind, key, customer_ids, text)``: queue one proactive message to these customers in
the caller's unit of work; ``key`` names it for good (the same key twice sends once)."""


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run queued, by trigger."""

    queued: Counter[Trigger]

    @property
    def total(self) -> int:
        """Messages queued."""
        return sum(self.queued.values())


class Journeys:
    """Runs the journeys and takes feature announcements."""

    def __init__(
        self,
        store: Store[JourneyTx],
        clock: Clock,
        deliver: Deliver,
        policy: JourneyPolicy | None = None,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._deliver = deliver
        self.policy = policy or JourneyPolicy()
        self._on_commit = on_commit
        self._ran_on: date | None = None

    async def run_daily(self) -> RunResult | None:
        """Run unless it is quiet or today's run is done; None when nothing ran."""
        now = self._clock.now()
        today = now.astimezone(self.policy.zone).date()
        if self.policy.quiet(now) or self._ran_on == today:
            return None
        result = await self.run()
        self._ran_on = today
        return result

    async def run(self) -> RunResult | None:
        """Queue every message due now that the ledger has not seen; None in quiet hours.

        Customers due the same words go out as one broadcast (one progress line on the desk
        per message, not per customer), claimed in the ledger in the same transaction.
        """
        now = self._clock.now()
        if self.policy.quiet(now):
            return None
        async with self._store.snapshot() as tx:
            customers = await tx.journey_customers()
            announcements = await tx.announcements_since(now - self.policy.announcement_for)
        groups: dict[tuple[Trigger, str, str], list[int]] = defaultdict(list)
        for customer in customers:
            for item in due(customer, now, announcements, self.policy):
                text = message(customer, item, now, self.policy)
                groups[(item.trigger, item.occasion, text)].append(customer.customer_id)
        queued: Counter[Trigger] = Counter()
        for number, ((trigger, occasion, text), customer_ids) in enumerate(groups.items(), start=1):
            async with self._store.transaction() as tx:
                claimed = [c for c in customer_ids if await tx.claim_journey(c, trigger, occasion, now)]
                if claimed:
                    key = f"journey:{trigger}:{occasion}:{now.isoformat()}:{number}"
                    await self._deliver(tx, f"{JOURNEY_KIND}{trigger}", key, claimed, text)
            queued[trigger] += len(claimed)
            self._on_commit()
        return RunResult(queued)

    async def announce(self, text: str, actor: str) -> tuple[int, int]:
        """Record a feature announcement; its id and how many customers it reaches today."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            announcement_id = await tx.add_announcement(text.strip(), actor, now)
            await tx.record_event(None, actor, "journey.announced", now, detail=f"anúncio #{announcement_id}")
            customers = await tx.journey_customers()
        audience = sum(1 for c in customers if recently_active(c, now, self.policy))
        return announcement_id, audience


def message(customer: CustomerFacts, item: Due, now: datetime, policy: JourneyPolicy) -> str:
    """The text of one proactive message, in pt-BR."""
    match item.trigger:
        case Trigger.ONBOARDING_CHECK:
            return texts.ONBOARDING_CHECK
        case Trigger.USAGE_MILESTONE:
            return texts.usage_milestone(policy.milestone_usage)
        case Trigger.HEALTH_CHECK:
            return texts.HEALTH_CHECK
        case Trigger.RENEWAL_REMINDER:
            assert customer.renewal_date is not None
            days = (customer.renewal_date - now.astimezone(policy.zone).date()).days
            return texts.renewal_reminder(customer.plan, ptbr.day(customer.renewal_date), days)
        case Trigger.FEATURE_ANNOUNCEMENT:
            assert item.announcement is not None
            return texts.feature_announcement(item.announcement.text)
