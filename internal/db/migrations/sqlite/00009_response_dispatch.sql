-- +goose Up
-- response_responders are the people of the network trained to go to the scene. The person
-- (name, phone, e-mail, language) stays in the people module; this row holds what dispatch
-- needs: training, languages (comma-separated codes), preferred channel, on-call toggle,
-- and optionally the staff account (responder role) that lets them toggle on-call
-- themselves. Zones and weekly hours are compact text on the row, because the whole
-- roster is read and ranked on every view of a report (one row per responder, not one per
-- zone): zips and counties are comma-separated five-digit codes (a county covers every
-- ZIP code in it); hours are "day:start-end" ranges, comma-separated, day 0 being Sunday
-- and start and end minutes after midnight in time_zone (an evening running past
-- midnight is two ranges); no hours means "whenever on call".
CREATE TABLE response_responders (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL UNIQUE REFERENCES people (id) ON DELETE CASCADE,
    account_id  INTEGER UNIQUE REFERENCES accounts (id) ON DELETE SET NULL,
    trained_on  TIMESTAMP,
    languages   TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    on_call     BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone   TEXT NOT NULL,
    zips        TEXT NOT NULL DEFAULT '',
    counties    TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX response_responders_on_call ON response_responders (on_call, id);

-- response_dispatches are the dispatcher's call-outs for a report: how many responders
-- are needed; the first that many who accept are assigned. filled_at is when they were.
CREATE TABLE response_dispatches (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    needed      INTEGER NOT NULL CHECK (needed >= 1),
    assigned    INTEGER NOT NULL DEFAULT 0 CHECK (assigned >= 0),
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    filled_at   TIMESTAMP
);
CREATE INDEX response_dispatches_report ON response_dispatches (report_id, id);

-- One request per responder of a dispatch. Its one-tap link's token is kept as a SHA-256
-- only, and works until expires_at. state: pending → assigned | declined | not_needed
-- (stood down when the need was filled, or accepted too late). A removed responder leaves
-- the row with responder_id NULL (the report's history stays; the link stops working).
CREATE TABLE response_dispatch_requests (
    id           INTEGER PRIMARY KEY,
    dispatch_id  INTEGER NOT NULL REFERENCES response_dispatches (id) ON DELETE CASCADE,
    report_id    INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    responder_id INTEGER REFERENCES response_responders (id) ON DELETE SET NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    channel      TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    language     TEXT NOT NULL,
    distance_m   INTEGER,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'assigned', 'declined', 'not_needed')),
    answered_via TEXT NOT NULL DEFAULT '' CHECK (answered_via IN ('', 'sms', 'link')),
    answered_at  TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    UNIQUE (dispatch_id, responder_id)
);
CREATE INDEX response_dispatch_requests_report ON response_dispatch_requests (report_id, id);
CREATE INDEX response_dispatch_requests_responder ON response_dispatch_requests (responder_id, state, created_at);

-- Updates an assigned responder posts from the scene. note is vault ciphertext (bound to
-- table, row and column), cleared by the retention policy after the report closes.
CREATE TABLE response_dispatch_updates (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES response_dispatch_requests (id) ON DELETE CASCADE,
    report_id   INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('on_scene', 'confirmed', 'false_alarm', 'family_help')),
    note        BLOB,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX response_dispatch_updates_report ON response_dispatch_updates (report_id, id);

-- The provider ids of inbound text messages already handled, so that a provider's retry
-- is not applied twice. Only the id and the time: no number, no body.
CREATE TABLE response_inbound_sms (
    message_sid TEXT PRIMARY KEY,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX response_inbound_sms_received ON response_inbound_sms (received_at);

-- +goose Down
DROP TABLE response_inbound_sms;
DROP TABLE response_dispatch_updates;
DROP TABLE response_dispatch_requests;
DROP TABLE response_dispatches;
DROP TABLE response_responders;
