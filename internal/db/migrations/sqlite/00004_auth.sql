-- +goose Up
-- accounts are the people who sign in. Passwords are argon2id hashes (PHC strings);
-- failed_signins and locked_until hold the lockout here so that it holds across app nodes.
-- totp_secret stays readable without the vault because sign-in must work while the
-- server is sealed (administrators sign in to unseal it).
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    locale          TEXT NOT NULL DEFAULT 'en',
    password_hash   TEXT NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    failed_signins  INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    totp_secret     TEXT NOT NULL DEFAULT '',
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    totp_pending    TEXT NOT NULL DEFAULT '',
    totp_pending_at TIMESTAMP,
    webauthn_id     BLOB NOT NULL UNIQUE,
    signed_in_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- sessions are server-side; only the SHA-256 of the token is kept. stage 'second_factor'
-- and 'enrol' sessions are good only for the two-factor step. agent is a coarse browser
-- and system label; no address is ever stored.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash   BLOB NOT NULL UNIQUE,
    stage        TEXT NOT NULL CHECK (stage IN ('full', 'second_factor', 'enrol')),
    agent        TEXT NOT NULL DEFAULT '',
    idle_seconds INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- recovery_codes are single-use second factors, kept as SHA-256 hashes.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, code_hash)
);

-- passkeys are WebAuthn credentials; credential holds the library's record as JSON.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    credential    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
CREATE INDEX passkeys_account ON passkeys (account_id);

-- passkey_ceremonies hold the challenge between the begin and finish steps of a passkey
-- registration or login, tied to the session that started it.
CREATE TABLE passkey_ceremonies (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('register', 'login')),
    data       TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, kind)
);

-- invitations wait for someone to accept them; the row is deleted on acceptance.
CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    locale     TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX invitations_email ON invitations (email);
CREATE INDEX invitations_expires ON invitations (expires_at);

-- password_resets are single-use links; the row is deleted when used.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX password_resets_account ON password_resets (account_id);

-- api_keys act for programs; only the SHA-256 of the key and a short display prefix stay.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,
    created_by   INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE password_resets;
DROP TABLE invitations;
DROP TABLE passkey_ceremonies;
DROP TABLE passkeys;
DROP TABLE recovery_codes;
DROP TABLE sessions;
DROP TABLE accounts;
