package response

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/live"
	"solidarity/internal/people"
)

// Rate limits of the public report page, applied by the web layer before it calls
// FileReport. They are generous per client, since a neighbour may send a correction, and
// the global one stops a flood from burying the board (flood detection groups what gets
// through).
const (
	ReportClientLimit  = 6
	ReportClientWindow = 10 * time.Minute
	ReportGlobalLimit  = 600
	ReportGlobalWindow = 10 * time.Minute
)

// FloodWindow is how close in time two public reports of the same kind in the same ZIP
// code must be for flood detection to group the later into the earlier.
const FloodWindow = 30 * time.Minute

// MaxAgo is how long before filing a report may say it happened.
const MaxAgo = 72 * time.Hour

// Field limits, in characters.
const (
	maxAddress     = 300
	maxAttire      = 500
	maxDescription = 2000
	maxCount       = 999
)

// reportsTable is the table of reports, as the vault binds its ciphertexts.
const reportsTable = "response_reports"

// phoneIndexField separates the reporter phone's blind index from every other.
const phoneIndexField = "response_reports.reporter_phone"

// openIntake registers the encrypted columns of reports and threads (so that key
// rotation re-encrypts them), their retention policies, and the live feed of the board.
func (s *Service) openIntake() {
	for _, col := range []string{"address", "description", "attire", "reporter_phone"} {
		s.vault.RegisterField(reportsTable, "id", col)
	}
	s.vault.RegisterField(messagesTable, "id", "body")
	s.registerRetention()
	s.live = live.New(s.db, s.log)
}

// ReportInput is what a report says, from the public page, the hotline console or an
// intake partner.
type ReportInput struct {
	Kind Kind
	// Address is the exact address or the cross streets, as typed.
	Address string
	ZIP     string
	// ObservedAt is when it was seen; when zero, Ago before now is used.
	ObservedAt time.Time
	Ago        time.Duration
	Agents     int
	Vehicles   int
	// Attire is what the agents wear, carry or say.
	Attire      string
	Description string
	// Phone is an optional callback number, in any common form.
	Phone    string
	Language string
}

// reportFields are a ReportInput cleaned and checked.
type reportFields struct {
	ReportInput
	phone string // E.164
}

var zipRe = regexp.MustCompile(`^([0-9]{5})(?:-?[0-9]{4})?$`)

// validate cleans the input and returns every problem at once, field by field.
func (in ReportInput) validate(now time.Time) (reportFields, error) {
	f := reportFields{ReportInput: in}
	var l errs.List
	if !f.Kind.Valid() {
		l.Add("kind", "response.error.kind")
	}
	var ok bool
	if f.Address, ok = intakeLine(f.Address, maxAddress); !ok {
		l.Add("address", "response.error.address")
	}
	f.ZIP = strings.TrimSpace(f.ZIP)
	if f.ZIP != "" {
		m := zipRe.FindStringSubmatch(f.ZIP)
		if m == nil {
			l.Add("zip", "response.error.zip")
		} else {
			f.ZIP = m[1]
		}
	}
	if f.Address == "" && f.ZIP == "" {
		l.Add("address", "response.error.where_required")
	}
	switch {
	case f.ObservedAt.IsZero() && (f.Ago < 0 || f.Ago > MaxAgo):
		l.Add("when", "response.error.when")
	case f.ObservedAt.IsZero():
		f.ObservedAt = now.Add(-f.Ago)
	case f.ObservedAt.After(now.Add(5*time.Minute)) || f.ObservedAt.Before(now.Add(-MaxAgo)):
		l.Add("when", "response.error.when")
	}
	f.ObservedAt = f.ObservedAt.UTC()
	if f.Agents < 0 || f.Agents > maxCount {
		l.Add("agents", "response.error.count")
	}
	if f.Vehicles < 0 || f.Vehicles > maxCount {
		l.Add("vehicles", "response.error.count")
	}
	if f.Attire, ok = intakeBlock(f.Attire, maxAttire); !ok {
		l.Add("attire", "response.error.attire")
	}
	if f.Description, ok = intakeBlock(f.Description, maxDescription); !ok {
		l.Add("description", "response.error.description_long")
	}
	if raw := strings.TrimSpace(f.Phone); raw != "" {
		if f.phone, ok = people.NormalizePhone(raw, "US"); !ok {
			l.Add("phone", "response.error.phone")
		}
	}
	f.Language = people.NormalizeLanguage(f.Language)
	if f.Language == "" {
		f.Language = "en"
	}
	return f, l.Err()
}

// intakeLine trims s, folds its white space and reports whether it is text (no control
// characters) of at most max characters.
func intakeLine(s string, max int) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	return s, intakeText(s, max, false)
}

// intakeBlock is intakeLine for several lines: line breaks are kept.
func intakeBlock(s string, max int) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	return s, intakeText(s, max, true)
}

