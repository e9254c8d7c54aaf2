-- Satisfaction (CSAT per ticket, NPS per customer), the surveys waiting for an answer, and QA reviews.
CREATE TABLE csat (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX csat_by_at ON csat (at);

CREATE TABLE nps (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX nps_by_customer ON nps (customer_id, at);
CREATE INDEX nps_by_at ON nps (at);

-- A question put to a customer: 'asked' until answered, 'comment' while a comment may follow, 'done'.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    state TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE INDEX surveys_open ON surveys (customer_id, id) WHERE state != 'done';
CREATE INDEX surveys_by_ticket ON surveys (ticket_id);

-- Sampled interactions waiting for (or scored in) a QA review; criteria scored 1-5.
CREATE TABLE qa_reviews (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets (id),
    reason TEXT NOT NULL,
    handled_by TEXT NOT NULL,
    category TEXT,
    queued_at TEXT NOT NULL,
    desk_ref TEXT,
    reviewer TEXT,
    accuracy INTEGER,
    helpfulness INTEGER,
    tone INTEGER,
    efficiency INTEGER,
    score REAL,
    notes TEXT,
    reviewed_at TEXT
);
CREATE INDEX qa_reviews_by_reviewed ON qa_reviews (reviewed_at);
