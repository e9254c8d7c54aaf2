-- The AI core: every model call, the triage of each customer message, drafts awaiting an agent, transcripts.
CREATE TABLE ai_calls (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets (id),
    message_id INTEGER REFERENCES messages (id),
    step TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    latency_ms REAL NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ai_calls_by_ticket ON ai_calls (ticket_id, id);
CREATE INDEX ai_calls_by_time ON ai_calls (at);

CREATE TABLE ai_triage (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id),
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    category TEXT NOT NULL,
    urgency TEXT NOT NULL,
    complexity TEXT NOT NULL,
    sentiment REAL NOT NULL,
    language TEXT NOT NULL,
    confidence REAL NOT NULL,
    requires_human INTEGER NOT NULL,
    reason TEXT,
    tier INTEGER NOT NULL DEFAULT 1,
    model TEXT NOT NULL,
    at TEXT NOT NULL,
    tier_reason TEXT,
    decision TEXT NOT NULL DEFAULT '',
    cost_usd REAL NOT NULL DEFAULT 0,
    likely_resolved INTEGER,
    transcript TEXT
);
CREATE INDEX ai_triage_by_ticket ON ai_triage (ticket_id, message_id);

CREATE TABLE ai_drafts (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    message_id INTEGER NOT NULL REFERENCES messages (id),
    body TEXT NOT NULL,
    model TEXT NOT NULL,
    confidence REAL NOT NULL,
    sources TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'pending',
    desk_ref TEXT,
    decided_by TEXT,
    sent_message_id INTEGER REFERENCES messages (id),
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX ai_drafts_by_ticket ON ai_drafts (ticket_id, id);
