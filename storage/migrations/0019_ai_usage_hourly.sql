-- The report's AI usage by model summed a month of ai_calls and ai_triage rows (about 0.35 s of
-- CPU for 720,000 calls and 500,000 triage rows), so the sums are kept as the rows are written:
-- one row per model and hour, the hour being the first 13 characters of the row's at
-- ('2026-11-27T21'). A report period starts and ends at any moment (the last 30 days up to now), so
-- the report reads the hours wholly inside it from here and the rows of its first and last hour
-- from the tables (storage/sqlite/read/reports.py). The hour is cut from the at text, not parsed,
-- so an hour holds exactly the rows the report's text comparison of at puts together.
-- A triage row counts once, whatever number of messages it read (migration 0018).
CREATE TABLE ai_usage_hourly (
    hour TEXT NOT NULL,
    model TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    latency_ms REAL NOT NULL DEFAULT 0,
    triaged INTEGER NOT NULL DEFAULT 0,
    requires_human INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, model)
) WITHOUT ROWID;

-- The definition: each kept row counted again from the tables, each table read over the hour's
-- range of its (model, at) index (an hour of 13 characters holds the texts from it to the same
-- text with its last character one higher; a shorter at is its own hour). Used when a row is
-- changed or deleted (nothing does either today).
CREATE VIEW ai_usage_hourly_counted AS
SELECT hour, model,
    (SELECT COUNT(*) FROM ai_calls c WHERE c.model = u.model AND c.at >= u.hour AND c.at < u.upto
        AND substr(c.at, 1, 13) = u.hour) AS calls,
    (SELECT COALESCE(SUM(cost_usd), 0) FROM ai_calls c WHERE c.model = u.model AND c.at >= u.hour
        AND c.at < u.upto AND substr(c.at, 1, 13) = u.hour) AS cost_usd,
    (SELECT COALESCE(SUM(latency_ms), 0) FROM ai_calls c WHERE c.model = u.model AND c.at >= u.hour
        AND c.at < u.upto AND substr(c.at, 1, 13) = u.hour) AS latency_ms,
    (SELECT COUNT(*) FROM ai_triage t WHERE t.model = u.model AND t.at >= u.hour AND t.at < u.upto
        AND substr(t.at, 1, 13) = u.hour) AS triaged,
    (SELECT COALESCE(SUM(requires_human), 0) FROM ai_triage t WHERE t.model = u.model AND t.at >= u.hour
        AND t.at < u.upto AND substr(t.at, 1, 13) = u.hour) AS requires_human
FROM (
    SELECT hour, model, CASE WHEN length(hour) = 13
        THEN substr(hour, 1, 12) || char(unicode(substr(hour, 13)) + 1) ELSE hour || char(1) END AS upto
    FROM ai_usage_hourly
) u;

INSERT INTO ai_usage_hourly (hour, model, calls, cost_usd, latency_ms, triaged, requires_human)
SELECT hour, model, SUM(calls), SUM(cost_usd), SUM(latency_ms), SUM(triaged), SUM(requires_human) FROM (
    SELECT substr(at, 1, 13) AS hour, model, COUNT(*) AS calls, SUM(cost_usd) AS cost_usd,
        SUM(latency_ms) AS latency_ms, 0 AS triaged, 0 AS requires_human
    FROM ai_calls GROUP BY 1, 2
    UNION ALL
    SELECT substr(at, 1, 13), model, 0, 0, 0, COUNT(*), SUM(requires_human) FROM ai_triage GROUP BY 1, 2
) GROUP BY hour, model;

-- Inserts add to their hour inside the statement that writes the row, so they commit (or roll
-- back) with it. No statement here can conflict (the row is created only when missing), so the
-- conflict clause of the statement firing the trigger, which overrides the trigger's own, never
-- applies.
CREATE TRIGGER ai_usage_hourly_call AFTER INSERT ON ai_calls BEGIN
    INSERT INTO ai_usage_hourly (hour, model) SELECT substr(new.at, 1, 13), new.model
    WHERE NOT EXISTS (SELECT 1 FROM ai_usage_hourly WHERE hour = substr(new.at, 1, 13) AND model = new.model);
    UPDATE ai_usage_hourly SET calls = calls + 1, cost_usd = cost_usd + new.cost_usd,
        latency_ms = latency_ms + new.latency_ms
    WHERE hour = substr(new.at, 1, 13) AND model = new.model;
