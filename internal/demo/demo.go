// Package demo loads the invented demo network that `solidarity serve --demo` shows a
// newcomer: accounts for the main roles now, and each module's sample records as the
// modules land. It runs only on the throwaway demo database; nothing here is ever loaded
// otherwise, and every record it makes is invented.
package demo

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/response"
)

// Password is the password of every demo account, shown on the demo's sign-in page.
const Password = "solidarity demo network"

// Account is one demo sign-in.
type Account struct {
	Email string
	Name  string
	Role  auth.Role
}

// Accounts are the demo's sign-ins, one per role a newcomer is likely to try.
var Accounts = []Account{
	{Email: "admin@demo.solidarity.invalid", Name: "Alma Ortega", Role: auth.RoleAdministrator},
	{Email: "organizer@demo.solidarity.invalid", Name: "Tomás Reyes", Role: auth.RoleOrganizer},
	{Email: "dispatcher@demo.solidarity.invalid", Name: "Lucía Herrera", Role: auth.RoleDispatcher},
	{Email: "responder@demo.solidarity.invalid", Name: "Daniel Kim", Role: auth.RoleResponder},
	{Email: "caseworker@demo.solidarity.invalid", Name: "Rosa Delgado", Role: auth.RoleCaseworker},
	{Email: "researcher@demo.solidarity.invalid", Name: "Marcus Webb", Role: auth.RoleResearcher},
	{Email: "member@demo.solidarity.invalid", Name: "Ana Flores", Role: auth.RoleMember},
}

// Deps are the services the demo loader fills. Giving and Response are optional (their
// sample records are left out without them); Notify, when given, lets the demo confirm its
// invented e-mail alert subscriptions from the built-in outbox, as a subscriber would by
// following the link in the confirmation mail.
type Deps struct {
	Auth     *auth.Service
	People   *people.Service
	Giving   *giving.Service
	Response *response.Service
	Notify   *notify.Service
}

// Load fills an empty demo database. The vault must be unsealed: rapid response keeps
// reports' addresses and subscribers' contacts encrypted.
func Load(ctx context.Context, d Deps) error {
	accounts := map[auth.Role]int64{}
	for _, a := range Accounts {
		acc, err := d.Auth.AdminCreateUser(ctx, a.Email, a.Name, a.Role, Password)
		if err != nil {
			return fmt.Errorf("demo: account %s: %w", a.Role, err)
		}
		accounts[a.Role] = acc.ID
	}
	donors, err := loadPeople(ctx, d.People)
	if err != nil {
		return err
	}
	if d.Giving != nil {
		if err := loadGiving(ctx, d.Giving, donors); err != nil {
			return err
		}
	}
	if d.Response != nil {
		if err := loadResponse(ctx, d, accounts); err != nil {
			return err
		}
	}
	return nil
}

// accountEmail is the sign-in of the demo account of role.
func accountEmail(role auth.Role) string {
	for _, a := range Accounts {
		if a.Role == role {
			return a.Email
		}
	}
	return ""
}
