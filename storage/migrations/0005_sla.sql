-- Tiers, escalations, SLA timers and breaches, and who looks at the App Home (issue 11).
ALTER TABLE tickets ADD COLUMN tier INTEGER NOT NULL DEFAULT 1;
CREATE INDEX tickets_by_status ON tickets (status, id);

-- Every escalation (and who asked for it), for the escalation package, tier clocks and reports.
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    from_tier INTEGER NOT NULL,
    tier INTEGER NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX escalations_by_ticket ON escalations (ticket_id, id);

-- One row per running clock of a ticket. Times are epoch seconds. ``next_at`` is the next
-- moment the ticker must look at the row (the warning, then the due time); NULL when the
-- clock is paused or over, so a tick reads only the rows that need it.
CREATE TABLE sla_timers (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    target_seconds REAL NOT NULL,
    started_at REAL NOT NULL,
    due_at REAL NOT NULL,
    warn_at REAL,
    remaining_seconds REAL,
    next_at REAL,
    ended_at REAL,
    PRIMARY KEY (ticket_id, kind)
);
CREATE INDEX sla_timers_next ON sla_timers (next_at) WHERE next_at IS NOT NULL;

-- Each missed target, as it happened, for reports.
CREATE TABLE sla_breaches (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL,
    tier INTEGER NOT NULL,
    assignee TEXT,
    target_seconds REAL NOT NULL,
    due_at TEXT NOT NULL,
    breached_at TEXT NOT NULL
);
CREATE INDEX sla_breaches_by_time ON sla_breaches (breached_at);

-- Agents who opened the App Home: their home is redrawn when the queue changes.
CREATE TABLE home_viewers (
    user TEXT PRIMARY KEY,
    opened_at TEXT NOT NULL
);
