-- What the platform knows about a customer (pushed by `atende customers import` or the
-- customers HTTP endpoint), read by broadcasts' audiences and the proactive journeys, and
-- whether the customer asked for no proactive or broadcast messages (PARAR / SAIR / STOP).
ALTER TABLE customers ADD COLUMN signup_date TEXT;      -- ISO date the account was created
ALTER TABLE customers ADD COLUMN setup_done INTEGER;    -- 1 when the basic setup is finished
ALTER TABLE customers ADD COLUMN usage_count INTEGER;   -- uses of the product so far
ALTER TABLE customers ADD COLUMN renewal_date TEXT;     -- ISO date of the next renewal
ALTER TABLE customers ADD COLUMN active_at TEXT;        -- last time the customer used the product
ALTER TABLE customers ADD COLUMN opted_out_at TEXT;     -- NULL: proactive and broadcast messages allowed
CREATE INDEX customers_by_plan ON customers (plan);
