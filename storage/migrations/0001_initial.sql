-- Customers, tickets, messages, the audit trail, idempotency keys, the webhook inbox and the outbox.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    name TEXT,
    plan TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (channel, address)
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT,
    thread_ref TEXT UNIQUE,
    previous_ticket_id INTEGER REFERENCES tickets (id),
    opened_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT
);
CREATE INDEX tickets_by_customer ON tickets (customer_id, id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT,
    attachment TEXT,
    external_id TEXT UNIQUE,
    desk_ref TEXT,
    author TEXT,
    delivery TEXT,
    delivery_reason TEXT,
    delivery_detail TEXT,
    sent_at TEXT NOT NULL
);
CREATE INDEX messages_by_ticket ON messages (ticket_id, direction, id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX events_by_ticket ON events (ticket_id, id);

CREATE TABLE processed_keys (
    key TEXT PRIMARY KEY,
    at TEXT NOT NULL
);

CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    received_at REAL NOT NULL,
    processed_at REAL,
    error TEXT
);
CREATE INDEX inbox_pending ON inbox (processed_at, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    lane TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error TEXT,
    created_at REAL NOT NULL,
    finished_at REAL
);
CREATE INDEX outbox_pending ON outbox (state, lane, id);
