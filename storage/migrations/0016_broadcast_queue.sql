-- Claiming a broadcast's next batch walks the queued rows in id order and stops at the batch
-- (state, id): without it each claim sorted every row still queued, so a 10,000-recipient
-- broadcast cost 200 sorts of thousands of rows.
CREATE INDEX broadcast_recipients_queue ON broadcast_recipients (state, id, not_before);
