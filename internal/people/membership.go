package people

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Period is how often a tier's dues come.
type Period string

// The periods.
const (
	PeriodFree    Period = "free"
	PeriodMonthly Period = "monthly"
	PeriodYearly  Period = "yearly"
	PeriodOnce    Period = "once" // paid once, never expires
)

// Tier is a kind of membership an administrator defined.
type Tier struct {
	ID          int64
	NameEn      string
	NameEs      string
	AmountCents int64
	Currency    string // ISO 4217, such as "USD"
	Period      Period
	Active      bool // inactive tiers are not offered on the Join page
	Position    int
}

// Name returns the tier's name in lang.
func (t Tier) Name(lang string) string {
	if lang == "es" {
		return t.NameEs
	}
	return t.NameEn
}

// Paid reports whether joining this tier takes a payment.
func (t Tier) Paid() bool { return t.Period != PeriodFree && t.AmountCents > 0 }

// MembershipStatus is where a membership stands.
type MembershipStatus string

// The statuses. The sweep moves active to grace when it expires and grace to lapsed after
// the grace period.
const (
	MemberPending   MembershipStatus = "pending" // joined, not confirmed or not paid yet
	MemberActive    MembershipStatus = "active"
	MemberGrace     MembershipStatus = "grace"
	MemberLapsed    MembershipStatus = "lapsed"
	MemberCancelled MembershipStatus = "cancelled"
)

// MembershipStatuses lists the statuses in display order.
func MembershipStatuses() []MembershipStatus {
	return []MembershipStatus{MemberPending, MemberActive, MemberGrace, MemberLapsed, MemberCancelled}
}

func (m MembershipStatus) valid() bool {
	for _, v := range MembershipStatuses() {
		if m == v {
			return true
		}
	}
	return false
}

// Membership is a person's membership.
type Membership struct {
	PersonID  int64
	TierID    int64
	Status    MembershipStatus
	StartedAt *time.Time
	ExpiresAt *time.Time // nil: never
	UpdatedAt time.Time
}

// SaveTier creates a tier (id 0) or changes one. Administrators only.
func (s *Service) SaveTier(ctx context.Context, actor auth.Actor, id int64, t Tier) (Tier, error) {
	if err := actor.Require(auth.PermSettingsManage); err != nil {
		return Tier{}, err
	}
	var l errs.List
	var ok bool
	if t.NameEn, ok = cleanText(t.NameEn, maxName); !ok || t.NameEn == "" {
		l.Add("name_en", "people.tier.name_invalid")
	}
	if t.NameEs, ok = cleanText(t.NameEs, maxName); !ok || t.NameEs == "" {
		l.Add("name_es", "people.tier.name_invalid")
	}
	t.Currency = strings.ToUpper(strings.TrimSpace(t.Currency))
	if t.Currency == "" {
		t.Currency = "USD"
	}
	if len(t.Currency) != 3 || strings.Trim(t.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		l.Add("currency", "people.tier.currency_invalid")
	}
	switch t.Period {
	case PeriodFree:
		if t.AmountCents != 0 {
			l.Add("amount", "people.tier.free_amount")
		}
	case PeriodMonthly, PeriodYearly, PeriodOnce:
		if t.AmountCents <= 0 || t.AmountCents > 100_000_000 {
			l.Add("amount", "people.tier.amount_invalid")
		}
	default:
		l.Add("period", "people.tier.period_invalid")
	}
	if err := l.Err(); err != nil {
		return Tier{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		if id == 0 {
			id, err = tx.Insert(ctx, `INSERT INTO membership_tiers (name_en, name_es, amount_cents, currency, period, active, position, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.NameEn, t.NameEs, t.AmountCents, t.Currency, t.Period, t.Active, t.Position, tx.Now, tx.Now)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE membership_tiers SET name_en = ?, name_es = ?, amount_cents = ?, currency = ?, period = ?,
				active = ?, position = ?, updated_at = ? WHERE id = ?`, t.NameEn, t.NameEs, t.AmountCents, t.Currency, t.Period, t.Active, t.Position, tx.Now, id)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return errs.NotFound("people.tier.not_found")
				}
			}
		}
		if err != nil {
			return fmt.Errorf("people: save tier: %w", err)
		}
		return record(ctx, tx, actor, "people.tier_save", fmt.Sprintf("tier:%d", id), "")
	})
	t.ID = id
	return t, err
}

// Tiers lists the tiers in display order; activeOnly keeps those offered on the Join page.
// It needs no permission: the Join page shows them.
func (s *Service) Tiers(ctx context.Context, activeOnly bool) ([]Tier, error) {
	q := "SELECT id, name_en, name_es, amount_cents, currency, period, active, position FROM membership_tiers"
	if activeOnly {
		q += " WHERE active = TRUE"
	}
	var out []Tier
	err := eachRow(ctx, s.db, q+" ORDER BY position, id", nil, func(scan func(...any) error) error {
		var t Tier
		err := scan(&t.ID, &t.NameEn, &t.NameEs, &t.AmountCents, &t.Currency, &t.Period, &t.Active, &t.Position)
		out = append(out, t)
		return err
	})
	return out, coded(err)
}

