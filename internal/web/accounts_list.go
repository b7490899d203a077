package web

import (
	"context"
	"net/http"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/i18n"
)

// adminInviteForm is what the invitation form sent, shown again when it has errors.
type adminInviteForm struct {
	Email  string
	Role   string
	Locale string
}

// adminAccountsPage is the data of the accounts page: every account, the invitations not
// yet accepted, and the invitation form.
type adminAccountsPage struct {
	Accounts    []auth.Account
	Invitations []auth.Invitation
	Invite      adminInviteForm
	Errors      adminErrors
	Roles       []auth.Role
	Langs       []i18n.Lang
	Outbox      bool // no mail server: invitations wait in the outbox
	Now         time.Time
}

// adminAccountsList lists the accounts and pending invitations, with the form to invite
// someone.
func (s *Server) adminAccountsList(w http.ResponseWriter, r *http.Request) {
	s.renderAccounts(w, r, http.StatusOK, adminInviteForm{Role: string(auth.RoleMember), Locale: stateOf(r).lang}, adminErrors{})
}

// renderAccounts renders the accounts page with the invitation form as given.
func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, status int, form adminInviteForm, fe adminErrors) {
	p, err := s.accountsPage(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Invite, p.Errors = form, fe
	s.render(w, r, status, "admin_accounts", "admin.accounts.title", p)
}

func (s *Server) accountsPage(ctx context.Context, a auth.Actor) (adminAccountsPage, error) {
	accounts, err := s.Auth.ListAccounts(ctx, a)
	if err != nil {
		return adminAccountsPage{}, err
	}
	invitations, err := s.Auth.ListInvitations(ctx, a)
	if err != nil {
		return adminAccountsPage{}, err
	}
	return adminAccountsPage{
		Accounts: accounts, Invitations: invitations, Roles: auth.Roles(), Langs: i18n.Langs,
		Outbox: !s.Notify.EmailConfigured(), Now: s.DB.Now(),
	}, nil
}
