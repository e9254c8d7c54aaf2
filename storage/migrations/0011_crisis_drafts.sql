-- Crisis drafts waiting for the supervisor's confirmation (the preview was shown, nothing sent).
-- Kept here rather than in memory so a restart between the preview and the confirmation loses
-- nothing; a confirmation takes its draft out in the transaction that declares the crisis.
CREATE TABLE crisis_drafts (
    token TEXT PRIMARY KEY,     -- the confirmation view's private_metadata
    user_id TEXT NOT NULL,      -- the supervisor who filled it in (only they may confirm it)
    payload TEXT NOT NULL,      -- the draft as JSON (a pasted list of phones included)
    created_at REAL NOT NULL
);
CREATE INDEX crisis_drafts_by_age ON crisis_drafts (created_at);
