-- One customer, several channels: the address each conversation happens at, and the extra
-- addresses a customer is known by (a Telegram chat linked to a WhatsApp customer by the phone
-- the customer shared, or the phone of a Telegram customer).

-- Where replies to a ticket go: the sender's address on the ticket's channel. Older tickets
-- were always at their customer's own address.
ALTER TABLE tickets ADD COLUMN address TEXT;
UPDATE tickets SET address = (SELECT c.address FROM customers c WHERE c.id = tickets.customer_id);

-- Addresses beyond customers.(channel, address). A row here wins over a customers row with the
-- same address: that is how a customer first seen on Telegram is merged into the WhatsApp one.
CREATE TABLE customer_addresses (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    linked_at TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);
CREATE INDEX customer_addresses_by_customer ON customer_addresses (customer_id);

-- A customer record folded into another one (its tickets and addresses moved there).
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);
