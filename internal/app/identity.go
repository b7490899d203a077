package app

import (
	"context"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/retention"
)

// openIdentity wires outgoing messages and accounts: notify (SMTP and SMS, or the outbox)
// and auth, which audits through the hash-chained log and mails through notify.
func (a *App) openIdentity() error {
	var err error
	a.Notify, err = notify.New(a.DB, a.Jobs, notify.Config{
		SMTP: a.Config.SMTP, From: a.Config.From,
		SMSURL: a.Config.SMSURL, SMSAccount: a.Config.SMSAccount, SMSToken: a.Config.SMSToken, SMSFrom: a.Config.SMSFrom,
		SMSRate: a.Config.SMSRate,
	}, a.Log)
	if err != nil {
		return err
	}
	a.Notify.SetSealer(a.Vault)
	a.Retention.Register(retention.Policy{
		Name:        "notify.deliveries",
		Description: "retention.policy.notify_deliveries",
		Default:     30 * 24 * time.Hour,
		Min:         24 * time.Hour,
		Max:         365 * 24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			return a.Notify.PurgeTx(ctx, tx, cutoff)
		},
	})
	a.Auth, err = auth.New(auth.Config{BaseURL: a.Config.BaseURL}, auth.Deps{
		DB: a.DB, Audit: auditor{}, Mail: a.Notify, Limit: a.Limiter, Catalog: a.Catalog, Log: a.Log,
	})
	if err != nil {
		return err
	}
	jobs.Register(a.Jobs, &purgeAuthWorker{auth: a.Auth})
	a.Jobs.Every(10*time.Minute, purgeAuthArgs{})
	return nil
}

// auditor lets auth write to the audit log without depending on it.
type auditor struct{}

func (auditor) Record(ctx context.Context, tx *db.Tx, e auth.AuditEntry) error {
	return audit.Record(ctx, tx, audit.Entry{Actor: e.Actor, ActorName: e.ActorName, Action: e.Action, Object: e.Object, Detail: e.Detail})
}

// purgeAuthArgs asks for ended sessions, stale ceremonies and expired links to be deleted.
type purgeAuthArgs struct{}

func (purgeAuthArgs) Kind() string { return "auth.purge" }

type purgeAuthWorker struct {
	jobs.WorkerDefaults[purgeAuthArgs]
	auth *auth.Service
}

func (w *purgeAuthWorker) Work(ctx context.Context, _ *jobs.Job[purgeAuthArgs]) error {
	_, err := w.auth.PurgeExpired(ctx)
	return err
}
