package people

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// RequestSignInLink e-mails a self-service sign-in link to the address when it belongs to
// someone, and does nothing otherwise; the answer is the same either way (nil), so the
// page reveals nothing. Only a malformed address is an error. Rate limits are the web
// layer's.
func (s *Service) RequestSignInLink(ctx context.Context, email string) error {
	addr, ok := NormalizeEmail(email)
	if !ok {
		return errs.Invalid("email", "people.email.invalid")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		id, err := matchPerson(ctx, tx, []string{addr}, nil)
		if err != nil || id == 0 {
			return err
		}
		var lang string
		if err := tx.QueryRowContext(ctx, "SELECT language FROM people WHERE id = ?", id).Scan(&lang); err != nil {
			return fmt.Errorf("people: sign-in link: %w", err)
		}
		token, err := issueToken(ctx, tx, id, purposeSignIn, nil, SignInTTL)
		if err != nil {
			return err
		}
		l := s.newLetter(lang, "people.mail.signin", s.link(SignInPath+token), map[string]any{"Minutes": int(SignInTTL.Minutes())})
		m, err := l.email(addr, "people.member_signin")
		if err != nil {
			return err
		}
		_, err = s.mail.Email(ctx, tx, m)
		return err
	})
}

// SelfSession is a member's self-service session; the web layer keeps Token in a cookie.
type SelfSession struct {
	Token     string
	ExpiresAt time.Time
}

// SignIn uses a sign-in link and opens a self-service session.
func (s *Service) SignIn(ctx context.Context, linkToken string) (SelfSession, error) {
	var out SelfSession
	err := s.inTx(ctx, func(tx *db.Tx) error {
		id, err := consumeToken(ctx, tx, linkToken, purposeSignIn, nil)
		if err != nil {
			return err
		}
		out.Token, err = issueToken(ctx, tx, id, purposeSession, nil, SessionTTL)
		out.ExpiresAt = tx.Now.Add(SessionTTL)
		return err
	})
	return out, err
}

// SignOut ends a self-service session.
func (s *Service) SignOut(ctx context.Context, session string) error {
	if !wellFormed(session) {
		return nil
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM person_tokens WHERE token_hash = ? AND purpose = ?", tokenHash(session), purposeSession)
		return err
	})
}

// MemberView is what members see and change of themselves.
type MemberView struct {
	GivenName    string
	FamilyName   string
	Email        string
	Phone        string
	Address      Address
	Language     string
	EmailConsent ConsentStatus
	SMSConsent   ConsentStatus
	Membership   *Membership
	Tier         *Tier
	// RecurringDues is true when the tier's dues come back every month or year: they may
	// be paid by a recurring card gift, which the giving module manages, not this page.
	RecurringDues bool
}

// Me returns the member's own details for a live session; a dead one is
// errs.NotFound("people.token.invalid"), upon which the page asks for a new link.
func (s *Service) Me(ctx context.Context, session string) (MemberView, error) {
	id, err := lookupToken(ctx, s.db, s.db.Now(), session, purposeSession, nil)
	if err != nil {
		return MemberView{}, coded(err)
	}
	return s.memberView(ctx, s.db, id)
}

func (s *Service) memberView(ctx context.Context, q db.Queryer, id int64) (MemberView, error) {
	p, err := loadPerson(ctx, q, id)
	if err != nil {
		return MemberView{}, coded(err)
	}
	v := MemberView{GivenName: p.GivenName, FamilyName: p.FamilyName, Email: p.PrimaryEmail(), Phone: p.PrimaryPhone(),
		Address: p.Address, Language: p.Language, EmailConsent: p.ConsentFor(ChannelEmail).Status,
		SMSConsent: p.ConsentFor(ChannelSMS).Status, Membership: p.Membership}
	if p.Membership != nil {
		if t, err := loadTier(ctx, q, p.Membership.TierID); err == nil {
			v.Tier = &t
			v.RecurringDues = recurringDues(t)
		}
	}
	return v, nil
}

// OwnDetails is what members may change of themselves. The e-mail address is not among
// them: it is what signs them in.
type OwnDetails struct {
	GivenName  string
	FamilyName string
	Phone      string
	Address    Address
	Language   string
	EmailOptIn bool
	SMSOptIn   bool
}

// UpdateOwnDetails changes the member's own details and consent. Opting in to e-mail here
// counts as confirmed (the session came from a link sent to the address); opting in to
// SMS waits for the keyword reply; opting out of either is recorded at once.
func (s *Service) UpdateOwnDetails(ctx context.Context, session string, d OwnDetails) (MemberView, error) {
	var view MemberView
	err := s.inTx(ctx, func(tx *db.Tx) error {
		id, err := lookupToken(ctx, tx, tx.Now, session, purposeSession, nil)
		if err != nil {
			return err
		}
		cur, err := loadPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		in := inputOf(cur)
		in.GivenName, in.FamilyName, in.Address, in.Language = d.GivenName, d.FamilyName, d.Address, d.Language
		in.Phones = nil
		if d.Phone != "" {
			in.Phones = []string{d.Phone}
		}
		for _, p := range cur.Phones[min(1, len(cur.Phones)):] {
			in.Phones = append(in.Phones, p.Number)
		}
		l := in.normalize(s.cfg.DefaultRegion)
		if in.GivenName == "" && in.FamilyName == "" {
			l.Add("given_name", "people.name.required")
		}
		if d.SMSOptIn && len(in.Phones) == 0 {
			l.Add("phone", "people.phone.required_for_sms")
		}
		if err := l.Err(); err != nil {
			return err
		}
		if err := updatePerson(ctx, tx, id, in, nil); err != nil {
			return err
		}
		if err := s.ownConsent(ctx, tx, id, ChannelEmail, d.EmailOptIn, ConsentGranted, MethodLink); err != nil {
			return err
		}
		if err := s.ownConsent(ctx, tx, id, ChannelSMS, d.SMSOptIn, ConsentPending, MethodForm); err != nil {
			return err
		}
		if err := s.AddEvent(ctx, tx, id, NewEvent{Kind: "person.self_update", SummaryKey: "people.timeline.self_update",
			Source: "people", Activity: true}); err != nil {
			return err
		}
		view, err = s.memberView(ctx, tx, id)
		return err
	})
	return view, err
}

