package people

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Limits on an import.
const (
	// DefaultMaxImportBytes caps an uploaded file.
	DefaultMaxImportBytes = 50 << 20
	// MaxCellBytes caps one cell; a row with a bigger one is rejected.
	MaxCellBytes = 32 << 10
	maxColumns   = 300
	previewRows  = 10
)

// ImportStatus is where an import stands.
type ImportStatus string

// The statuses.
const (
	ImportUploaded ImportStatus = "uploaded" // waiting for a mapping and a start
	ImportQueued   ImportStatus = "queued"
	ImportRunning  ImportStatus = "running"
	ImportDone     ImportStatus = "done"
	ImportFailed   ImportStatus = "failed"
)

// Import is one uploaded file and its progress, for the progress bar.
type Import struct {
	ID       int64
	Filename string
	Source   ImportSource
	Status   ImportStatus
	DryRun   bool
	Mapping  Mapping
	// Tags are given to every person the import touches.
	Tags      []string
	RowsTotal int
	RowsDone  int
	Created   int
	Updated   int
	Unchanged int
	Rejected  int
	// ErrorKey says why a failed import stopped.
	ErrorKey   string
	CreatedBy  string
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
}

// Percent returns how far the import is, 0 to 100.
func (i Import) Percent() int {
	if i.RowsTotal == 0 {
		if i.Status == ImportDone {
			return 100
		}
		return 0
	}
	return min(100, i.RowsDone*100/i.RowsTotal)
}

// ImportPreview is what the mapping page shows after an upload.
type ImportPreview struct {
	Import
	Columns []string
	// Sample holds the first rows, as read.
	Sample [][]string
	// Encoding is "utf-8" or "windows-1252" (the file was converted).
	Encoding string
}

// ImportOptions start an import.
type ImportOptions struct {
	// Mapping gives each column's target; nil keeps the automatic mapping.
	Mapping Mapping
	// Tags are given to every person in the file.
	Tags   []string
	DryRun bool
}

// decodeUpload reads at most max bytes of a CSV upload and returns it as UTF-8 without a
// byte-order mark, with the name of the encoding it came in. Invalid UTF-8 is read as
// Windows-1252, what Excel on Windows writes; UTF-16 and binary files are refused.
func decodeUpload(r io.Reader, max int64) ([]byte, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, "", errs.Internalf("people: read upload: %w", err)
	}
	if int64(len(data)) > max {
		return nil, "", errs.Invalid("file", "people.import.too_large")
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, "", errs.Invalid("file", "people.import.utf16")
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, "", errs.Invalid("file", "people.import.not_csv")
	}
	if utf8.Valid(data) {
		return data, "utf-8", nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) {
		return nil, "", errs.Invalid("file", "people.import.encoding")
	}
	return out, "windows-1252", nil
}

// newCSVReader reads records leniently: rows may have any number of cells (a ragged row is
// rejected on its own later) and stray quotes are kept as text.
func newCSVReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	if i := bytes.IndexByte(data, '\n'); i > 0 && bytes.Count(data[:i], []byte(";")) > bytes.Count(data[:i], []byte(",")) {
		r.Comma = ';' // spreadsheets in Spanish and other locales separate with semicolons
	}
	return r
}

