package giving

import (
	"context"
	"fmt"

	"solidarity/internal/db"
)

// mailFailure tells a donor, in their language, that a charge of their monthly gift (or
// recurring dues) failed, with a fresh link to their manage page where they update their
// card. Nothing about the card or the reason is in it: the processor holds those.
func (s *Service) mailFailure(ctx context.Context, tx *db.Tx, r Recurring) error {
	if r.DonorEmail == "" {
		return nil
	}
	link, err := s.manageLink(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	return s.mailDonor(ctx, tx, r, "giving.recurring.mail.failed", link, "giving.recurring_failed")
}

// mailDonor queues one e-mail about a recurring gift to its donor, from catalog keys under
// prefix (subject, body, action, footer), with the gift's amount as {{.Amount}}.
func (s *Service) mailDonor(ctx context.Context, tx *db.Tx, r Recurring, prefix, link, purpose string) error {
	t := s.catalog.Localizer(r.Language)
	data := map[string]any{"Amount": r.Amount()}
	l := letter{
		Lang:       t.Lang.Code,
		Subject:    t.T(prefix+".subject", data),
		Greeting:   greeting(t, r.DonorName),
		Paragraphs: []string{t.T(prefix+".body", data)},
		Footer:     []string{t.T(prefix+".footer", data)},
	}
	if link != "" {
		l.Action, l.Link = t.T(prefix+".action", data), link
	}
	m, err := l.email(r.DonorEmail, purpose)
	if err != nil {
		return err
	}
	if _, err := s.mail.Email(ctx, tx, m); err != nil {
		return fmt.Errorf("giving: queue %s: %w", purpose, err)
	}
	return nil
}
