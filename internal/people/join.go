package people

import (
	"context"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// JoinRequest is what the public Join page sends. Rate limits and the honeypot field are
// the web layer's: this service trusts nothing else about the request.
type JoinRequest struct {
	GivenName  string
	FamilyName string
	Email      string
	Phone      string
	ZIP        string
	// Language is the page's language, "en" or "es"; the person's preferred language.
	Language string
	// TierID is the membership tier chosen; 0 joins as a supporter.
	TierID     int64
	EmailOptIn bool // wants the network's news by e-mail
	SMSOptIn   bool // wants text messages (needs Phone)
}

// JoinResult is the same whether or not the e-mail was known: the page must show it the
// same way either way.
type JoinResult struct {
	// PaymentDue is true for a paid tier: the page continues to the giving module with the
	// tier's amount; the membership stays pending until the dues arrive.
	PaymentDue  bool
	TierID      int64
	AmountCents int64
	Currency    string
}

// confirmData rides in the e-mail confirmation token: what the Join form asked for, kept
// until the address is proven when the person was already known.
type confirmData struct {
	Email      string `json:"email"`
	EmailOptIn bool   `json:"email_opt_in"`
	SMSOptIn   bool   `json:"sms_opt_in"`
	TierID     int64  `json:"tier_id,omitempty"`
	GivenName  string `json:"given_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
	Phone      string `json:"phone,omitempty"`
	ZIP        string `json:"zip,omitempty"`
	Language   string `json:"language,omitempty"`
}

// Join signs someone up from the public page. A new address creates the person at once,
// with the consent chosen recorded as pending. A known address changes nothing yet: what
// the form asked for waits in the confirmation link and is applied when the link is used
// (and then only fills empty fields), so a stranger who types someone's address can
// neither change their record nor attach a phone or e-mail to it. Either way an e-mail
// with a confirmation link (double opt-in) goes to the address, and the result is the
// same, revealing nothing about whether the address was known.
func (s *Service) Join(ctx context.Context, req JoinRequest) (JoinResult, error) {
	in := PersonInput{GivenName: req.GivenName, FamilyName: req.FamilyName, Address: Address{ZIP: req.ZIP}, Language: req.Language}
	if req.Email != "" {
		in.Emails = []string{req.Email}
	}
	if req.Phone != "" {
		in.Phones = []string{req.Phone}
	}
	l := in.normalize(s.cfg.DefaultRegion)
	if in.GivenName == "" && in.FamilyName == "" {
		l.Add("given_name", "people.name.required")
	}
	if len(in.Emails) == 0 {
		l.Add("email", "people.email.required")
	}
	if req.SMSOptIn && len(in.Phones) == 0 {
		l.Add("phone", "people.phone.required_for_sms")
	}
	if in.Language == "" {
		in.Language = "en"
	}
	for _, e := range l {
		switch e.Field {
		case "emails":
			e.Field = "email"
		case "phones":
			e.Field = "phone"
		}
	}
	var tier Tier
	if req.TierID != 0 {
		t, err := loadTier(ctx, s.db, req.TierID)
		if err != nil || !t.Active {
			l.Add("tier", "people.tier.unknown")
		}
		tier = t
	}
	if err := l.Err(); err != nil {
		return JoinResult{}, err
	}
	data := confirmData{Email: in.Emails[0], EmailOptIn: req.EmailOptIn, SMSOptIn: req.SMSOptIn, TierID: tier.ID,
		GivenName: in.GivenName, FamilyName: in.FamilyName, Phone: first(in.Phones), ZIP: in.Address.ZIP, Language: in.Language}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		id, err := matchPerson(ctx, tx, in.Emails, nil)
		if err != nil {
			return err
		}
		if id == 0 {
			if owner, _ := matchPerson(ctx, tx, nil, in.Phones); owner != 0 {
				in.Phones = nil // someone else's number stays theirs
			}
			if id, err = insertPerson(ctx, tx, in, "join", nil); err != nil {
				return err
			}
			if err := s.applyJoin(ctx, tx, id, data, false); err != nil {
				return err
			}
		}
		token, err := issueToken(ctx, tx, id, purposeConfirm, data, ConfirmTTL)
		if err != nil {
			return err
		}
		letter := s.newLetter(in.Language, "people.mail.confirm", s.link(ConfirmPath+token), map[string]any{"Days": int(ConfirmTTL.Hours() / 24)})
		m, err := letter.email(in.Emails[0], "people.join_confirm")
		if err != nil {
			return err
		}
		_, err = s.mail.Email(ctx, tx, m)
		return err
	})
	if err != nil {
		return JoinResult{}, err
	}
	return JoinResult{PaymentDue: tier.Paid(), TierID: tier.ID, AmountCents: tier.AmountCents, Currency: tier.Currency}, nil
}

// applyJoin records what a Join form asked for. Before confirmation (a new person) consent
// is pending; on confirmation the details fill empty fields, e-mail consent is granted as
// confirmed, and a pending free membership becomes active.
func (s *Service) applyJoin(ctx context.Context, tx *db.Tx, id int64, d confirmData, confirmed bool) error {
	if confirmed {
		cur, err := loadPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		add := PersonInput{GivenName: d.GivenName, FamilyName: d.FamilyName, Address: Address{ZIP: d.ZIP}, Language: d.Language}
		if d.Phone != "" {
			add.Phones = []string{d.Phone}
		}
		merged, err := mergeInput(ctx, tx, cur, add, true)
		if err != nil {
			return err
		}
		if !sameInput(inputOf(cur), merged) {
			if err := updatePerson(ctx, tx, id, merged, nil); err != nil {
				return err
			}
		}
	}
	if d.EmailOptIn {
		status, method := ConsentPending, MethodForm
		if confirmed {
			status, method = ConsentGranted, MethodLink
		}
		cur, err := currentConsent(ctx, tx, id, ChannelEmail)
		if err != nil {
			return err
		}
		if cur.Status != ConsentGranted || confirmed && cur.ConfirmedAt == nil {
			if err := s.RecordConsent(ctx, tx, id, ChannelEmail, status, method); err != nil {
				return err
			}
		}
	}
	if d.SMSOptIn {
		cur, err := currentConsent(ctx, tx, id, ChannelSMS)
		if err != nil {
			return err
		}
		// SMS consent is confirmed by a keyword reply, which messaging records.
		if cur.Status != ConsentGranted && cur.Status != ConsentPending {
			if err := s.RecordConsent(ctx, tx, id, ChannelSMS, ConsentPending, MethodForm); err != nil {
				return err
			}
		}
	}
	if d.TierID != 0 {
		m, err := loadMembership(ctx, tx, id)
		switch {
		case errs.CodeOf(err) == errs.CodeNotFound || err == nil && (m.Status == MemberLapsed || m.Status == MemberCancelled):
			if err := s.writeMembership(ctx, tx, id, d.TierID, MemberPending, nil, nil); err != nil {
				return err
			}
			m = Membership{TierID: d.TierID, Status: MemberPending}
		case err != nil:
			return err
		}
		if confirmed && m.Status == MemberPending {
			t, err := loadTier(ctx, tx, m.TierID)
			if err != nil {
				return err
			}
			if !t.Paid() {
				now := tx.Now
				if err := s.writeMembership(ctx, tx, id, t.ID, MemberActive, &now, expiryFrom(t.Period, now)); err != nil {
					return err
				}
			}
		}
	}
	kind, key := "person.joined", "people.timeline.joined"
	if confirmed {
		kind, key = "person.email_confirmed", "people.timeline.email_confirmed"
	}
	return s.AddEvent(ctx, tx, id, NewEvent{Kind: kind, SummaryKey: key, Data: map[string]any{"tier": d.TierID}, Source: "people", Activity: true})
}

// ConfirmResult tells the confirmation page what happened.
type ConfirmResult struct {
	Language string
	// EmailConsent is true when the person chose e-mail news and it is now confirmed.
	EmailConsent bool
	// MembershipActive is true when the person's membership is active now.
	MembershipActive bool
	// PaymentDue is true when a paid tier's membership waits for its dues.
	PaymentDue bool
}

// ConfirmEmail uses an e-mail confirmation link: it applies what the Join form asked for,
// confirms e-mail consent (double opt-in) and activates a pending free membership. An
// unknown, expired or used link is errs.NotFound("people.token.invalid").
func (s *Service) ConfirmEmail(ctx context.Context, token string) (ConfirmResult, error) {
	var res ConfirmResult
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var data confirmData
		id, err := consumeToken(ctx, tx, token, purposeConfirm, &data)
		if err != nil {
			return err
		}
		var owner int64
		if err := tx.QueryRowContext(ctx, "SELECT person_id FROM person_emails WHERE email = ?", data.Email).Scan(&owner); err != nil || owner != id {
			return errs.NotFound("people.token.invalid") // the address moved or was removed since
		}
		if err := s.applyJoin(ctx, tx, id, data, true); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT language FROM people WHERE id = ?", id).Scan(&res.Language); err != nil {
			return err
		}
		res.EmailConsent = data.EmailOptIn
		if m, err := loadMembership(ctx, tx, id); err == nil {
			res.MembershipActive = m.Status == MemberActive
			res.PaymentDue = m.Status == MemberPending
		}
		return nil
	})
	return res, err
}
