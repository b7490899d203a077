package app

import (
	"time"

	"solidarity/internal/giving"
	"solidarity/internal/people"
	"solidarity/internal/response"
)

// openModules wires the domain modules on top of the platform and identity services.
func (a *App) openModules() error {
	var err error
	a.People, err = people.New(people.Config{BaseURL: a.Config.BaseURL, SweepEvery: 6 * time.Hour}, people.Deps{
		DB: a.DB, Jobs: a.Jobs, Mail: a.Notify, Catalog: a.Catalog, Log: a.Log,
	})
	if err != nil {
		return err
	}
	a.Giving, err = giving.New(giving.Config{
		BaseURL:             a.Config.BaseURL,
		StripeSecretKey:     a.Config.StripeSecretKey,
		StripeWebhookSecret: a.Config.StripeWebhookSecret,
		StripeAPIBase:       a.Config.StripeAPIBase,
	}, giving.Deps{DB: a.DB, Jobs: a.Jobs, Mail: a.Notify, Catalog: a.Catalog, People: a.People, Log: a.Log})
	if err != nil {
		return err
	}
	a.Response, err = response.New(response.Config{BaseURL: a.Config.BaseURL, SMSRate: a.Config.SMSRate, SMSToken: a.Config.SMSToken}, response.Deps{
		DB: a.DB, Jobs: a.Jobs, Notify: a.Notify, Vault: a.Vault, Retention: a.Retention,
		Catalog: a.Catalog, People: a.People, Log: a.Log,
	})
	return err
}
