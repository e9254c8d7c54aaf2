-- The supervisors' report reduces a month to one row per ticket. Counting that row from a million
-- messages at report time cost seconds, so each ticket's facts are kept as they are written: the
-- triggers below update ticket_facts inside the statement that inserts the message, triage, event,
-- rating or ticket, so they commit (or roll back) with it. ticket_facts_counted is the definition:
-- the same facts counted from the rows, used for the backfill and when a row is changed or deleted
-- (nothing does either today). Rows are counted again by a delete and an insert, not INSERT OR
-- REPLACE: the conflict clause of the statement firing a trigger overrides the trigger's own. Authors as storage/sqlite/messages.py: a person has no ':' and is
-- not 'ai'; the AI writes as 'ai:<model>'.
CREATE TABLE ticket_facts (
    ticket_id INTEGER PRIMARY KEY,
    first_human TEXT,
    first_ai TEXT,
    last_customer TEXT,
    human_replies INTEGER NOT NULL DEFAULT 0,
    ai_replies INTEGER NOT NULL DEFAULT 0,
    -- the AI's reading of the ticket's first triaged message (earliest at, then lowest message id)
    triage_message_id INTEGER,
    triage_at TEXT,
    category TEXT,
    urgency TEXT,
    reopened_at TEXT,
    human_after_reopen TEXT,
    escalated INTEGER NOT NULL DEFAULT 0,
    -- when the same customer opened a later ticket (the lowest opened_at among higher ids)
    next_at TEXT,
    csat INTEGER
);

CREATE VIEW ticket_facts_counted AS
SELECT f.id AS ticket_id, f.first_human, f.first_ai, f.last_customer, f.human_replies, f.ai_replies,
    a.message_id AS triage_message_id, a.at AS triage_at, a.category, a.urgency, f.reopened_at,
    CASE WHEN f.reopened_at IS NOT NULL THEN (
        SELECT MIN(h.sent_at) FROM messages h WHERE h.ticket_id = f.id AND h.direction = 'out'
            AND h.sent_at > f.reopened_at
            AND h.author IS NOT NULL AND instr(h.author, ':') = 0 AND h.author != 'ai'
    ) END AS human_after_reopen,
    f.escalated, f.next_at, f.csat
FROM (
    SELECT k.id,
        (SELECT MIN(sent_at) FROM messages m WHERE m.ticket_id = k.id AND m.direction = 'out'
            AND m.author IS NOT NULL AND instr(m.author, ':') = 0 AND m.author != 'ai') AS first_human,
        (SELECT MIN(sent_at) FROM messages m WHERE m.ticket_id = k.id AND m.direction = 'out'
            AND m.author LIKE 'ai:%') AS first_ai,
        (SELECT MAX(sent_at) FROM messages m WHERE m.ticket_id = k.id AND m.direction = 'in') AS last_customer,
        (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = k.id AND m.direction = 'out'
            AND m.author IS NOT NULL AND instr(m.author, ':') = 0 AND m.author != 'ai') AS human_replies,
        (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = k.id AND m.direction = 'out'
            AND m.author LIKE 'ai:%') AS ai_replies,
        (SELECT message_id FROM ai_triage t WHERE t.ticket_id = k.id ORDER BY t.at, t.message_id LIMIT 1)
            AS first_triage,
        (SELECT MAX(at) FROM events e WHERE e.ticket_id = k.id AND e.action = 'reopened') AS reopened_at,
        EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = k.id AND e.action LIKE 'escalat%') AS escalated,
        (SELECT MIN(n.opened_at) FROM tickets n WHERE n.customer_id = k.customer_id AND n.id > k.id) AS next_at,
        (SELECT score FROM csat c WHERE c.ticket_id = k.id) AS csat
    FROM tickets k
) f LEFT JOIN ai_triage a ON a.message_id = f.first_triage;

INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted;

-- A new ticket: its row counted (its rows may go in first when foreign keys are deferred), and it
-- is the next ticket of the customer's earlier ones.
CREATE TRIGGER ticket_facts_ticket AFTER INSERT ON tickets BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = new.id;
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id = new.id;
    UPDATE ticket_facts SET next_at = new.opened_at
    WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = new.customer_id AND id < new.id)
        AND (next_at IS NULL OR next_at > new.opened_at);
END;

-- A ticket moved to another customer (records merged) or given another opening time: both
-- customers' tickets counted again.
CREATE TRIGGER ticket_facts_ticket_moved AFTER UPDATE OF id, customer_id, opened_at ON tickets BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.id OR ticket_id IN (
        SELECT id FROM tickets WHERE customer_id IN (old.customer_id, new.customer_id)
    );
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (
        SELECT id FROM tickets WHERE customer_id IN (old.customer_id, new.customer_id)
    );
END;

CREATE TRIGGER ticket_facts_ticket_deleted AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.id OR ticket_id IN (
        SELECT id FROM tickets WHERE customer_id = old.customer_id
    );
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (
        SELECT id FROM tickets WHERE customer_id = old.customer_id
    );
