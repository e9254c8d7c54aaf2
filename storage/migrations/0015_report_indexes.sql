-- The supervisors' report counts a month (a million messages) in SQL: each of its scans reads one
-- index alone, in the order it groups by, instead of fetching every row from its table.
-- The two widened indexes keep their leading columns, so the queries that used them still do.
DROP INDEX messages_by_ticket;
CREATE INDEX messages_by_ticket ON messages (ticket_id, direction, id, author, sent_at);
DROP INDEX ai_triage_by_ticket;
CREATE INDEX ai_triage_by_ticket ON ai_triage (ticket_id, message_id, at, category, urgency);
-- Per model over a period: one range per model (the models are found by a skip through the index).
CREATE INDEX ai_triage_by_model ON ai_triage (model, at, requires_human);
CREATE INDEX ai_calls_by_model ON ai_calls (model, at, cost_usd, latency_ms);
CREATE INDEX tickets_by_opened ON tickets (opened_at);
CREATE INDEX events_by_action ON events (action, ticket_id, at);
DROP INDEX tickets_by_customer;
CREATE INDEX tickets_by_customer ON tickets (customer_id, id, opened_at);
