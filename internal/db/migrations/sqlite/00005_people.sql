-- +goose Up
-- people is the CRM: members, supporters, donors, volunteers. It holds NO immigration
-- status and no column meant for one. name_key (folded "family given") orders lists;
-- sound_key (a phonetic code of the name) finds likely duplicates in the same ZIP. email and
-- phone repeat the primary address and number for lists and exports.
CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    given_name     TEXT NOT NULL DEFAULT '',
    family_name    TEXT NOT NULL DEFAULT '',
    name_key       TEXT NOT NULL,
    sound_key      TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    street         TEXT NOT NULL DEFAULT '',
    street2        TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    county         TEXT NOT NULL DEFAULT '',
    zip            TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT 'en',
    notes          TEXT NOT NULL DEFAULT '',
    created_via    TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    last_active_at TIMESTAMP NOT NULL
);
CREATE INDEX people_name ON people (name_key, id);
CREATE INDEX people_created ON people (created_at, id);
CREATE INDEX people_active ON people (last_active_at, id);
CREATE INDEX people_language ON people (language);
CREATE INDEX people_state ON people (state);
CREATE INDEX people_county ON people (county);
CREATE INDEX people_zip ON people (zip, sound_key);

-- person_terms holds each folded word of a person's name, so that a name prefix is one
-- ordered range scan however many people match.
CREATE TABLE person_terms (
    term      TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (term, person_id)
) WITHOUT ROWID;
CREATE INDEX person_terms_person ON person_terms (person_id);

-- person_emails: normalized (lower-case) addresses; one person per address is what makes
-- dedupe on e-mail hold.
CREATE TABLE person_emails (
    email      TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_emails_person ON person_emails (person_id);

-- person_phones: numbers in E.164 form.
CREATE TABLE person_phones (
    phone      TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_phones_person ON person_phones (person_id);

-- person_refs: ids a person had in the tools the network used before (Action Network
-- uuid, CiviCRM contact id), so that re-imports match people without an e-mail.
CREATE TABLE person_refs (
    system    TEXT NOT NULL,
    ref       TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (system, ref)
) WITHOUT ROWID;
CREATE INDEX person_refs_person ON person_refs (person_id);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE person_tags (
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, person_id)
) WITHOUT ROWID;
CREATE INDEX person_tags_person ON person_tags (person_id, tag_id);

-- consents: one row per person and channel. status pending waits for a confirmation
-- (double opt-in); confirmed_at is when it came.
CREATE TABLE consents (
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'revoked')),
    method       TEXT NOT NULL CHECK (method IN ('form', 'import', 'keyword', 'staff', 'api', 'link')),
    at           TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    PRIMARY KEY (person_id, channel)
) WITHOUT ROWID;
CREATE INDEX consents_status ON consents (channel, status, person_id);

-- custom_fields are defined by administrators; choices is a JSON list.
CREATE TABLE custom_fields (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    label_en   TEXT NOT NULL,
    label_es   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    choices    TEXT NOT NULL DEFAULT '[]',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE person_fields (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    field_id  INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value     TEXT NOT NULL,
    PRIMARY KEY (person_id, field_id)
) WITHOUT ROWID;
CREATE INDEX person_fields_field ON person_fields (field_id, value);

-- organizations of the network. directory_listed only with the organization's consent,
-- whose time is kept.
CREATE TABLE organizations (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('member', 'partner', 'ally', 'international', 'funder')),
    region               TEXT NOT NULL DEFAULT '',
    country              TEXT NOT NULL DEFAULT '',
    website              TEXT NOT NULL DEFAULT '',
    summary_en           TEXT NOT NULL DEFAULT '',
    summary_es           TEXT NOT NULL DEFAULT '',
    directory_listed     BOOLEAN NOT NULL DEFAULT FALSE,
    directory_consent_at TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX organizations_name ON organizations (name_key, id);
CREATE INDEX organizations_directory ON organizations (directory_listed, region, country);

-- affiliations tie people to organizations with a role; contact marks the organization's
-- contacts.
CREATE TABLE affiliations (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role            TEXT NOT NULL DEFAULT '',
    contact         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, person_id)
) WITHOUT ROWID;
CREATE INDEX affiliations_person ON affiliations (person_id, organization_id);

