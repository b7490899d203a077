package people

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// SweepArgs is the periodic job that moves memberships along and sends reminders.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "people.membership_sweep" }

type sweepWorker struct {
	jobs.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *jobs.Job[SweepArgs]) error {
	_, err := w.s.Sweep(ctx)
	return err
}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Grace    int // active memberships that expired and entered grace
	Lapsed   int // grace memberships whose grace ended
	Reminded int // reminders queued
}

// sweepBatch bounds one sweep transaction.
const sweepBatch = 500

// Sweep moves expired active memberships to grace, ends grace after the grace period
// (lapsed), queues a reminder (once per expiry, in the member's language) to members
// whose membership expires within the reminder lead. A reminder is about the member's own
// membership, so it goes to their primary e-mail unless they revoked e-mail consent. It
// also deletes expired member tokens and old imports' rejected rows and files.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var r SweepResult
	now := s.db.Now()
	moves := []struct {
		from, to MembershipStatus
		before   time.Time
		count    *int
	}{
		{MemberActive, MemberGrace, now, &r.Grace},
		{MemberGrace, MemberLapsed, now.Add(-s.cfg.Grace), &r.Lapsed},
	}
	for _, m := range moves {
		for {
			n, err := s.moveMemberships(ctx, m.from, m.to, m.before)
			if err != nil {
				return r, err
			}
			*m.count += n
			if n < sweepBatch {
				break
			}
		}
	}
	for {
		n, err := s.remind(ctx, now)
		if err != nil {
			return r, err
		}
		r.Reminded += n
		if n < sweepBatch {
			break
		}
	}
	if err := s.purge(ctx, now); err != nil {
		return r, err
	}
	if r != (SweepResult{}) {
		s.log.Info("membership sweep", "grace", r.Grace, "lapsed", r.Lapsed, "reminded", r.Reminded)
	}
	return r, nil
}

// importKeep is how long an import's rejected rows and leftover file are kept.
const importKeep = 30 * 24 * time.Hour

// purge deletes expired member tokens, and the rejected rows and files of imports that
// finished (or were abandoned) more than importKeep ago: they hold personal data twice.
func (s *Service) purge(ctx context.Context, now time.Time) error {
	return s.inTx(ctx, func(tx *db.Tx) error {
		cutoff := now.Add(-importKeep)
		for _, q := range []struct {
			sql string
			arg time.Time
		}{
			{"DELETE FROM person_tokens WHERE expires_at <= ?", now},
			{"DELETE FROM import_rejects WHERE import_id IN (SELECT id FROM imports WHERE created_at < ?)", cutoff},
			{"DELETE FROM import_files WHERE import_id IN (SELECT id FROM imports WHERE created_at < ?)", cutoff},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.arg); err != nil {
				return fmt.Errorf("people: purge: %w", err)
			}
		}
		return nil
	})
}

// moveMemberships moves up to sweepBatch memberships of status from that expired before
// the cutoff to status to, each with a timeline entry.
func (s *Service) moveMemberships(ctx context.Context, from, to MembershipStatus, before time.Time) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var ids []int64
		if err := eachRow(ctx, tx, "SELECT person_id FROM memberships WHERE status = ? AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?",
			[]any{from, before, sweepBatch}, func(scan func(...any) error) error {
				var id int64
				err := scan(&id)
				ids = append(ids, id)
				return err
			}); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE memberships SET status = ?, updated_at = ? WHERE person_id = ? AND status = ?", to, tx.Now, id, from); err != nil {
				return fmt.Errorf("people: move membership: %w", err)
			}
			if err := s.AddEvent(ctx, tx, id, NewEvent{Kind: "membership." + string(to), SummaryKey: "people.timeline.membership_" + string(to),
				Source: "people"}); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// remind queues up to sweepBatch expiry reminders.
func (s *Service) remind(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *db.Tx) error {
		type due struct {
			id                  int64
			email, lang, tierEn string
			tierEs              string
			expires             time.Time
			tier                Tier
		}
		var list []due
		if err := eachRow(ctx, tx, `SELECT m.person_id, p.email, p.language, t.name_en, t.name_es, m.expires_at, t.id, t.amount_cents, t.period
			FROM memberships m JOIN people p ON p.id = m.person_id JOIN membership_tiers t ON t.id = m.tier_id
			WHERE m.status = ? AND m.expires_at IS NOT NULL AND m.expires_at > ? AND m.expires_at <= ?
			AND (m.reminded_for IS NULL OR m.reminded_for <> m.expires_at)
			ORDER BY m.expires_at LIMIT ?`, []any{MemberActive, now, now.Add(s.cfg.ReminderLead), sweepBatch},
			func(scan func(...any) error) error {
				var d due
				err := scan(&d.id, &d.email, &d.lang, &d.tierEn, &d.tierEs, &d.expires, &d.tier.ID, &d.tier.AmountCents, &d.tier.Period)
				list = append(list, d)
				return err
			}); err != nil {
			return err
		}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, "UPDATE memberships SET reminded_for = expires_at WHERE person_id = ?", d.id); err != nil {
				return fmt.Errorf("people: mark reminded: %w", err)
			}
			c, err := currentConsent(ctx, tx, d.id, ChannelEmail)
			if err != nil {
				return err
			}
			if d.email == "" || c.Status == ConsentRevoked {
				continue
			}
			tier := d.tierEn
			if d.lang == "es" {
				tier = d.tierEs
			}
			l := s.newLetter(d.lang, "people.mail.reminder", s.link(MemberPath), map[string]any{
				"Tier": tier, "Date": d.expires.Format("2006-01-02"),
			})
			if d.tier.Paid() {
				// Dues are paid on the giving module's page for the tier (the payer gives
				// their address there; nothing about the member rides in the link).
				l.Link = s.link(DuesPath + strconv.FormatInt(d.tier.ID, 10))
				l.Action = s.catalog.Localizer(d.lang).T("giving.dues.renew_action")
			}
			m, err := l.email(d.email, "people.membership_reminder")
			if err != nil {
				return err
			}
			if _, err := s.mail.Email(ctx, tx, m); err != nil {
				return fmt.Errorf("people: queue reminder: %w", err)
			}
			if err := s.AddEvent(ctx, tx, d.id, NewEvent{Kind: "membership.reminded", SummaryKey: "people.timeline.membership_reminded",
				Source: "people"}); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}
