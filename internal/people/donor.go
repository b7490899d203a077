package people

import (
	"context"

	"solidarity/internal/db"
)

// Donor is who gave, as the donation form (or, failing that, the payment processor) knew
// them. The giving module hands it over once the payment has arrived.
type Donor struct {
	GivenName  string
	FamilyName string
	Email      string
	Language   string // "en" or "es"; the person's preferred language when new
	// EmailOptIn is true only when the donor ticked "send me news by e-mail".
	EmailOptIn bool
}

// MatchDonor returns the person a donor is, inside the caller's transaction: the person
// holding the donor's e-mail, or a new person (created_via "giving") when nobody does. A
// known person is never overwritten: the donor's name and language only fill fields that
// are empty, since anyone can type anyone's address into a donation form. E-mail consent
// is recorded only when the donor ticked it, and, as for Join, only as pending: a
// confirmation link (double opt-in) goes to the address unless consent was already given
// or revoked.
// A donor without a usable e-mail address is no one: 0, and the gift is kept without a
// person. The money has arrived, so input that does not pass the people rules (a name too
// long) is dropped rather than refused.
func (s *Service) MatchDonor(ctx context.Context, tx *db.Tx, d Donor) (int64, error) {
	email, ok := NormalizeEmail(d.Email)
	if !ok {
		return 0, nil
	}
	in := PersonInput{GivenName: d.GivenName, FamilyName: d.FamilyName, Emails: []string{email}, Language: d.Language}
	for _, e := range in.normalize(s.cfg.DefaultRegion) {
		switch e.Field {
		case "given_name":
			in.GivenName = ""
		case "family_name":
			in.FamilyName = ""
		case "language":
			in.Language = ""
		}
	}
	id, err := matchPerson(ctx, tx, in.Emails, nil)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		if id, err = insertPerson(ctx, tx, in, "giving", nil); err != nil {
			return 0, err
		}
		if err := s.AddEvent(ctx, tx, id, NewEvent{Kind: "person.created", SummaryKey: "people.timeline.created",
			Data: map[string]any{"via": "giving"}, Source: "giving"}); err != nil {
			return 0, err
		}
	} else {
		cur, err := loadPerson(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		merged, err := mergeInput(ctx, tx, cur, PersonInput{GivenName: in.GivenName, FamilyName: in.FamilyName, Language: in.Language}, true)
		if err != nil {
			return 0, err
		}
		if !sameInput(inputOf(cur), merged) {
			if err := updatePerson(ctx, tx, id, merged, nil); err != nil {
				return 0, err
			}
		}
	}
	if d.EmailOptIn {
		if err := s.donorConsent(ctx, tx, id, email, in.Language); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// donorConsent records a donor's wish for e-mail news as pending and sends the
// confirmation link, unless the person's e-mail consent is already granted or they revoked
// it: a revocation is the person's own word, which a form anyone can fill in does not undo
// (they can subscribe again from their member page).
func (s *Service) donorConsent(ctx context.Context, tx *db.Tx, id int64, email, lang string) error {
	cur, err := currentConsent(ctx, tx, id, ChannelEmail)
	if err != nil {
		return err
	}
	if cur.Status == ConsentGranted || cur.Status == ConsentRevoked {
		return nil
	}
	if cur.Status != ConsentPending {
		if err := s.RecordConsent(ctx, tx, id, ChannelEmail, ConsentPending, MethodForm); err != nil {
			return err
		}
	}
	if lang == "" {
		lang = "en"
	}
	token, err := issueToken(ctx, tx, id, purposeConfirm, confirmData{Email: email, EmailOptIn: true, Language: lang}, ConfirmTTL)
	if err != nil {
		return err
	}
	letter := s.newLetter(lang, "people.mail.confirm", s.link(ConfirmPath+token), map[string]any{"Days": int(ConfirmTTL.Hours() / 24)})
	m, err := letter.email(email, "people.join_confirm")
	if err != nil {
		return err
	}
	_, err = s.mail.Email(ctx, tx, m)
	return err
}
