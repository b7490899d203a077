-- +goose Up
-- response_reports are reports of enforcement activity. The reporter's phone, the exact
-- address and every free-text field are vault ciphertext (BYTEA, bound to table, row and
-- column); phone_index is the reporter phone's blind index, so that an SMS conversation
-- finds its report without decrypting. zip is kept in clear: it is what the board, the
-- dispatch and the alerts work with. merged_into points at the report that another report
-- of the same event was merged into.
CREATE TABLE response_reports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('home', 'workplace', 'checkpoint', 'arrest', 'vehicles', 'other')),
    state           TEXT NOT NULL CHECK (state IN ('new', 'verifying', 'confirmed', 'unconfirmed', 'false_alarm', 'closed')),
    source          TEXT NOT NULL CHECK (source IN ('web', 'sms', 'hotline', 'api')),
    zip             TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'en',
    observed_at     TIMESTAMPTZ NOT NULL,
    agents          INTEGER NOT NULL DEFAULT 0 CHECK (agents >= 0),
    vehicles        INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
    address         BYTEA,
    description     BYTEA,
    attire          BYTEA,
    reporter_phone  BYTEA,
    phone_index     TEXT,
    merged_into     BIGINT REFERENCES response_reports (id) ON DELETE SET NULL,
    outcome         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ
);
CREATE INDEX response_reports_open ON response_reports (state, created_at);
CREATE INDEX response_reports_zip ON response_reports (zip, created_at);
CREATE INDEX response_reports_phone ON response_reports (phone_index);

-- +goose Down
DROP TABLE response_reports;