func loadTier(ctx context.Context, q db.Queryer, id int64) (Tier, error) {
	var t Tier
	err := q.QueryRowContext(ctx, "SELECT id, name_en, name_es, amount_cents, currency, period, active, position FROM membership_tiers WHERE id = ?", id).
		Scan(&t.ID, &t.NameEn, &t.NameEs, &t.AmountCents, &t.Currency, &t.Period, &t.Active, &t.Position)
	if err != nil {
		return Tier{}, db.Translate(err, "people.tier.not_found", "")
	}
	return t, nil
}

func loadMembership(ctx context.Context, q db.Queryer, personID int64) (Membership, error) {
	m := Membership{PersonID: personID}
	var started, expires sql.NullTime
	err := q.QueryRowContext(ctx, "SELECT tier_id, status, started_at, expires_at, updated_at FROM memberships WHERE person_id = ?", personID).
		Scan(&m.TierID, &m.Status, &started, &expires, &m.UpdatedAt)
	if err != nil {
		return Membership{}, db.Translate(err, "people.membership.not_found", "")
	}
	m.StartedAt, m.ExpiresAt = nullTime(started), nullTime(expires)
	return m, nil
}

// MembershipInput is what staff set on a person's membership. A nil ExpiresAt on an active
// membership of a dated tier is computed from StartedAt and the tier's period.
type MembershipInput struct {
	TierID    int64
	Status    MembershipStatus
	StartedAt *time.Time
	ExpiresAt *time.Time
}

// SetMembership gives a person a membership or changes it, with a timeline entry.
func (s *Service) SetMembership(ctx context.Context, actor auth.Actor, personID int64, in MembershipInput) (Membership, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Membership{}, err
	}
	if !in.Status.valid() {
		return Membership{}, errs.Invalid("status", "people.membership.status_invalid")
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if err := exists(ctx, tx, personID); err != nil {
			return err
		}
		t, err := loadTier(ctx, tx, in.TierID)
		if err != nil {
			return errs.Invalid("tier", "people.tier.unknown")
		}
		start := in.StartedAt
		if start == nil && in.Status == MemberActive {
			now := tx.Now
			start = &now
		}
		exp := in.ExpiresAt
		if exp == nil && start != nil && in.Status == MemberActive {
			exp = expiryFrom(t.Period, *start)
		}
		if start != nil && exp != nil && exp.Before(*start) {
			return errs.Invalid("expires_at", "people.membership.dates_invalid")
		}
		return s.writeMembership(ctx, tx, personID, t.ID, in.Status, start, exp)
	})
	if err != nil {
		return Membership{}, err
	}
	m, err := loadMembership(ctx, s.db, personID)
	return m, coded(err)
}

// writeMembership stores a membership and notes the change on the timeline.
func (s *Service) writeMembership(ctx context.Context, tx *db.Tx, personID, tierID int64, st MembershipStatus, start, exp *time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, tier_id, status, started_at, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET tier_id = excluded.tier_id, status = excluded.status, started_at = excluded.started_at,
		expires_at = excluded.expires_at, updated_at = excluded.updated_at`, personID, tierID, st, start, exp, tx.Now); err != nil {
		return fmt.Errorf("people: write membership: %w", err)
	}
	return s.AddEvent(ctx, tx, personID, NewEvent{Kind: "membership." + string(st), SummaryKey: "people.timeline.membership_" + string(st),
		Data: map[string]any{"tier": tierID}, Source: "people"})
}

// expiryFrom returns when a membership of period started at start expires; nil for
// memberships that do not expire.
func expiryFrom(p Period, start time.Time) *time.Time {
	var t time.Time
	switch p {
	case PeriodMonthly:
		t = start.AddDate(0, 1, 0)
	case PeriodYearly:
		t = start.AddDate(1, 0, 0)
	default:
		return nil
	}
	return &t
}

// ActivateMembership records a paid or renewed membership inside the caller's transaction:
// the giving module calls it when dues arrive. The membership becomes active on tierID; its
// expiry runs one period from the later of paidAt and the current expiry (an early renewal
// keeps the days left).
func (s *Service) ActivateMembership(ctx context.Context, tx *db.Tx, personID, tierID int64, paidAt time.Time) error {
	t, err := loadTier(ctx, tx, tierID)
	if err != nil {
		return err
	}
	from := paidAt.UTC()
	start := from
	cur, err := loadMembership(ctx, tx, personID)
	switch {
	case err == nil:
		if cur.Status == MemberActive && cur.ExpiresAt != nil && cur.ExpiresAt.After(from) {
			from = *cur.ExpiresAt
		}
		if cur.StartedAt != nil && (cur.Status == MemberActive || cur.Status == MemberGrace) {
			start = *cur.StartedAt
		}
	case errs.CodeOf(err) != errs.CodeNotFound:
		return err
	}
	return s.writeMembership(ctx, tx, personID, t.ID, MemberActive, &start, expiryFrom(t.Period, from))
}
