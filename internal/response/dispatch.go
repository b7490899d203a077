package response

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
)

// RequestState is where one responder's request stands.
type RequestState string

// The request states: pending → assigned | declined | not_needed. not_needed is a
// responder stood down because the need was filled, whether or not they answered.
const (
	RequestPending   RequestState = "pending"
	RequestAssigned  RequestState = "assigned"
	RequestDeclined  RequestState = "declined"
	RequestNotNeeded RequestState = "not_needed"
)

// UpdateKind is what an assigned responder reports from the scene.
type UpdateKind string

// The kinds of scene update.
const (
	UpdateOnScene    UpdateKind = "on_scene"
	UpdateConfirmed  UpdateKind = "confirmed"
	UpdateFalseAlarm UpdateKind = "false_alarm"
	UpdateFamilyHelp UpdateKind = "family_help"
)

// UpdateKinds lists the kinds of scene update in the order the link page offers them.
func UpdateKinds() []UpdateKind {
	return []UpdateKind{UpdateOnScene, UpdateConfirmed, UpdateFalseAlarm, UpdateFamilyHelp}
}

// Dispatch limits and defaults.
const (
	// DispatchTTL is how long a request's one-tap link works: through the incident and its
	// updates, not longer.
	DispatchTTL = 24 * time.Hour
	// DefaultNeeded is how many responders a dispatch assigns unless the dispatcher says:
	// nobody goes alone.
	DefaultNeeded = 2
	// MaxDispatchResponders is how many responders one dispatch may ask.
	MaxDispatchResponders = 50
	// MaxUpdateNote is how long a scene update's note may be, in characters.
	MaxUpdateNote = 500
)

// RespondPath + token is a responder's one-tap link page.
const RespondPath = "/respond/"

// dispatchPurpose names dispatch messages in the delivery log.
const dispatchPurpose = "response.dispatch"

