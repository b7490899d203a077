package people

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"io"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// previewBytes is how much of a stored file the mapping page reads again: enough for the
// header and the first rows, without loading a 50 MB file on every view.
const previewBytes = 256 << 10

// MaxImportBytes is the largest CSV file UploadImport takes; the web layer sizes its own
// request limit for the upload route from it.
func (s *Service) MaxImportBytes() int64 { return s.cfg.MaxImportBytes }

// ImportPreview returns an import with its columns and first rows read again from the
// stored file, for the mapping page that follows an upload. After a real run the file is
// gone, and Columns and Sample come back empty.
func (s *Service) ImportPreview(ctx context.Context, actor auth.Actor, id int64) (ImportPreview, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return ImportPreview{}, err
	}
	imp, err := loadImport(ctx, s.db, id)
	if err != nil {
		return ImportPreview{}, err
	}
	pre := ImportPreview{Import: imp}
	var head []byte
	var size int64
	err = s.db.QueryRowContext(ctx, "SELECT SUBSTR(content, 1, ?), LENGTH(content) FROM import_files WHERE import_id = ?", previewBytes, id).
		Scan(&head, &size)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return pre, nil
	case err != nil:
		return ImportPreview{}, errs.Internalf("people: read import %d file: %w", id, err)
	}
	cut := size > int64(len(head))
	cr := newCSVReader(head)
	header, err := cr.Read()
	if err != nil {
		return pre, nil
	}
	pre.Columns = cloneCells(header, 200)
	ended := false
	for !ended && len(pre.Sample) < previewRows {
		rec, err := cr.Read()
		ended = errors.Is(err, io.EOF)
		var pe *csv.ParseError
		switch {
		case ended:
		case err != nil && !errors.Is(err, csv.ErrFieldCount) && !errors.As(err, &pe):
			ended = true
		case !blank(rec):
			pre.Sample = append(pre.Sample, cloneCells(rec, 200))
		}
	}
	if !ended {
		_, err := cr.Read()
		ended = errors.Is(err, io.EOF)
	}
	// A row that runs to where the read stopped may be cut off: it is not shown as whole.
	if cut && ended && len(pre.Sample) > 0 {
		pre.Sample = pre.Sample[:len(pre.Sample)-1]
	}
	return pre, nil
}
