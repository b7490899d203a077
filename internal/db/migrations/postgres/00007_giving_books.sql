-- +goose Up
-- giving_receipt_counter holds the last receipt number issued, in its one row. A gift's
-- receipt takes the next number by updating this row in the gift's own transaction, so
-- that numbers are sequential with no gaps, never reused, and (on PostgreSQL) concurrent
-- gifts queue on the row lock.
CREATE TABLE giving_receipt_counter (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_number BIGINT NOT NULL CHECK (last_number >= 0)
);
INSERT INTO giving_receipt_counter (id, last_number) VALUES (1, 0);

-- giving_settings is the one row of what receipts and statements say about the
-- organization: its legal name, an optional tax id, and the tax statement in each
-- language.
CREATE TABLE giving_settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    legal_name       TEXT NOT NULL DEFAULT '',
    tax_id           TEXT NOT NULL DEFAULT '',
    tax_statement_en TEXT NOT NULL DEFAULT '',
    tax_statement_es TEXT NOT NULL DEFAULT '',
    updated_by       TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMPTZ
);
INSERT INTO giving_settings (id) VALUES (1);

-- giving_links are the links mailed to donors to download a PDF without an account: a
-- gift's receipt, or a person's annual statement for a year. Only the SHA-256 of the
-- random token is kept; a link lives until expires_at.
CREATE TABLE giving_links (
    token_hash BYTEA PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'statement')),
    gift_id    BIGINT REFERENCES giving_gifts (id) ON DELETE CASCADE,
    person_id  BIGINT REFERENCES people (id) ON DELETE CASCADE,
    year       INTEGER,
    language   TEXT NOT NULL DEFAULT 'en',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'receipt' AND gift_id IS NOT NULL) OR (kind = 'statement' AND person_id IS NOT NULL AND year IS NOT NULL))
);
CREATE INDEX giving_links_expires ON giving_links (expires_at);
CREATE INDEX giving_links_gift ON giving_links (gift_id);
CREATE INDEX giving_links_person ON giving_links (person_id);

-- giving_refunds are the refunds of gifts. A refund staff make of a card gift is written
-- 'pending' before Stripe is called and 'succeeded' with Stripe's refund id after; a refund
-- made in Stripe's dashboard arrives by webhook. The unique stripe_refund_id is what keeps
-- a refund from being counted twice: only the writer that puts that id on a row adds the
-- amount to giving_gifts.refunded_cents. Offline refunds have no Stripe id.
CREATE TABLE giving_refunds (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gift_id          BIGINT NOT NULL REFERENCES giving_gifts (id) ON DELETE CASCADE,
    amount_cents     BIGINT NOT NULL CHECK (amount_cents > 0),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'superseded')),
    source           TEXT NOT NULL CHECK (source IN ('staff', 'stripe')),
    stripe_refund_id TEXT UNIQUE,
    reason           TEXT NOT NULL DEFAULT '',
    recorded_by      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX giving_refunds_gift ON giving_refunds (gift_id, created_at);

-- +goose Down
DROP TABLE giving_refunds;
DROP TABLE giving_links;
DROP TABLE giving_settings;
DROP TABLE giving_receipt_counter;
