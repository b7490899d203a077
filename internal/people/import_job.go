package people

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
)

// importArgs is the job that runs one import.
type importArgs struct {
	ImportID int64 `json:"import_id"`
}

// Kind names the job.
func (importArgs) Kind() string { return "people.import" }

type importWorker struct {
	jobs.WorkerDefaults[importArgs]
	s *Service
}

// Timeout lets a 50 MB file run to the end.
func (w *importWorker) Timeout(*jobs.Job[importArgs]) time.Duration { return time.Hour }

// Work runs the import. Progress is committed with each batch, so a retry after a crash
// goes on from the last committed row; the last failed attempt marks the import failed.
func (w *importWorker) Work(ctx context.Context, job *jobs.Job[importArgs]) error {
	err := w.s.runImport(ctx, job.Args.ImportID, nil)
	if err != nil && job.Attempt >= job.MaxAttempts {
		w.s.failImport(ctx, job.Args.ImportID)
	}
	return err
}

// StartImport checks the mapping and queues the import (or its dry run) as a background
// job. An import that finished as a dry run may be started again for real.
func (s *Service) StartImport(ctx context.Context, actor auth.Actor, id int64, o ImportOptions) (Import, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Import{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if err := s.prepareRun(ctx, tx, id, o); err != nil {
			return err
		}
		return s.jobs.Enqueue(ctx, tx, importArgs{ImportID: id}, &jobs.InsertOpts{MaxAttempts: 5})
	})
	if err != nil {
		return Import{}, err
	}
	return loadImport(ctx, s.db, id)
}