END;

CREATE TRIGGER ticket_facts_message AFTER INSERT ON messages BEGIN
    UPDATE ticket_facts SET
        first_human = CASE WHEN human AND (first_human IS NULL OR new.sent_at < first_human)
            THEN new.sent_at ELSE first_human END,
        human_replies = human_replies + human,
        human_after_reopen = CASE WHEN human AND new.sent_at > reopened_at
            AND (human_after_reopen IS NULL OR new.sent_at < human_after_reopen)
            THEN new.sent_at ELSE human_after_reopen END,
        first_ai = CASE WHEN ai AND (first_ai IS NULL OR new.sent_at < first_ai)
            THEN new.sent_at ELSE first_ai END,
        ai_replies = ai_replies + ai,
        last_customer = CASE WHEN new.direction = 'in' AND (last_customer IS NULL OR new.sent_at > last_customer)
            THEN new.sent_at ELSE last_customer END
    FROM (
        SELECT COALESCE(new.direction = 'out' AND new.author IS NOT NULL AND instr(new.author, ':') = 0
                AND new.author != 'ai', 0) AS human,
            COALESCE(new.direction = 'out' AND new.author LIKE 'ai:%', 0) AS ai
    )
    WHERE ticket_id = new.ticket_id;
END;

CREATE TRIGGER ticket_facts_message_changed AFTER UPDATE OF id, ticket_id, direction, author, sent_at
ON messages BEGIN
    DELETE FROM ticket_facts WHERE ticket_id IN (old.ticket_id, new.ticket_id);
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (old.ticket_id, new.ticket_id);
END;

CREATE TRIGGER ticket_facts_message_deleted AFTER DELETE ON messages BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.ticket_id;
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id = old.ticket_id;
END;

CREATE TRIGGER ticket_facts_triage AFTER INSERT ON ai_triage BEGIN
    UPDATE ticket_facts SET triage_message_id = new.message_id, triage_at = new.at,
        category = new.category, urgency = new.urgency
    WHERE ticket_id = new.ticket_id AND (triage_at IS NULL OR new.at < triage_at
        OR new.at = triage_at AND new.message_id < triage_message_id);
END;

CREATE TRIGGER ticket_facts_triage_changed AFTER UPDATE OF message_id, ticket_id, at, category, urgency
ON ai_triage BEGIN
    DELETE FROM ticket_facts WHERE ticket_id IN (old.ticket_id, new.ticket_id);
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (old.ticket_id, new.ticket_id);
END;

CREATE TRIGGER ticket_facts_triage_deleted AFTER DELETE ON ai_triage BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.ticket_id;
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id = old.ticket_id;
END;

-- A later reopening also moves the first human reply after it (counted again from the messages).
CREATE TRIGGER ticket_facts_event AFTER INSERT ON events
WHEN new.action = 'reopened' OR new.action LIKE 'escalat%' BEGIN
    UPDATE ticket_facts SET escalated = 1 WHERE ticket_id = new.ticket_id AND new.action LIKE 'escalat%';
    UPDATE ticket_facts SET reopened_at = new.at, human_after_reopen = (
        SELECT MIN(sent_at) FROM messages h WHERE h.ticket_id = new.ticket_id AND h.direction = 'out'
            AND h.sent_at > new.at
            AND h.author IS NOT NULL AND instr(h.author, ':') = 0 AND h.author != 'ai'
    )
    WHERE ticket_id = new.ticket_id AND new.action = 'reopened' AND (reopened_at IS NULL OR new.at > reopened_at);
END;

CREATE TRIGGER ticket_facts_event_changed AFTER UPDATE OF id, ticket_id, action, at ON events BEGIN
    DELETE FROM ticket_facts WHERE ticket_id IN (old.ticket_id, new.ticket_id);
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (old.ticket_id, new.ticket_id);
END;

CREATE TRIGGER ticket_facts_event_deleted AFTER DELETE ON events BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.ticket_id;
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id = old.ticket_id;
END;

CREATE TRIGGER ticket_facts_csat AFTER INSERT ON csat BEGIN
    UPDATE ticket_facts SET csat = new.score WHERE ticket_id = new.ticket_id;
END;

CREATE TRIGGER ticket_facts_csat_changed AFTER UPDATE OF ticket_id, score ON csat BEGIN
    DELETE FROM ticket_facts WHERE ticket_id IN (old.ticket_id, new.ticket_id);
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id IN (old.ticket_id, new.ticket_id);
END;

CREATE TRIGGER ticket_facts_csat_deleted AFTER DELETE ON csat BEGIN
    DELETE FROM ticket_facts WHERE ticket_id = old.ticket_id;
    INSERT INTO ticket_facts SELECT * FROM ticket_facts_counted WHERE ticket_id = old.ticket_id;
END;
