-- +goose Up
-- audit_log is the append-only, hash-chained record of who did what. seq is assigned by
-- the audit package without gaps, so a removed entry shows as a hole; hash covers the
-- entry and prev_hash, so a changed entry breaks the chain. The head (seq and hash) is also
-- kept in settings under 'audit.head', so that a removed tail is noticed too.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    actor      TEXT NOT NULL,
    actor_name TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    object     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_object ON audit_log (object, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- retention_policies holds the retention periods administrators have set; a policy with
-- no row here runs with the default its module registered.
CREATE TABLE retention_policies (
    name          TEXT PRIMARY KEY,
    after_seconds INTEGER NOT NULL CHECK (after_seconds > 0),
    updated_at    TIMESTAMP NOT NULL
);

-- retention_runs logs every purge: when it ran, how many rows or fields it removed, and the
-- error when it failed.
CREATE TABLE retention_runs (
    id          INTEGER PRIMARY KEY,
    policy      TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    count       INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX retention_runs_policy ON retention_runs (policy, id);
CREATE INDEX retention_runs_started ON retention_runs (started_at);

-- +goose Down
DROP TABLE retention_runs;
DROP TABLE retention_policies;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DELETE FROM settings WHERE key = 'audit.head';
