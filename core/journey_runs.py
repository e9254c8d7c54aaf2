"""The daily journeys run: find who is due what, record it in the ledger, hand it to the sender.

The ledger row and the send are written in one transaction (the broadcast engine's rows are
its outbox), so a crash never sends twice nor forgets a claimed message. Nothing runs in
quiet hours; outside them the run happens once a day (a second run the same day, after a
restart, only finds what the ledger has not seen).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from core import outreach_texts
from core.journeys import CustomerFacts, Due, JourneyPolicy, Trigger, due, recently_active
from core.ports import Clock, Store, Transaction

BATCH = 200

Deliver = Callable[[Transaction, str, str, int, str], Awaitable[None]]
"""``(tx, kind, key, customer_id, text)``: queue one proactive message in the caller's unit of
work; ``key`` names it for good (the same key twice sends once)."""


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
        store: Store,
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
        """Queue every message due now that the ledger has not seen; None in quiet hours."""
        now = self._clock.now()
        if self.policy.quiet(now):
            return None
        async with self._store.snapshot() as tx:
            customers = await tx.journey_customers()
            announcements = await tx.announcements_since(now - self.policy.announcement_for)
        plan = [(c, d) for c in customers for d in due(c, now, announcements, self.policy)]
        queued: Counter[Trigger] = Counter()
        for first in range(0, len(plan), BATCH):
            async with self._store.transaction() as tx:
                for customer, item in plan[first : first + BATCH]:
                    if await tx.claim_journey(customer.customer_id, item.trigger, item.occasion, now):
                        key = f"journey:{item.trigger}:{item.occasion}:{customer.customer_id}"
                        text = message(customer, item, now, self.policy)
                        await self._deliver(tx, f"journey:{item.trigger}", key, customer.customer_id, text)
                        queued[item.trigger] += 1
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
    name = customer.name
    match item.trigger:
        case Trigger.ONBOARDING_CHECK:
            return outreach_texts.onboarding_check(name)
        case Trigger.USAGE_MILESTONE:
            return outreach_texts.usage_milestone(name, customer.usage_count or 0)
        case Trigger.HEALTH_CHECK:
            return outreach_texts.health_check(name)
        case Trigger.RENEWAL_REMINDER:
            assert customer.renewal_date is not None
            days = (customer.renewal_date - now.astimezone(policy.zone).date()).days
            return outreach_texts.renewal_reminder(
                name, customer.plan, f"{customer.renewal_date:%d/%m/%Y}", days
            )
        case Trigger.FEATURE_ANNOUNCEMENT:
            assert item.announcement is not None
            return outreach_texts.feature_announcement(name, item.announcement.text)
