-- Proactive journeys: the ledger of what each customer was sent (at most once per trigger and
-- occasion: a renewal date, an announcement), and the feature announcements supervisors make.
CREATE TABLE journey_sends (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    trigger TEXT NOT NULL,              -- onboarding_check, usage_milestone, health_check, ...
    occasion TEXT NOT NULL DEFAULT '',  -- '' for once-in-a-lifetime triggers; a date; an announcement id
    at TEXT NOT NULL,
    PRIMARY KEY (customer_id, trigger, occasion)
);

CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
