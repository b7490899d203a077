-- +goose Up
-- Indexes that keep the CRM fast at a million people (internal/people bench_test.go).

-- people_updated serves the API's "changed since" filter: its count, and its pages when
-- few people changed.
CREATE INDEX people_updated ON people (updated_at, id);

-- people_zip gains created_at, so that a segment on a ZIP prefix and a join date is
-- counted by an index-only scan. The duplicate review still finds its pairs by
-- (zip, sound_key).
DROP INDEX people_zip;
CREATE INDEX people_zip ON people (zip, sound_key, created_at);

-- Unlike SQLite's, a PostgreSQL index does not hold the row's id: with it, a condition on
-- language, state or county yields ids from the index alone (index-only scans, sorted
-- for merge joins with the other conditions' indexes) instead of visiting the table.
DROP INDEX people_language;
CREATE INDEX people_language ON people (language, id);
DROP INDEX people_state;
CREATE INDEX people_state ON people (state, id);
DROP INDEX people_county;
CREATE INDEX people_county ON people (county, id);

-- memberships_status_person yields the members of a status in person order, so that a
-- count merges it with the other conditions' ids without sorting it first.
CREATE INDEX memberships_status_person ON memberships (status, person_id);

-- +goose Down
DROP INDEX memberships_status_person;
DROP INDEX people_county;
CREATE INDEX people_county ON people (county);
DROP INDEX people_state;
CREATE INDEX people_state ON people (state);
DROP INDEX people_language;
CREATE INDEX people_language ON people (language);
DROP INDEX people_zip;
CREATE INDEX people_zip ON people (zip, sound_key);
DROP INDEX people_updated;
