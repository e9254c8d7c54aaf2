"""Background workers: inbox, outbox, SLA ticks, broadcasts, journeys, schedules, retention."""
