-- One AI outcome may read several customer messages sent in a row (a burst: "oi", "tudo bem?",
-- "meu pix não caiu"): the row is keyed by the first, through_message_id is the last it read
-- (NULL: only its own) and messages_read how many, shown in the triage line.
ALTER TABLE ai_triage ADD COLUMN through_message_id INTEGER;
ALTER TABLE ai_triage ADD COLUMN messages_read INTEGER NOT NULL DEFAULT 1;
