-- +goose Up
-- vault_state is the one row that lets the operator's secret be checked and the master key
-- re-derived (never the key itself), and the cluster-wide seal record nodes follow.
CREATE TABLE vault_state (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    kdf               TEXT NOT NULL CHECK (kdf IN ('argon2id', 'keyfile')),
    kdf_salt          BYTEA NOT NULL,
    kdf_time          INTEGER NOT NULL,
    kdf_memory        INTEGER NOT NULL,
    kdf_threads       INTEGER NOT NULL,
    verifier          BYTEA NOT NULL,
    sealed            BOOLEAN NOT NULL,
    generation        BIGINT NOT NULL,
    sealed_generation BIGINT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- vault_keys holds the data keys, each wrapped (AEAD) under the master key with its
-- purpose and version as associated data.
CREATE TABLE vault_keys (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('field', 'blind', 'file')),
    version    INTEGER NOT NULL,
    wrapped    BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (purpose, version)
);

-- +goose Down
DROP TABLE vault_keys;
DROP TABLE vault_state;
