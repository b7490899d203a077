-- +goose Up
-- vault_state is the one row that lets the operator's secret be checked and the master key
-- re-derived (never the key itself), and the cluster-wide seal record nodes follow.
CREATE TABLE vault_state (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    kdf               TEXT NOT NULL CHECK (kdf IN ('argon2id', 'keyfile')),
    kdf_salt          BLOB NOT NULL,
    kdf_time          INTEGER NOT NULL,
    kdf_memory        INTEGER NOT NULL,
    kdf_threads       INTEGER NOT NULL,
    verifier          BLOB NOT NULL,
    sealed            BOOLEAN NOT NULL,
    generation        INTEGER NOT NULL,
    sealed_generation INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

-- vault_keys holds the data keys, each wrapped (AEAD) under the master key with its
-- purpose and version as associated data.
CREATE TABLE vault_keys (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('field', 'blind', 'file')),
    version    INTEGER NOT NULL,
    wrapped    BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (purpose, version)
);

-- +goose Down
DROP TABLE vault_keys;
DROP TABLE vault_state;