// prepareRun validates the options and resets the import to queued.
func (s *Service) prepareRun(ctx context.Context, tx *db.Tx, id int64, o ImportOptions) error {
	imp, err := loadImport(ctx, tx, id)
	if err != nil {
		return err
	}
	if !(imp.Status == ImportUploaded || imp.Status == ImportDone && imp.DryRun) {
		return errs.Conflict("people.import.already_started")
	}
	var columns int
	var content []byte
	if err := tx.QueryRowContext(ctx, "SELECT content FROM import_files WHERE import_id = ?", id).Scan(&content); err != nil {
		return db.Translate(err, "people.import.file_gone", "")
	}
	header, err := newCSVReader(content).Read()
	if err != nil {
		return errs.Invalid("file", "people.import.not_csv")
	}
	columns = len(header)
	defs, err := fieldDefs(ctx, tx)
	if err != nil {
		return err
	}
	if o.Mapping == nil {
		o.Mapping = imp.Mapping
	}
	if err := o.Mapping.validate(columns, defs); err != nil {
		return err
	}
	tags, tagErr := cleanTags(o.Tags)
	if tagErr != nil {
		return tagErr
	}
	mapping, _ := json.Marshal(o.Mapping)
	tagJSON, _ := json.Marshal(tags)
	if tags == nil {
		tagJSON = []byte("[]")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET status = ?, dry_run = ?, mapping = ?, tags = ?, rows_done = 0, created_count = 0,
		updated_count = 0, unchanged_count = 0, rejected_count = 0, error_key = '', started_at = NULL, finished_at = NULL WHERE id = ?`,
		ImportQueued, o.DryRun, string(mapping), string(tagJSON), id); err != nil {
		return fmt.Errorf("people: queue import: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM import_rejects WHERE import_id = ?", id); err != nil {
		return fmt.Errorf("people: clear rejects: %w", err)
	}
	return nil
}

// ImportFile imports a CSV file from the server's disk in this process, for
// `solidarity import people FILE.csv`: upload, map (nil keeps the automatic mapping), and
// run to the end, calling progress (if not nil) after each batch.
func (s *Service) ImportFile(ctx context.Context, actor auth.Actor, path string, o ImportOptions, progress func(Import)) (Import, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Import{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Import{}, fmt.Errorf("people: open %s: %w", path, err)
	}
	defer f.Close()
	pre, err := s.UploadImport(ctx, actor, path, f)
	if err != nil {
		return Import{}, err
	}
	if err := s.inTx(ctx, func(tx *db.Tx) error { return s.prepareRun(ctx, tx, pre.ID, o) }); err != nil {
		return Import{}, err
	}
	if err := s.runImport(ctx, pre.ID, progress); err != nil {
		s.failImport(ctx, pre.ID)
		return Import{}, err
	}
	return loadImport(ctx, s.db, pre.ID)
}

// runImport works an import from its last committed row to the end.
func (s *Service) runImport(ctx context.Context, id int64, progress func(Import)) error {
	imp, err := loadImport(ctx, s.db, id)
	if err != nil {
		return err
	}
	if imp.Status == ImportDone || imp.Status == ImportFailed {
		return nil // already finished: a duplicate job
	}
	var content []byte
	if err := s.db.QueryRowContext(ctx, "SELECT content FROM import_files WHERE import_id = ?", id).Scan(&content); err != nil {
		return db.Translate(err, "people.import.file_gone", "")
	}
	defs, err := fieldDefs(ctx, s.db)
	if err != nil {
		return err
	}
	restore, err := tuneForBulk(ctx, s.db)
	if err != nil {
		return err
	}
	defer restore()
	if err := s.inTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE imports SET status = ?, started_at = COALESCE(started_at, ?) WHERE id = ?", ImportRunning, tx.Now, id)
		return err
	}); err != nil {
		return err
	}
	cr := newCSVReader(content)
	header, err := cr.Read()
	if err != nil {
		return errs.Invalid("file", "people.import.not_csv")
	}
	b := newBatcher(s, imp, len(header), defs)
	// One goroutine reads and checks rows while this one writes the batch before.
	batches := make(chan parsed, 1)
	readErr := make(chan error, 1)
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(batches)
		readErr <- s.readBatches(rctx, cr, b, imp.RowsDone, batches)
	}()
	for batch := range batches {
		if err := b.run(ctx, batch); err != nil {
			stop()
			for range batches {
			}
			return err
		}
		if progress != nil {
			if cur, err := loadImport(ctx, s.db, id); err == nil {
				progress(cur)
			}
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE imports SET status = ?, finished_at = ? WHERE id = ?", ImportDone, tx.Now, id); err != nil {
			return fmt.Errorf("people: finish import: %w", err)
		}
		if !imp.DryRun {
			// The file is not needed any more; keeping it would keep personal data twice.
			if _, err := tx.ExecContext(ctx, "DELETE FROM import_files WHERE import_id = ?", id); err != nil {
				return fmt.Errorf("people: drop import file: %w", err)
			}
		}
		return nil
	})
}

// firstBatch is the size of an import's first batch. The batches after it double up to
// ImportBatch: the writer waits only for a small first batch to be checked (a full one
// takes about a quarter of a second), and the checking keeps ahead of it from then on.
const firstBatch = 500

// readBatches reads the file's records after the first skip ones (already imported),
// parses them a batch at a time and sends the batches until the file ends.
func (s *Service) readBatches(ctx context.Context, cr *csv.Reader, b *batcher, skip int, out chan<- parsed) error {
	row := 1
	size := min(firstBatch, s.cfg.ImportBatch)
	var rows []rawRow
	send := func() error {
		if len(rows) == 0 {
			return nil
		}
		select {
		case out <- b.parse(rows):
		case <-ctx.Done():
			return ctx.Err()
		}
		rows = nil
		size = min(2*size, s.cfg.ImportBatch)
		return nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return send()
		}
		row++
		var pe *csv.ParseError
		malformed := errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount)
		if err != nil && !errors.Is(err, csv.ErrFieldCount) && !malformed {
			return fmt.Errorf("people: import %d row %d: %w", b.imp.ID, row, err)
		}
		if !malformed && blank(rec) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		rows = append(rows, rawRow{num: row, cells: cloneRow(rec), malformed: malformed})
		if len(rows) >= size {
			if err := send(); err != nil {
				return err
			}
		}
	}
}

// cloneRow copies a reused record.
func cloneRow(rec []string) []string {
	out := make([]string, len(rec))
	copy(out, rec)
	return out
}

// failImport marks an import failed after its last attempt.
func (s *Service) failImport(ctx context.Context, id int64) {
	err := s.db.InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE imports SET status = ?, error_key = ?, finished_at = ? WHERE id = ?",
			ImportFailed, "people.import.failed", tx.Now, id)
		return err
	})
	if err != nil {
		s.log.Error("people: mark import failed", "import", id, "err", err)
	}
}

// WriteRejects writes an import's rejected rows as CSV: the row number, the reason in
// lang, the column it concerns, then the row's cells as they were (cut to 100 bytes when
// huge), neutralized against formula injection.
func (s *Service) WriteRejects(ctx context.Context, actor auth.Actor, id int64, lang string, w io.Writer) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	if _, err := loadImport(ctx, s.db, id); err != nil {
		return err
	}
	t := s.catalog.Localizer(lang)
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{t.T("people.import.rejects.row"), t.T("people.import.rejects.reason"), t.T("people.import.rejects.column"), t.T("people.import.rejects.cells")}); err != nil {
		return err
	}
	err := eachRow(ctx, s.db, "SELECT row_number, field, reason_key, raw FROM import_rejects WHERE import_id = ? ORDER BY row_number", []any{id},
		func(scan func(...any) error) error {
			var num int
			var field, key, raw string
			if err := scan(&num, &field, &key, &raw); err != nil {
				return err
			}
			cells, _ := csv.NewReader(bytes.NewReader([]byte(raw))).Read()
			rec := append([]string{idString(int64(num)), t.T(key), field}, cells...)
			for i := range rec {
				rec[i] = Neutralize(rec[i])
			}
			return cw.Write(rec)
		})
	if err != nil {
		return coded(err)
	}
	cw.Flush()
	return cw.Error()
}

// Rejects returns an import's rejected rows for the page: row number, column and reason key.
func (s *Service) Rejects(ctx context.Context, actor auth.Actor, id int64, limit int) ([]Reject, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return nil, err
	}
	var out []Reject
	err := eachRow(ctx, s.db, "SELECT row_number, field, reason_key FROM import_rejects WHERE import_id = ? ORDER BY row_number LIMIT ?",
		[]any{id, pageSize(limit)}, func(scan func(...any) error) error {
			var r Reject
			err := scan(&r.Row, &r.Field, &r.ReasonKey)
			out = append(out, r)
			return err
		})
	return out, coded(err)
}

// Reject is one row an import refused.
type Reject struct {
	Row       int    // the line's record number in the file, the header being 1
	Field     string // the column target it concerns, if any
	ReasonKey string
}

// tuneForBulk gives SQLite's single write connection a page cache big enough for an
// import batch (256 MiB) and keeps statement journals in memory; with the defaults (2 MB
// cache, journals in temporary files) a batch spills to disk page by page and runs several
// times slower. (The write-ahead log is copied into the database file beside the writer,
// by db's checkpointer.) The returned function gives the cache back; keeping journals in
// memory is right for every writer and stays.
func tuneForBulk(ctx context.Context, d *db.DB) (func(), error) {
	if d.Dialect() != db.SQLite {
		return func() {}, nil
	}
	for _, p := range []string{"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"} {
		if _, err := d.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("people: %s: %w", p, err)
		}
	}
	return func() { _, _ = d.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000") }, nil
}