// UploadImport stores an uploaded CSV, counts its rows and proposes a column mapping. The
// file stays in the database (not on one node's disk) until the import is done.
func (s *Service) UploadImport(ctx context.Context, actor auth.Actor, filename string, r io.Reader) (ImportPreview, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return ImportPreview{}, err
	}
	data, enc, err := decodeUpload(r, s.cfg.MaxImportBytes)
	if err != nil {
		return ImportPreview{}, err
	}
	cr := newCSVReader(data)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) || len(header) == 0 || (len(header) == 1 && strings.TrimSpace(header[0]) == "") {
		return ImportPreview{}, errs.Invalid("file", "people.import.empty")
	}
	if err != nil {
		return ImportPreview{}, errs.Invalid("file", "people.import.not_csv")
	}
	if len(header) > maxColumns {
		return ImportPreview{}, errs.Invalid("file", "people.import.too_many_columns")
	}
	header = cloneCells(header, 200)
	var sample [][]string
	rows := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		malformed := errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount)
		if err != nil && !errors.Is(err, csv.ErrFieldCount) && !malformed {
			return ImportPreview{}, errs.Invalid("file", "people.import.not_csv")
		}
		if !malformed && blank(rec) {
			continue
		}
		rows++
		if len(sample) < previewRows {
			sample = append(sample, cloneCells(rec, 200))
		}
	}
	defs, err := fieldDefs(ctx, s.db)
	if err != nil {
		return ImportPreview{}, err
	}
	imp := Import{
		Filename: cleanFilename(filename), Source: DetectSource(header), Status: ImportUploaded,
		Mapping: AutoMap(header, defs), RowsTotal: rows, CreatedBy: actor.Label(),
	}
	mapping, _ := json.Marshal(imp.Mapping)
	err = s.inTx(ctx, func(tx *db.Tx) error {
		imp.CreatedAt = tx.Now
		var err error
		imp.ID, err = tx.Insert(ctx, `INSERT INTO imports (filename, source, status, mapping, rows_total, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, imp.Filename, imp.Source, imp.Status, string(mapping), rows, imp.CreatedBy, tx.Now)
		if err != nil {
			return fmt.Errorf("people: create import: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO import_files (import_id, content) VALUES (?, ?)", imp.ID, data); err != nil {
			return fmt.Errorf("people: store import file: %w", err)
		}
		return nil
	})
	if err != nil {
		return ImportPreview{}, err
	}
	return ImportPreview{Import: imp, Columns: header, Sample: sample, Encoding: enc}, nil
}

// cloneCells copies a record (the reader reuses its slice), cutting each cell to max
// bytes for display.
func cloneCells(rec []string, max int) []string {
	out := make([]string, len(rec))
	for i, c := range rec {
		if len(c) > max {
			c = strings.ToValidUTF8(c[:max], "") + "…"
		}
		out[i] = strings.Clone(c)
	}
	return out
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cleanFilename keeps the base name of an upload, on one line and at most 200 bytes.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name, _ = cleanText(name, 200)
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" || name == "." || name == "/" {
		name = "import.csv"
	}
	return name
}

const importColumns = `id, filename, source, status, dry_run, mapping, tags, rows_total, rows_done, created_count, updated_count,
	unchanged_count, rejected_count, error_key, created_by, created_at, started_at, finished_at`

func scanImport(scan func(...any) error) (Import, error) {
	var i Import
	var mapping, tags string
	var started, finished sql.NullTime
	err := scan(&i.ID, &i.Filename, &i.Source, &i.Status, &i.DryRun, &mapping, &tags, &i.RowsTotal, &i.RowsDone, &i.Created,
		&i.Updated, &i.Unchanged, &i.Rejected, &i.ErrorKey, &i.CreatedBy, &i.CreatedAt, &started, &finished)
	if err != nil {
		return i, err
	}
	i.StartedAt, i.FinishedAt = nullTime(started), nullTime(finished)
	if err := json.Unmarshal([]byte(mapping), &i.Mapping); err != nil {
		return i, fmt.Errorf("import %d mapping: %w", i.ID, err)
	}
	if err := json.Unmarshal([]byte(tags), &i.Tags); err != nil {
		return i, fmt.Errorf("import %d tags: %w", i.ID, err)
	}
	return i, nil
}

// Import returns an import and its progress.
func (s *Service) Import(ctx context.Context, actor auth.Actor, id int64) (Import, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Import{}, err
	}
	return loadImport(ctx, s.db, id)
}

func loadImport(ctx context.Context, q db.Queryer, id int64) (Import, error) {
	i, err := scanImport(q.QueryRowContext(ctx, "SELECT "+importColumns+" FROM imports WHERE id = ?", id).Scan)
	if err != nil {
		return Import{}, db.Translate(err, "people.import.not_found", "")
	}
	return i, nil
}

// Imports lists the latest imports, newest first.
func (s *Service) Imports(ctx context.Context, actor auth.Actor, limit int) ([]Import, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return nil, err
	}
	var out []Import
	err := eachRow(ctx, s.db, "SELECT "+importColumns+" FROM imports ORDER BY created_at DESC, id DESC LIMIT ?", []any{pageSize(limit)},
		func(scan func(...any) error) error {
			i, err := scanImport(scan)
			out = append(out, i)
			return err
		})
	return out, coded(err)
}