END;

CREATE TRIGGER ai_usage_hourly_triage AFTER INSERT ON ai_triage BEGIN
    INSERT INTO ai_usage_hourly (hour, model) SELECT substr(new.at, 1, 13), new.model
    WHERE NOT EXISTS (SELECT 1 FROM ai_usage_hourly WHERE hour = substr(new.at, 1, 13) AND model = new.model);
    UPDATE ai_usage_hourly SET triaged = triaged + 1, requires_human = requires_human + new.requires_human
    WHERE hour = substr(new.at, 1, 13) AND model = new.model;
END;

-- A changed or deleted row: its old and new hours counted again (an hour left empty goes).
CREATE TRIGGER ai_usage_hourly_call_changed AFTER UPDATE OF model, at, cost_usd, latency_ms ON ai_calls BEGIN
    INSERT INTO ai_usage_hourly (hour, model) SELECT substr(new.at, 1, 13), new.model
    WHERE NOT EXISTS (SELECT 1 FROM ai_usage_hourly WHERE hour = substr(new.at, 1, 13) AND model = new.model);
    UPDATE ai_usage_hourly SET (calls, cost_usd, latency_ms, triaged, requires_human) = (
        SELECT calls, cost_usd, latency_ms, triaged, requires_human FROM ai_usage_hourly_counted c
        WHERE c.hour = ai_usage_hourly.hour AND c.model = ai_usage_hourly.model
    ) WHERE (hour, model) IN (VALUES (substr(old.at, 1, 13), old.model), (substr(new.at, 1, 13), new.model));
    DELETE FROM ai_usage_hourly WHERE calls = 0 AND triaged = 0
        AND (hour, model) IN (VALUES (substr(old.at, 1, 13), old.model), (substr(new.at, 1, 13), new.model));
END;

CREATE TRIGGER ai_usage_hourly_call_deleted AFTER DELETE ON ai_calls BEGIN
    UPDATE ai_usage_hourly SET (calls, cost_usd, latency_ms, triaged, requires_human) = (
        SELECT calls, cost_usd, latency_ms, triaged, requires_human FROM ai_usage_hourly_counted c
        WHERE c.hour = ai_usage_hourly.hour AND c.model = ai_usage_hourly.model
    ) WHERE hour = substr(old.at, 1, 13) AND model = old.model;
    DELETE FROM ai_usage_hourly WHERE calls = 0 AND triaged = 0 AND hour = substr(old.at, 1, 13)
        AND model = old.model;
END;

CREATE TRIGGER ai_usage_hourly_triage_changed AFTER UPDATE OF model, at, requires_human ON ai_triage BEGIN
    INSERT INTO ai_usage_hourly (hour, model) SELECT substr(new.at, 1, 13), new.model
    WHERE NOT EXISTS (SELECT 1 FROM ai_usage_hourly WHERE hour = substr(new.at, 1, 13) AND model = new.model);
    UPDATE ai_usage_hourly SET (calls, cost_usd, latency_ms, triaged, requires_human) = (
        SELECT calls, cost_usd, latency_ms, triaged, requires_human FROM ai_usage_hourly_counted c
        WHERE c.hour = ai_usage_hourly.hour AND c.model = ai_usage_hourly.model
    ) WHERE (hour, model) IN (VALUES (substr(old.at, 1, 13), old.model), (substr(new.at, 1, 13), new.model));
    DELETE FROM ai_usage_hourly WHERE calls = 0 AND triaged = 0
        AND (hour, model) IN (VALUES (substr(old.at, 1, 13), old.model), (substr(new.at, 1, 13), new.model));
END;

CREATE TRIGGER ai_usage_hourly_triage_deleted AFTER DELETE ON ai_triage BEGIN
    UPDATE ai_usage_hourly SET (calls, cost_usd, latency_ms, triaged, requires_human) = (
        SELECT calls, cost_usd, latency_ms, triaged, requires_human FROM ai_usage_hourly_counted c
        WHERE c.hour = ai_usage_hourly.hour AND c.model = ai_usage_hourly.model
    ) WHERE hour = substr(old.at, 1, 13) AND model = old.model;
    DELETE FROM ai_usage_hourly WHERE calls = 0 AND triaged = 0 AND hour = substr(old.at, 1, 13)
        AND model = old.model;
END;