// dispatchToken returns 256 random bits, base64url without padding (43 characters).
func dispatchToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func dispatchTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// dispatchTokenWellFormed reports whether s looks like a token dispatchToken made, so that
// junk never reaches the database.
func dispatchTokenWellFormed(s string) bool {
	if len(s) != 43 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// dispatchRequest is one request as the service works with it.
type dispatchRequest struct {
	ID          int64
	DispatchID  int64
	ReportID    int64
	ResponderID int64 // 0 when the responder was removed
	Channel     ResponderChannel
	Language    string
	State       RequestState
	AnsweredAt  *time.Time
	ExpiresAt   time.Time
}

const dispatchRequestColumns = "id, dispatch_id, report_id, responder_id, channel, language, state, answered_at, expires_at"

func dispatchRequestScan(scan func(...any) error) (dispatchRequest, error) {
	var q dispatchRequest
	var responder sql.NullInt64
	var answered sql.NullTime
	err := scan(&q.ID, &q.DispatchID, &q.ReportID, &responder, &q.Channel, &q.Language, &q.State, &answered, &q.ExpiresAt)
	q.ResponderID = responder.Int64
	if answered.Valid {
		t := answered.Time
		q.AnsweredAt = &t
	}
	return q, err
}

// dispatchRequestByToken finds the live request of a one-tap link. An unknown, malformed
// or expired token, or one whose responder was removed, is the same not-found error.
func dispatchRequestByToken(ctx context.Context, q db.Queryer, token string, now time.Time) (dispatchRequest, error) {
	gone := errs.NotFound("response_dispatch.respond.gone")
	if !dispatchTokenWellFormed(token) {
		return dispatchRequest{}, gone
	}
	r, err := dispatchRequestScan(q.QueryRowContext(ctx, "SELECT "+dispatchRequestColumns+" FROM response_dispatch_requests WHERE token_hash = ?",
		dispatchTokenHash(token)).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return dispatchRequest{}, gone
	}
	if err != nil {
		return dispatchRequest{}, fmt.Errorf("response: read request: %w", err)
	}
	if !r.ExpiresAt.After(now) || r.ResponderID == 0 {
		return dispatchRequest{}, gone
	}
	return r, nil
}

// dispatchRequestByID reads one request.
func dispatchRequestByID(ctx context.Context, q db.Queryer, id int64) (dispatchRequest, error) {
	r, err := dispatchRequestScan(q.QueryRowContext(ctx, "SELECT "+dispatchRequestColumns+" FROM response_dispatch_requests WHERE id = ?", id).Scan)
	if err != nil {
		return r, fmt.Errorf("response: read request %d: %w", id, err)
	}
	return r, nil
}

// dispatchContact is how to reach a responder: their primary phone and e-mail (from the
// people module), and whether they answered STOP.
type dispatchContact struct {
	Phone, Email, Language string
	SMSRevoked             bool
}

func dispatchContactOf(ctx context.Context, q db.Queryer, responderID int64) (dispatchContact, error) {
	var c dispatchContact
	var status string
	err := q.QueryRowContext(ctx, `SELECT p.phone, p.email, p.language,
		COALESCE((SELECT c.status FROM consents c WHERE c.person_id = p.id AND c.channel = 'sms'), '')
		FROM response_responders r JOIN people p ON p.id = r.person_id WHERE r.id = ?`, responderID).Scan(&c.Phone, &c.Email, &c.Language, &status)
	if err != nil {
		return c, fmt.Errorf("response: responder contact: %w", err)
	}
	c.SMSRevoked = status == "revoked"
	if c.Language != "es" {
		c.Language = "en"
	}
	return c, nil
}

// channelFor picks how to reach a responder: their preference when it can reach them,
// else the other channel; false when neither can.
func (c dispatchContact) channelFor(pref ResponderChannel) (ResponderChannel, bool) {
	sms := c.Phone != "" && !c.SMSRevoked
	email := c.Email != ""
	switch {
	case pref == ResponderSMS && sms, pref == ResponderEmail && !email && sms:
		return ResponderSMS, true
	case email:
		return ResponderEmail, true
	}
	return "", false
}

// dispatchMessage is one message to a responder: the SMS body, or the e-mail's subject and
// text. It carries the area and the kind of report, never an address.
type dispatchMessage struct {
	Subject, Text string
}

// dispatchSend queues m to the responder on channel, in tx.
func (s *Service) dispatchSend(ctx context.Context, tx *db.Tx, c dispatchContact, channel ResponderChannel, m dispatchMessage) error {
	var err error
	if channel == ResponderSMS {
		_, err = s.notify.SMS(ctx, tx, notify.SMS{To: c.Phone, Body: m.Text, Purpose: dispatchPurpose})
	} else {
		_, err = s.notify.Email(ctx, tx, notify.Email{To: c.Email, Subject: m.Subject, Text: m.Text, Purpose: dispatchPurpose})
	}
	if err != nil {
		return fmt.Errorf("response: queue dispatch message: %w", err)
	}
	return nil
}

// dispatchTexts writes one message in lang from its keys (subject key "" for SMS).
func (s *Service) dispatchTexts(lang string, channel ResponderChannel, key string, data map[string]any) dispatchMessage {
	loc := s.catalog.Localizer(lang)
	if channel == ResponderSMS {
		return dispatchMessage{Text: loc.T("response_dispatch.sms."+key, data)}
	}
	return dispatchMessage{Subject: loc.T("response_dispatch.mail."+key+"_subject", data), Text: loc.T("response_dispatch.mail."+key, data)}
}

// dispatchMessageData is what dispatch messages may say about a report: its kind in words,
// its area, and the responder's link.
func (s *Service) dispatchMessageData(lang string, r Report, token string) map[string]any {
	area, _, _ := areaOf(r.ZIP)
	where := area.String()
	if where == "" {
		where = s.catalog.Localizer(lang).T("response_dispatch.area.unknown")
	}
	d := map[string]any{"Kind": s.catalog.Localizer(lang).T(r.Kind.Key()), "Area": where}
	if token != "" {
		d["Link"] = s.link(RespondPath + token)
	}
	return d
}

// dispatchAudit writes an audit entry for an actor without an account: a responder through
// their link or a text message ("responder:12"), or an inbound text ("public", "sms").
func dispatchAudit(ctx context.Context, tx *db.Tx, actor, actorName, action, object, detail string) error {
	if err := audit.Record(ctx, tx, audit.Entry{Actor: actor, ActorName: actorName, Action: action, Object: object, Detail: detail}); err != nil {
		return fmt.Errorf("response: audit %s: %w", action, err)
	}
	return nil
}

// dispatchReportObject is how audit entries name a report.
func dispatchReportObject(id int64) string { return fmt.Sprintf("report:%d", id) }

// dispatchObject is how audit entries name a dispatch.
func dispatchObject(id int64) string { return fmt.Sprintf("dispatch:%d", id) }

// dispatchJoinIDs writes ids for an audit detail: "3,5,9".
func dispatchJoinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}