func intakeText(s string, max int, lines bool) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return r < ' ' && r != '\t' && !(lines && r == '\n') || r == 0x7f }) < 0
}

// FileReport takes a report from the public page. Flood detection may group it into an
// earlier report of the same kind and ZIP code; the caller learns nothing either way, so
// that the page answers the same whatever happened. Rate limits and the honeypot are the
// web layer's. A sealed vault refuses the report (errs.Sealed): its details could not be
// stored encrypted, and the page tells the reporter to call or text the hotline instead.
func (s *Service) FileReport(ctx context.Context, in ReportInput) error {
	_, err := s.intake(ctx, auth.Public(), SourceWeb, in, true)
	return err
}

// TakeCall records a report a hotline operator takes by phone (response.intake). Calls are
// never grouped by flood detection: an operator spoke to someone.
func (s *Service) TakeCall(ctx context.Context, actor auth.Actor, in ReportInput) (Report, error) {
	if err := actor.Require(auth.PermResponseIntake); err != nil {
		return Report{}, err
	}
	return s.intake(ctx, actor, SourceHotline, in, false)
}

// SubmitReport records a report sent by an intake partner through the API
// (response.submit, which partner keys may hold, or response.intake). Flood detection
// applies, as for the public page; the report returned says whether it was grouped
// (MergedInto).
func (s *Service) SubmitReport(ctx context.Context, actor auth.Actor, in ReportInput) (Report, error) {
	if !actor.Can(auth.PermResponseSubmit) {
		if err := actor.Require(auth.PermResponseIntake); err != nil {
			return Report{}, err
		}
	}
	return s.intake(ctx, actor, SourceAPI, in, true)
}

// intake validates and stores one report in one transaction: the clear row, then its
// sensitive fields encrypted under the new id, the history entry, the audit entry, and
// the board event (on the report it was grouped into, when flood detection grouped it).
func (s *Service) intake(ctx context.Context, actor auth.Actor, source string, in ReportInput, flood bool) (Report, error) {
	f, err := in.validate(s.db.Now())
	if err != nil {
		return Report{}, err
	}
	if s.vault.Sealed() {
		return Report{}, errs.Sealed()
	}
	var index any
	if f.phone != "" {
		idx, err := s.vault.BlindIndex(phoneIndexField, f.phone)
		if err != nil {
			return Report{}, err
		}
		index = idx
	}
	var out Report
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var parent int64
		if flood && f.ZIP != "" {
			if err := lockFlood(ctx, tx); err != nil {
				return err
			}
			p, err := floodParent(ctx, tx, f.Kind, f.ZIP, tx.Now)
			if err != nil {
				return err
			}
			parent = p
		}
		id, err := insertReport(ctx, tx, source, f, index, parent)
		if err != nil {
			return err
		}
		if err := s.sealReport(ctx, tx, id, map[string]string{
			"address": f.Address, "description": f.Description, "attire": f.Attire, "reporter_phone": f.phone,
		}); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, id, actor, historyFiled, "", StateNew, "source="+source); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response.report.create", reportObject(id), "source="+source); err != nil {
			return err
		}
		onBoard := id
		if parent != 0 {
			if err := s.group(ctx, tx, actor, parent, id); err != nil {
				return err
			}
			onBoard = parent
		}
		if err := s.boardChanged(ctx, tx, onBoard); err != nil {
			return err
		}
		out, err = loadReport(ctx, tx, id)
		return err
	})
	return out, err
}

// insertReport writes a report's clear columns; parent, when not 0, is the report flood
// detection groups it into.
func insertReport(ctx context.Context, tx *db.Tx, source string, f reportFields, index any, parent int64) (int64, error) {
	var merged any
	mergeKind := ""
	if parent != 0 {
		merged, mergeKind = parent, MergeFlood
	}
	id, err := tx.Insert(ctx, `INSERT INTO response_reports (kind, state, source, zip, language, observed_at, agents, vehicles,
		phone_index, merged_into, merge_kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(f.Kind), string(StateNew), source, f.ZIP, f.Language, f.ObservedAt, f.Agents, f.Vehicles,
		index, merged, mergeKind, tx.Now, tx.Now)
	if err != nil {
		return 0, fmt.Errorf("response: insert report: %w", err)
	}
	return id, nil
}

// sealReport encrypts the non-empty sensitive fields of report id (column → plaintext)
// and writes them. Columns come from this package, never from input.
func (s *Service) sealReport(ctx context.Context, tx *db.Tx, id int64, fields map[string]string) error {
	for col, plain := range fields {
		if plain == "" {
			continue
		}
		ct, err := s.vault.EncryptString(reportsTable, id, col, plain)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_reports SET "+col+" = ? WHERE id = ?", ct, id); err != nil {
			return fmt.Errorf("response: store report %s: %w", col, err)
		}
	}
	return nil
}
