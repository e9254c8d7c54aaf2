-- Whose words an idea's summary and key are: the customer of the request that started it.
-- An LGPD erasure of that customer blanks them (their request's own summary was already blanked).
-- Existing ideas: the first request worded as the idea (it may have moved to the idea it was
-- merged into), else the idea's first request.
ALTER TABLE ideas ADD COLUMN customer_id INTEGER REFERENCES customers (id);
UPDATE ideas SET customer_id = (
    SELECT r.customer_id FROM idea_requests r
    WHERE r.idea_id IN (ideas.id, ideas.merged_into) AND r.summary = ideas.summary
    ORDER BY r.id LIMIT 1
);
UPDATE ideas SET customer_id = (
    SELECT r.customer_id FROM idea_requests r WHERE r.idea_id = ideas.id ORDER BY r.id LIMIT 1
) WHERE customer_id IS NULL;
CREATE INDEX ideas_by_customer ON ideas (customer_id);
