-- +goose Up
-- Indexes and a counter that keep the CRM fast at a million people (internal/people
-- bench_test.go).

-- people_updated serves the API's "changed since" filter: its count, and its pages when
-- few people changed.
CREATE INDEX people_updated ON people (updated_at, id);

-- people_zip gains created_at, so that a segment on a ZIP prefix and a join date is
-- counted from the index alone, without reading each person's row. The duplicate review
-- still finds its pairs by (zip, sound_key).
DROP INDEX people_zip;
CREATE INDEX people_zip ON people (zip, sound_key, created_at);

-- memberships_status_person yields the members of a status in person order, so that a
-- count merges it with the other conditions' ids without sorting it first.
CREATE INDEX memberships_status_person ON memberships (status, person_id);

-- people_count holds how many people there are, kept exact by triggers in the same
-- transactions that add or remove them: "everyone" and the unfiltered list count read one
-- row instead of a million index entries. (PostgreSQL counts in parallel from an index.)
CREATE TABLE people_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL CHECK (n >= 0)
);
INSERT INTO people_count (id, n) SELECT 1, COUNT(*) FROM people;

-- +goose StatementBegin
CREATE TRIGGER people_count_insert AFTER INSERT ON people
BEGIN
    UPDATE people_count SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER people_count_delete AFTER DELETE ON people
BEGIN
    UPDATE people_count SET n = n - 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP INDEX memberships_status_person;
DROP TRIGGER people_count_delete;
DROP TRIGGER people_count_insert;
DROP TABLE people_count;
DROP INDEX people_zip;
CREATE INDEX people_zip ON people (zip, sound_key);
DROP INDEX people_updated;