// ownConsent applies a member's opt-in or opt-out on one channel.
func (s *Service) ownConsent(ctx context.Context, tx *db.Tx, id int64, ch Channel, want bool, optIn ConsentStatus, method ConsentMethod) error {
	cur, err := currentConsent(ctx, tx, id, ch)
	if err != nil {
		return err
	}
	switch {
	case want && cur.Status != ConsentGranted && cur.Status != optIn:
		return s.RecordConsent(ctx, tx, id, ch, optIn, method)
	case !want && (cur.Status == ConsentGranted || cur.Status == ConsentPending):
		return s.RecordConsent(ctx, tx, id, ch, ConsentRevoked, MethodForm)
	}
	return nil
}

// recurringDues reports whether a tier's dues recur, and so may be paid by a recurring
// card gift.
func recurringDues(t Tier) bool {
	return t.Paid() && (t.Period == PeriodMonthly || t.Period == PeriodYearly)
}

// CancelMembership lets a member end their own membership: its status becomes cancelled
// and everything else stays (their record, consent and history; the dates, for the
// books). It is audited as the member, noted on their timeline as their own act, and
// confirmed by an e-mail in their language which, for dues that recur, says that card
// gifts are stopped from the link in their receipt. Cancelling a cancelled membership
// changes nothing and sends nothing; a member with no membership gets
// errs.Conflict("people.membership.none").
func (s *Service) CancelMembership(ctx context.Context, session string) error {
	return s.inTx(ctx, func(tx *db.Tx) error {
		id, err := lookupToken(ctx, tx, tx.Now, session, purposeSession, nil)
		if err != nil {
			return err
		}
		m, err := loadMembership(ctx, tx, id)
		if errs.CodeOf(err) == errs.CodeNotFound {
			return errs.Conflict("people.membership.none")
		}
		if err != nil {
			return err
		}
		if m.Status == MemberCancelled {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE memberships SET status = ?, updated_at = ? WHERE person_id = ?", MemberCancelled, tx.Now, id); err != nil {
			return fmt.Errorf("people: cancel membership: %w", err)
		}
		if err := s.AddEvent(ctx, tx, id, NewEvent{Kind: "membership." + string(MemberCancelled), SummaryKey: "people.timeline.membership_cancelled_by_member",
			Data: map[string]any{"tier": m.TierID, "by": "member"}, Source: "people", Activity: true}); err != nil {
			return err
		}
		obj := personObject(id)
		if err := audit.Record(ctx, tx, audit.Entry{Actor: obj, ActorName: "member", Action: "people.membership_cancel", Object: obj,
			Detail: fmt.Sprintf("tier=%d from=%s", m.TierID, m.Status)}); err != nil {
			return fmt.Errorf("people: audit membership cancel: %w", err)
		}
		return s.mailCancelled(ctx, tx, id, m.TierID)
	})
}

// mailCancelled confirms a cancelled membership to the member's primary address, in their
// language.
func (s *Service) mailCancelled(ctx context.Context, tx *db.Tx, id, tierID int64) error {
	p, err := loadPerson(ctx, tx, id)
	if err != nil {
		return err
	}
	to := p.PrimaryEmail()
	if to == "" {
		return nil // signed in by e-mail, so there is one; an address removed since gets nothing
	}
	t, err := loadTier(ctx, tx, tierID)
	if err != nil {
		return err
	}
	l := s.newLetter(p.Language, "people.mail.cancelled", s.link(MemberPath), map[string]any{"Tier": t.Name(p.Language)})
	if recurringDues(t) {
		l.Paragraphs = append(l.Paragraphs, s.catalog.Localizer(p.Language).T("people.mail.cancelled.recurring"))
	}
	m, err := l.email(to, "people.membership_cancelled")
	if err != nil {
		return err
	}
	_, err = s.mail.Email(ctx, tx, m)
	return err
}

// Leave deletes the member's own record for real, with everything that hangs on it. The
// audit entry names no one: only that a member left.
func (s *Service) Leave(ctx context.Context, session string) error {
	return s.inTx(ctx, func(tx *db.Tx) error {
		id, err := lookupToken(ctx, tx, tx.Now, session, purposeSession, nil)
		if err != nil {
			return err
		}
		if err := deletePerson(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: "public", ActorName: "member", Action: "people.leave"})
	})
}
