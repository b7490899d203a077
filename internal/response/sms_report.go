package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// maxInbound bounds an inbound text kept in a thread (ten SMS segments).
const maxInbound = 1600

// smsReport opens or continues the report conversation of phone from with body, in tx,
// and returns the reply to send ("" for none). A phone with an open report (or one merged
// into an open report) adds to that report's thread; any other opens a new report (source
// sms, kind other, state new) and gets a short confirmation in the sender's language,
// which says nothing about the report. Dispatch calls it for inbound texts that are
// neither keywords nor responders' replies.
func (s *Service) smsReport(ctx context.Context, tx *db.Tx, from, body, lang string) (string, error) {
	phone, ok := people.NormalizePhone(from, "US")
	if !ok {
		return "", errs.Invalid("from", "response.error.phone")
	}
	body = smsText(body)
	if body == "" {
		return "", nil
	}
	index, err := s.vault.BlindIndex(phoneIndexField, phone)
	if err != nil {
		return "", err
	}
	actor := auth.Public()
	open, err := openReportOf(ctx, tx, index)
	if err != nil {
		return "", err
	}
	if open != 0 {
		if err := s.appendMessage(ctx, tx, open, DirectionIn, body, ""); err != nil {
			return "", err
		}
		if err := addHistory(ctx, tx, open, actor, historySMSIn, "", "", ""); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_reports SET updated_at = ? WHERE id = ?", tx.Now, open); err != nil {
			return "", fmt.Errorf("response: sms report: %w", err)
		}
		return "", s.boardChanged(ctx, tx, open)
	}
	lang = smsLanguage(lang, body)
	f := reportFields{ReportInput: ReportInput{Kind: KindOther, ObservedAt: tx.Now, Language: lang}, phone: phone}
	id, err := insertReport(ctx, tx, SourceSMS, f, index, 0)
	if err != nil {
		return "", err
	}
	if err := s.sealReport(ctx, tx, id, map[string]string{"reporter_phone": phone}); err != nil {
		return "", err
	}
	if err := s.appendMessage(ctx, tx, id, DirectionIn, body, ""); err != nil {
		return "", err
	}
	if err := addHistory(ctx, tx, id, actor, historyFiled, "", StateNew, "source="+SourceSMS); err != nil {
		return "", err
	}
	if err := record(ctx, tx, actor, "response.report.create", reportObject(id), "source="+SourceSMS); err != nil {
		return "", err
	}
	if err := s.boardChanged(ctx, tx, id); err != nil {
		return "", err
	}
	return s.catalog.Localizer(lang).T("response.sms.received"), nil
}

// openReportOf returns the open report on the board that the phone with blind index
// index last reported (following a merge to the report it went into), or 0.
func openReportOf(ctx context.Context, q db.Queryer, index string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(r.merged_into, r.id) FROM response_reports r
		LEFT JOIN response_reports p ON p.id = r.merged_into
		WHERE r.phone_index = ? AND r.state <> 'closed' AND (p.id IS NULL OR p.state <> 'closed')
		ORDER BY r.created_at DESC, r.id DESC LIMIT 1`, index).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("response: find the sender's report: %w", err)
	}
	return id, nil
}

// smsText keeps what a thread may hold of an inbound text: valid text without control
// characters (other than line breaks), at most maxInbound characters.
func smsText(body string) string {
	body = strings.ToValidUTF8(strings.ReplaceAll(body, "\r\n", "\n"), "")
	body = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, body)
	body = strings.TrimSpace(body)
	if r := []rune(body); len(r) > maxInbound {
		body = string(r[:maxInbound])
	}
	return body
}

// spanishWords are common in a Spanish report and rare in an English one.
var spanishWords = map[string]bool{
	"hay": true, "la": true, "el": true, "los": true, "las": true, "en": true, "de": true, "con": true, "por": true,
	"agentes": true, "migra": true, "casa": true, "trabajo": true, "está": true, "esta": true, "están": true,
	"estan": true, "ayuda": true, "favor": true, "calle": true, "esquina": true, "llegaron": true, "hombres": true,
	"carros": true, "camionetas": true, "aquí": true, "aqui": true, "ahora": true, "mi": true, "una": true, "un": true,
}

// smsLanguage picks the language of the reply: the one the caller gives when it is a
// supported one, Spanish when the text reads as Spanish, else English.
func smsLanguage(lang, body string) string {
	if l := people.NormalizeLanguage(lang); l != "" {
		return l
	}
	lower := strings.ToLower(body)
	if strings.ContainsAny(lower, "¿¡ñ") {
		return "es"
	}
	hits, words := 0, 0
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r > 0x7f) }) {
		words++
		if spanishWords[w] {
			hits++
		}
	}
	if hits >= 2 || words > 0 && hits*3 >= words {
		return "es"
	}
	return "en"
}
