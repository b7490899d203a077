package response

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/retention"
)

// The retention policies of intake.
const (
	// RetentionReporterPhone deletes the reporter's phone (and its blind index) and the
	// SMS thread of a report some time after it closes.
	RetentionReporterPhone = "response.reporter_phone"
	// RetentionFalseAlarm deletes the address, description and attire of a report closed
	// as a false alarm some time after it closes.
	RetentionFalseAlarm = "response.false_alarm_location"
)

// registerRetention registers the retention policies of reports.
func (s *Service) registerRetention() {
	s.retention.Register(retention.Policy{
		Name:        RetentionReporterPhone,
		Description: "response.retention.reporter_phone",
		Default:     30 * 24 * time.Hour,
		Min:         24 * time.Hour,
		Max:         365 * 24 * time.Hour,
		Purge:       purgeReporterPhones,
	})
	s.retention.Register(retention.Policy{
		Name:        RetentionFalseAlarm,
		Description: "response.retention.false_alarm_location",
		Default:     7 * 24 * time.Hour,
		Min:         24 * time.Hour,
		Max:         365 * 24 * time.Hour,
		Purge:       purgeFalseAlarms,
	})
}

// purgeReporterPhones clears the phone, its blind index and the thread bodies of every
// report closed before cutoff.
func purgeReporterPhones(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE response_reports SET reporter_phone = NULL, phone_index = NULL
		WHERE state = 'closed' AND closed_at < ? AND (reporter_phone IS NOT NULL OR phone_index IS NOT NULL)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("response: purge reporter phones: %w", err)
	}
	phones, _ := res.RowsAffected()
	res, err = tx.ExecContext(ctx, `UPDATE response_messages SET body = NULL WHERE body IS NOT NULL AND report_id IN
		(SELECT id FROM response_reports WHERE state = 'closed' AND closed_at < ?)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("response: purge threads: %w", err)
	}
	bodies, _ := res.RowsAffected()
	return int(phones + bodies), nil
}

// purgeFalseAlarms clears the location and free text of every false alarm closed before
// cutoff.
func purgeFalseAlarms(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE response_reports SET address = NULL, description = NULL, attire = NULL
		WHERE state = 'closed' AND verdict = 'false_alarm' AND closed_at < ?
		AND (address IS NOT NULL OR description IS NOT NULL OR attire IS NOT NULL)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("response: purge false alarm locations: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// RetentionDays says, in whole days, how long a closed report keeps its reporter's phone
// and a false alarm its location, as the policies are set now, so that the public page
// tells the truth after an administrator changes them.
func (s *Service) RetentionDays(ctx context.Context) (phone, falseAlarm int, err error) {
	phone, falseAlarm = 30, 7
	policies, err := s.retention.Policies(ctx)
	if err != nil {
		return phone, falseAlarm, err
	}
	days := func(d time.Duration) int { return max(1, int((d+12*time.Hour)/(24*time.Hour))) }
	for _, p := range policies {
		switch p.Name {
		case RetentionReporterPhone:
			phone = days(p.After)
		case RetentionFalseAlarm:
			falseAlarm = days(p.After)
		}
	}
	return phone, falseAlarm, nil
}
