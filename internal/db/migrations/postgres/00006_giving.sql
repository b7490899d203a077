-- +goose Up
-- giving_funds are the designations a gift can carry (general fund, bail fund, legal
-- defence…), named in both languages.
CREATE TABLE giving_funds (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL,
    name_es    TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- giving_pages are the donation pages organizers make. amounts lists the suggested
-- amounts in cents, comma-separated; goal_cents is NULL when the page has no goal.
CREATE TABLE giving_pages (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title_en     TEXT NOT NULL,
    title_es     TEXT NOT NULL,
    story_en     TEXT NOT NULL DEFAULT '',
    story_es     TEXT NOT NULL DEFAULT '',
    thanks_en    TEXT NOT NULL DEFAULT '',
    thanks_es    TEXT NOT NULL DEFAULT '',
    amounts      TEXT NOT NULL DEFAULT '',
    allow_custom BOOLEAN NOT NULL DEFAULT TRUE,
    currency     TEXT NOT NULL DEFAULT 'usd',
    frequency    TEXT NOT NULL DEFAULT 'both' CHECK (frequency IN ('once', 'monthly', 'both')),
    goal_cents   BIGINT CHECK (goal_cents IS NULL OR goal_cents > 0),
    fund_id      BIGINT REFERENCES giving_funds (id) ON DELETE SET NULL,
    published    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- giving_recurring is a monthly gift or recurring dues: a Stripe subscription for cards.
-- The person may leave (person_id becomes NULL); the gift's history stays for the books.
CREATE TABLE giving_recurring (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id              BIGINT REFERENCES people (id) ON DELETE SET NULL,
    page_id                BIGINT REFERENCES giving_pages (id) ON DELETE SET NULL,
    fund_id                BIGINT REFERENCES giving_funds (id) ON DELETE SET NULL,
    tier_id                BIGINT REFERENCES membership_tiers (id) ON DELETE SET NULL,
    amount_cents           BIGINT NOT NULL CHECK (amount_cents > 0),
    currency               TEXT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('pending', 'active', 'past_due', 'lapsed', 'cancelled')),
    stripe_customer_id     TEXT,
    stripe_subscription_id TEXT UNIQUE,
    started_at             TIMESTAMPTZ NOT NULL,
    cancelled_at           TIMESTAMPTZ,
    lapsed_at              TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    -- billing_interval is how often Stripe charges: monthly gifts and dues of monthly tiers by the
    -- month, dues of yearly tiers by the year.
    billing_interval       TEXT NOT NULL DEFAULT 'month' CHECK (billing_interval IN ('month', 'year')),
    -- status_at is the creation time of the Stripe event that set the status, so that a
    -- late, older event never overrides a newer one.
    status_at              TIMESTAMPTZ,
    -- amount_at is the same for the amount (changed by the donor or a subscription event).
    amount_at              TIMESTAMPTZ,
    -- failed_at is when the last charge failed (the staff list of failures sorts by it).
    failed_at              TIMESTAMPTZ,
    -- checkout_id is the checkout that started it (NULL once that checkout is purged).
    checkout_id            BIGINT,
    -- The donor as Stripe and the donation form knew them, for receipts and the manage page
    -- when the person has left.
    donor_name             TEXT NOT NULL DEFAULT '',
    donor_email            TEXT NOT NULL DEFAULT '',
    language               TEXT NOT NULL DEFAULT 'en'
);
CREATE INDEX giving_recurring_person ON giving_recurring (person_id);
CREATE INDEX giving_recurring_status ON giving_recurring (status, started_at);

-- giving_manage_tokens let a donor manage a recurring gift without an account: the link in
-- every receipt of a recurring gift carries a random token; only its SHA-256 is kept, and it
-- expires.
CREATE TABLE giving_manage_tokens (
    token_hash   BYTEA PRIMARY KEY,
    recurring_id BIGINT NOT NULL REFERENCES giving_recurring (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX giving_manage_tokens_expires ON giving_manage_tokens (expires_at);

-- giving_gifts holds every gift received: card gifts (one-time payments and each paid
-- invoice of a recurring gift) and offline gifts recorded by staff. received_at is the
-- day the money came; refunded_cents grows with refunds. receipt_number is assigned
-- once, sequentially, and never reused. donor_name, donor_email and language are what the
-- receipt was made out to, kept when the person leaves.
CREATE TABLE giving_gifts (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id             BIGINT REFERENCES people (id) ON DELETE SET NULL,
    page_id               BIGINT REFERENCES giving_pages (id) ON DELETE SET NULL,
    fund_id               BIGINT REFERENCES giving_funds (id) ON DELETE SET NULL,
    recurring_id          BIGINT REFERENCES giving_recurring (id) ON DELETE SET NULL,
    tier_id               BIGINT REFERENCES membership_tiers (id) ON DELETE SET NULL,
    amount_cents          BIGINT NOT NULL CHECK (amount_cents > 0),
    refunded_cents        BIGINT NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    currency              TEXT NOT NULL,
    method                TEXT NOT NULL CHECK (method IN ('card', 'cash', 'check', 'bank_transfer', 'other')),
    status                TEXT NOT NULL CHECK (status IN ('succeeded', 'partially_refunded', 'refunded')),
    received_at           TIMESTAMPTZ NOT NULL,
    reference             TEXT NOT NULL DEFAULT '',
    stripe_payment_intent TEXT UNIQUE,
    stripe_invoice        TEXT UNIQUE,
    stripe_charge         TEXT,
    receipt_number        BIGINT UNIQUE,
    donor_name            TEXT NOT NULL DEFAULT '',
    donor_email           TEXT NOT NULL DEFAULT '',
    language              TEXT NOT NULL DEFAULT 'en',
    recorded_by           TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX giving_gifts_received ON giving_gifts (received_at, id);
CREATE INDEX giving_gifts_person ON giving_gifts (person_id, received_at);
CREATE INDEX giving_gifts_page ON giving_gifts (page_id, received_at);
CREATE INDEX giving_gifts_recurring ON giving_gifts (recurring_id, received_at);
CREATE INDEX giving_gifts_charge ON giving_gifts (stripe_charge);

-- giving_events are Stripe webhook events, stored on arrival (the primary key makes a
-- second delivery a no-op) and processed by a job exactly once.
CREATE TABLE giving_events (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    created      TIMESTAMPTZ NOT NULL,
    payload      TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX giving_events_pending ON giving_events (processed_at, received_at);

-- giving_checkouts are the donation and dues forms sent to Stripe Checkout: what the donor
-- chose and told us, until Stripe reports the payment. The Stripe session carries the id
-- in its metadata (and in its subscription's), which is how every later event finds it.
-- Rows are purged after 30 days: by then the gift or recurring gift holds what is kept.
CREATE TABLE giving_checkouts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('donation', 'dues')),
    page_id           BIGINT REFERENCES giving_pages (id) ON DELETE SET NULL,
    fund_id           BIGINT REFERENCES giving_funds (id) ON DELETE SET NULL,
    tier_id           BIGINT REFERENCES membership_tiers (id) ON DELETE SET NULL,
    amount_cents      BIGINT NOT NULL CHECK (amount_cents > 0),
    currency          TEXT NOT NULL,
    frequency         TEXT NOT NULL CHECK (frequency IN ('once', 'month', 'year')),
    donor_name        TEXT NOT NULL DEFAULT '',
    donor_email       TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL DEFAULT 'en',
    email_opt_in      BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_session_id TEXT,
    completed_at      TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX giving_checkouts_created ON giving_checkouts (created_at);

-- giving_invoice_payments link a Stripe invoice to the payment intent and charge that paid
-- it (Stripe says so in its own event, which may come before or after the invoice's), so
-- that a refund of a monthly gift finds its gift. Purged after 60 days.
CREATE TABLE giving_invoice_payments (
    invoice        TEXT PRIMARY KEY,
    payment_intent TEXT NOT NULL DEFAULT '',
    charge         TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX giving_invoice_payments_created ON giving_invoice_payments (created_at);

-- +goose Down
DROP TABLE giving_invoice_payments;
DROP TABLE giving_checkouts;
DROP TABLE giving_events;
DROP TABLE giving_gifts;
DROP TABLE giving_manage_tokens;
DROP TABLE giving_recurring;
DROP TABLE giving_pages;
DROP TABLE giving_funds;
