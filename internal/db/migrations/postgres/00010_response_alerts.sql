-- +goose Up
-- response_subscribers are the people who asked for rapid response alerts. Their phone or
-- e-mail reveals who lives in an affected community, so contact is vault ciphertext
-- (bound to table, row and column) and contact_index its blind index (of "sms:+1555…" or
-- "email:name@example.org"), for dedupe and for STOP without decrypting. The leave link
-- carried by every e-mail is kept the same way: leave_token encrypted (the sender puts it
-- in each e-mail), leave_hash its SHA-256 for lookup. An SMS subscription is active at
-- once (consent given on the form, a confirmation SMS says how to stop); an e-mail one is
-- pending until its confirmation link is used (double opt-in). Leaving deletes the row.
CREATE TABLE response_subscribers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    contact        BYTEA,
    contact_index  TEXT NOT NULL UNIQUE,
    leave_token    BYTEA,
    leave_hash     BYTEA NOT NULL UNIQUE,
    language       TEXT NOT NULL CHECK (language IN ('en', 'es')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'active')),
    consent_method TEXT NOT NULL,
    consent_at     TIMESTAMPTZ NOT NULL,
    confirmed_at   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX response_subscribers_pending ON response_subscribers (status, created_at);

-- The ZIP codes a subscriber wants alerts for.
CREATE TABLE response_subscriber_zips (
    subscriber_id BIGINT NOT NULL REFERENCES response_subscribers (id) ON DELETE CASCADE,
    zip           TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, zip)
);
CREATE INDEX response_subscriber_zips_zip ON response_subscriber_zips (zip, subscriber_id);

-- Confirmation links of e-mail subscriptions (SHA-256 of the token only). A link carries
-- what its form asked for, applied when it is used: for an address already subscribed,
-- nothing changes until its owner confirms.
CREATE TABLE response_subscriber_tokens (
    token_hash    BYTEA PRIMARY KEY,
    subscriber_id BIGINT NOT NULL REFERENCES response_subscribers (id) ON DELETE CASCADE,
    zips          TEXT NOT NULL,
    language      TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX response_subscriber_tokens_expiry ON response_subscriber_tokens (expires_at);

-- Alert templates: a name, a body per language with the safe placeholders only ({{.Area}},
-- {{.Time}}, {{.Kind}}), and whether it is an alert or an all clear.
CREATE TABLE response_alert_templates (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('alert', 'all_clear')),
    body_en    TEXT NOT NULL,
    body_es    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- response_alerts are the alerts sent about a confirmed report, with their rendered bodies
-- (never an address: checked before they are stored). An all clear points at the alert it
-- follows (parent_id) and goes to the same recipients. While status is 'sending', one
-- worker at a time holds the lease (lease_owner until lease_until); a worker that finds a
-- lease expired takes it over and calls the recipients its predecessor left in 'sending'
-- uncertain.
CREATE TABLE response_alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   BIGINT REFERENCES response_reports (id) ON DELETE SET NULL,
    parent_id   BIGINT REFERENCES response_alerts (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('alert', 'all_clear')),
    template_id BIGINT REFERENCES response_alert_templates (id) ON DELETE SET NULL,
    zips        TEXT NOT NULL,
    body_en     TEXT NOT NULL,
    body_es     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'done')),
    recipients  INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ
);
CREATE INDEX response_alerts_report ON response_alerts (report_id, created_at);
CREATE INDEX response_alerts_sending ON response_alerts (status, lease_until);

-- One row per recipient of an alert: queued → sending → sent | failed, or uncertain when a
-- worker stopped between handing the message over and recording the answer (never sent
-- again), or skipped when the subscriber left before their turn. error holds a short fixed
-- code, never the provider's words (which name the number).
CREATE TABLE response_alert_recipients (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id      BIGINT NOT NULL REFERENCES response_alerts (id) ON DELETE CASCADE,
    subscriber_id BIGINT REFERENCES response_subscribers (id) ON DELETE SET NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    language      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'uncertain', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TIMESTAMPTZ,
    error         TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMPTZ,
    UNIQUE (alert_id, subscriber_id)
);
CREATE INDEX response_alert_recipients_work ON response_alert_recipients (alert_id, status, id);
CREATE INDEX response_alert_recipients_subscriber ON response_alert_recipients (subscriber_id);

-- +goose Down
DROP TABLE response_alert_recipients;
DROP TABLE response_alerts;
DROP TABLE response_alert_templates;
DROP TABLE response_subscriber_tokens;
DROP TABLE response_subscriber_zips;
DROP TABLE response_subscribers;
