-- +goose Up
-- response_reports are reports of enforcement activity. The reporter's phone, the exact
-- address and every free-text field are vault ciphertext (BLOB, bound to table, row and
-- column); phone_index is the reporter phone's blind index, so that an SMS conversation
-- finds its report without decrypting. zip is kept in clear: it is what the board, the
-- dispatch and the alerts work with. merged_into points at the report that another report
-- of the same event was merged into: merge_kind says whether flood detection grouped it
-- ('flood') or a dispatcher merged it as a duplicate ('duplicate'); grouped counts the
-- reports that point at this one. verdict is the state a report had when it closed
-- (false_alarm starts the shorter retention of its location).
CREATE TABLE response_reports (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('home', 'workplace', 'checkpoint', 'arrest', 'vehicles', 'other')),
    state           TEXT NOT NULL CHECK (state IN ('new', 'verifying', 'confirmed', 'unconfirmed', 'false_alarm', 'closed')),
    source          TEXT NOT NULL CHECK (source IN ('web', 'sms', 'hotline', 'api')),
    zip             TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'en',
    observed_at     TIMESTAMP NOT NULL,
    agents          INTEGER NOT NULL DEFAULT 0 CHECK (agents >= 0),
    vehicles        INTEGER NOT NULL DEFAULT 0 CHECK (vehicles >= 0),
    address         BLOB,
    description     BLOB,
    attire          BLOB,
    reporter_phone  BLOB,
    phone_index     TEXT,
    merged_into     INTEGER REFERENCES response_reports (id) ON DELETE SET NULL,
    merge_kind      TEXT NOT NULL DEFAULT '' CHECK (merge_kind IN ('', 'flood', 'duplicate')),
    grouped         INTEGER NOT NULL DEFAULT 0 CHECK (grouped >= 0),
    verdict         TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    closed_at       TIMESTAMP
);
CREATE INDEX response_reports_open ON response_reports (state, created_at);
CREATE INDEX response_reports_zip ON response_reports (zip, created_at);
CREATE INDEX response_reports_phone ON response_reports (phone_index);
CREATE INDEX response_reports_merged ON response_reports (merged_into);
CREATE INDEX response_reports_closed ON response_reports (closed_at);

-- response_report_history is what happened to a report, who did it and when: filing,
-- state changes, merges, checks, replies, tasks. detail never holds sensitive text.
CREATE TABLE response_report_history (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX response_report_history_report ON response_report_history (report_id, id);

-- response_messages is the SMS thread of a report: messages in from the reporter and
-- replies out from dispatchers. body is vault ciphertext, cleared by retention.
CREATE TABLE response_messages (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    body        BLOB,
    author_name TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX response_messages_report ON response_messages (report_id, id);

-- response_checklist_items are the verification checklist, configurable by dispatchers.
-- A built-in item has a code (its label is the catalog's response.checklist.item.<code>);
-- an item added later has its labels in both languages.
CREATE TABLE response_checklist_items (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL DEFAULT '',
    label_en  TEXT NOT NULL DEFAULT '',
    label_es  TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0,
    active    BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO response_checklist_items (code, position) VALUES
    ('on_scene', 1), ('media_seen', 2), ('second_report', 3), ('agency', 4);

-- response_checks are the checklist items ticked on a report, by whom and when.
CREATE TABLE response_checks (
    report_id  INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    item_id    INTEGER NOT NULL REFERENCES response_checklist_items (id) ON DELETE CASCADE,
    checked_by TEXT NOT NULL DEFAULT '',
    checked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, item_id)
);

-- response_tasks are the follow-up work a report leaves: family support, a legal
-- referral, documentation; each with a staff owner and a due time.
CREATE TABLE response_tasks (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES response_reports (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('family_support', 'legal_referral', 'documentation')),
    owner_id   INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    due_at     TIMESTAMP,
    done_at    TIMESTAMP,
    done_by    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX response_tasks_report ON response_tasks (report_id, id);

-- live_events is the feed of changes that open pages on every node follow (internal/live):
-- each node polls for rows newer than the last it saw. Rows hold no sensitive data (a
-- report id, say) and are pruned after minutes. AUTOINCREMENT keeps ids from being
-- reused after a prune, so that a poller's high-water mark stays right.
CREATE TABLE live_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX live_events_created ON live_events (created_at);

-- +goose Down
DROP TABLE live_events;
DROP TABLE response_tasks;
DROP TABLE response_checks;
DROP TABLE response_checklist_items;
DROP TABLE response_messages;
DROP TABLE response_report_history;
DROP TABLE response_reports;
