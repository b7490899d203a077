package app

import (
	"time"

	"solidarity/internal/people"
)

// openModules wires the domain modules on top of the platform and identity services.
func (a *App) openModules() error {
	var err error
	a.People, err = people.New(people.Config{BaseURL: a.Config.BaseURL, SweepEvery: 6 * time.Hour}, people.Deps{
		DB: a.DB, Jobs: a.Jobs, Mail: a.Notify, Catalog: a.Catalog, Log: a.Log,
	})
	return err
}
