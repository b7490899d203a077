-- +goose Up
-- settings holds small install-wide values, such as generated secrets and flags.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- deliveries is the log of every outgoing e-mail and SMS, and the built-in outbox when no
-- provider is configured.
CREATE TABLE deliveries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'outbox', 'failed', 'uncertain')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    provider_id TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX deliveries_created ON deliveries (created_at);
CREATE INDEX deliveries_status ON deliveries (status, created_at);

-- rate_counts backs rate limits that must hold across app nodes. Keys are keyed hashes,
-- never raw addresses, and rows live only as long as their window.
CREATE TABLE rate_counts (
    key          TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counts_window ON rate_counts (window_start);

-- +goose Down
DROP TABLE rate_counts;
DROP TABLE deliveries;
DROP TABLE settings;
