-- Broadcasts (crisis notices, proactive journeys) with one row per recipient, and crisis records.
--
-- A broadcast is its own durable queue: the recipient rows are written in the transaction that
-- creates the broadcast, and the broadcast worker moves each row forward. Times are epoch seconds.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- 'crisis', 'journey:day3', ...: who asked for it
    key TEXT NOT NULL UNIQUE,           -- enqueueing the same key again is a no-op
    body TEXT NOT NULL,                 -- the free text sent inside the 24-hour window
    template TEXT NOT NULL DEFAULT '',  -- the approved WhatsApp template outside it ('' = none)
    state TEXT NOT NULL,                -- running, paused, cancelled, done
    created_by TEXT NOT NULL,
    created_at REAL NOT NULL,
    finished_at REAL,
    progress_thread TEXT,               -- desk thread the progress message goes in (NULL: channel)
    progress_ref TEXT                   -- the progress message, once posted
);

CREATE TABLE broadcast_recipients (
    id INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- queued -> sending -> sent -> delivered -> read; or failed / skipped (with a reason);
    -- sending rows found at start (a crash mid-send) become unconfirmed until a status webhook
    -- confirms them or the grace period passes.
    state TEXT NOT NULL DEFAULT 'queued',
    via TEXT,                           -- 'text' or 'template'
    not_before REAL NOT NULL DEFAULT 0, -- waits for the daily limit, a retry or the grace period
    attempts INTEGER NOT NULL DEFAULT 0,
    external_id TEXT,                   -- the platform's message id (statuses refer to it)
    reason TEXT,
    detail TEXT,
    sent_at REAL,
    UNIQUE (broadcast_id, customer_id)
);
CREATE INDEX broadcast_recipients_due ON broadcast_recipients (state, not_before, id);
CREATE INDEX broadcast_recipients_by_external ON broadcast_recipients (external_id);
CREATE INDEX broadcast_recipients_templates ON broadcast_recipients (via, sent_at);

-- A declared crisis (SupportEmergencyResponse): what, how bad, who is told, and its broadcasts.
CREATE TABLE crises (
    id TEXT PRIMARY KEY,                -- SUPPORT_CRISIS_YYYYMMDD_HHMMSS (São Paulo time)
    scenario TEXT NOT NULL,
    severity TEXT NOT NULL,
    description TEXT NOT NULL,
    audience TEXT NOT NULL,             -- JSON: who the broadcasts go to
    template TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,               -- investigando, identificado, monitorando, resolvido
    sla_suspended INTEGER NOT NULL DEFAULT 0,
    thread_ref TEXT,
    declared_by TEXT NOT NULL,
    declared_at REAL NOT NULL,
    resolved_at REAL
);