CREATE TABLE membership_tiers (
    id           INTEGER PRIMARY KEY,
    name_en      TEXT NOT NULL,
    name_es      TEXT NOT NULL,
    amount_cents BIGINT NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
    currency     TEXT NOT NULL DEFAULT 'USD',
    period       TEXT NOT NULL CHECK (period IN ('free', 'monthly', 'yearly', 'once')),
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- memberships: a person's current membership. reminded_for is the expiry the last
-- reminder was sent for, so each expiry is reminded once.
CREATE TABLE memberships (
    person_id    INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    tier_id      INTEGER NOT NULL REFERENCES membership_tiers (id),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'grace', 'lapsed', 'cancelled')),
    started_at   TIMESTAMP,
    expires_at   TIMESTAMP,
    reminded_for TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX memberships_status ON memberships (status, tier_id);
CREATE INDEX memberships_expiry ON memberships (status, expires_at);
CREATE INDEX memberships_tier ON memberships (tier_id);

-- timeline: what each person did or what happened to them, appended by every module.
CREATE TABLE timeline (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    kind        TEXT NOT NULL,
    summary_key TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL
);
CREATE INDEX timeline_person ON timeline (person_id, at, id);

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- duplicate_dismissals: pairs a person marked as not the same (a_id < b_id).
CREATE TABLE duplicate_dismissals (
    a_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    b_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (a_id, b_id)
) WITHOUT ROWID;

-- person_tokens: single-use links (e-mail confirmation, sign-in) and self-service
-- sessions. Only the SHA-256 of the token is kept.
CREATE TABLE person_tokens (
    token_hash BLOB PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'signin', 'session')),
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_tokens_person ON person_tokens (person_id);
CREATE INDEX person_tokens_expires ON person_tokens (expires_at);

-- imports: one uploaded CSV and its progress. The file itself sits in import_files until
-- the import is done.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    filename        TEXT NOT NULL,
    source          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
    dry_run         BOOLEAN NOT NULL DEFAULT FALSE,
    mapping         TEXT NOT NULL DEFAULT '[]',
    tags            TEXT NOT NULL DEFAULT '[]',
    rows_total      INTEGER NOT NULL DEFAULT 0,
    rows_done       INTEGER NOT NULL DEFAULT 0,
    created_count   INTEGER NOT NULL DEFAULT 0,
    updated_count   INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    rejected_count  INTEGER NOT NULL DEFAULT 0,
    error_key       TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    started_at      TIMESTAMP,
    finished_at     TIMESTAMP
);
CREATE INDEX imports_created ON imports (created_at);

CREATE TABLE import_files (
    import_id INTEGER PRIMARY KEY REFERENCES imports (id) ON DELETE CASCADE,
    content   BLOB NOT NULL
);

CREATE TABLE import_rejects (
    import_id  INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    field      TEXT NOT NULL DEFAULT '',
    reason_key TEXT NOT NULL,
    raw        TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE import_rejects;
DROP TABLE import_files;
DROP TABLE imports;
DROP TABLE person_tokens;
DROP TABLE duplicate_dismissals;
DROP TABLE segments;
DROP TABLE timeline;
DROP TABLE memberships;
DROP TABLE membership_tiers;
DROP TABLE affiliations;
DROP TABLE organizations;
DROP TABLE person_fields;
DROP TABLE custom_fields;
DROP TABLE consents;
DROP TABLE person_tags;
DROP TABLE tags;
DROP TABLE person_refs;
DROP TABLE person_phones;
DROP TABLE person_emails;
DROP TABLE person_terms;
DROP TABLE people;
