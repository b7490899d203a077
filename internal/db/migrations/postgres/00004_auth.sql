-- +goose Up
-- accounts are the people who sign in. Passwords are argon2id hashes (PHC strings);
-- failed_signins and locked_until hold the lockout here so that it holds across app nodes.
-- totp_secret stays readable without the vault because sign-in must work while the
-- server is sealed (administrators sign in to unseal it).
CREATE TABLE accounts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    locale          TEXT NOT NULL DEFAULT 'en',
    password_hash   TEXT NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    failed_signins  INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    totp_secret     TEXT NOT NULL DEFAULT '',
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    totp_pending    TEXT NOT NULL DEFAULT '',
    totp_pending_at TIMESTAMPTZ,
    webauthn_id     BYTEA NOT NULL UNIQUE,
    signed_in_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- sessions are server-side; only the SHA-256 of the token is kept. stage 'second_factor'
-- and 'enrol' sessions are good only for the two-factor step. agent is a coarse browser
-- and system label; no address is ever stored.
CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    stage        TEXT NOT NULL CHECK (stage IN ('full', 'second_factor', 'enrol')),
    agent        TEXT NOT NULL DEFAULT '',
    idle_seconds INTEGER NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- recovery_codes are single-use second factors, kept as SHA-256 hashes.
CREATE TABLE recovery_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  BYTEA NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (account_id, code_hash)
);

-- passkeys are WebAuthn credentials; credential holds the library's record as JSON.
CREATE TABLE passkeys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    credential_id BYTEA NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    credential    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX passkeys_account ON passkeys (account_id);

-- passkey_ceremonies hold the challenge between the begin and finish steps of a passkey
-- registration or login, tied to the session that started it.
CREATE TABLE passkey_ceremonies (
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('register', 'login')),
    data       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, kind)
);

-- invitations wait for someone to accept them; the row is deleted on acceptance.
CREATE TABLE invitations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    locale     TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX invitations_email ON invitations (email);
CREATE INDEX invitations_expires ON invitations (expires_at);

-- password_resets are single-use links; the row is deleted when used.
CREATE TABLE password_resets (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX password_resets_account ON password_resets (account_id);

-- api_keys act for programs; only the SHA-256 of the key and a short display prefix stay.
CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     BYTEA NOT NULL UNIQUE,
    created_by   BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
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
