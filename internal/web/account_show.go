package web

import (
	"net/http"

	"solidarity/internal/auth"
	"solidarity/internal/i18n"
)

// accountPage is the data of one's own account page.
type accountPage struct {
	Account      auth.Account
	Passkeys     []auth.Passkey
	RecoveryLeft int
	Sessions     []auth.SessionInfo
	Langs        []i18n.Lang
	Form         *form // the form that failed, if any
}

// FormFor returns the form of the page named name: the failed one with its problems, or
// an empty one.
func (p accountPage) FormFor(name string) *form {
	if p.Form != nil && p.Form.Name == name {
		return p.Form
	}
	return newForm(name, nil)
}

// CanRemoveTOTP and CanRemovePasskey say whether to offer removing a factor: a role that
// needs two-step sign-in keeps its last one. The service enforces it; the page only
// avoids offering a button that would be refused.
func (p accountPage) CanRemoveTOTP() bool {
	return !p.Account.Role.Sensitive() || p.Account.Passkeys > 0
}

// CanRemovePasskey: see CanRemoveTOTP.
func (p accountPage) CanRemovePasskey() bool {
	return !p.Account.Role.Sensitive() || p.Account.TOTP || p.Account.Passkeys > 1
}

// OtherSessions reports whether the account is signed in anywhere else.
func (p accountPage) OtherSessions() bool {
	for _, si := range p.Sessions {
		if !si.Current {
			return true
		}
	}
	return false
}

// The inputs of the account page's forms, by the fields the services name.
var (
	accountPasswordInputs = map[string]string{"current": "current-password", "password": "new-password"}
	accountLanguageInputs = map[string]string{"locale": "locale"}
)

// accountShow shows one's own account: profile, language, password, two-step sign-in and
// where one is signed in.
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, http.StatusOK, nil)
}

// showAccount renders the account page with status; failed is the form that failed, shown
// with its problems, or nil. The page gathers several reads of one's own account.
func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, failed *form) {
	ctx, me := r.Context(), actor(r)
	page := accountPage{Langs: i18n.Langs, Form: failed}
	var err error
	if page.Account, err = s.Auth.Account(ctx, me, me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Passkeys, err = s.Auth.ListPasskeys(ctx, me); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.RecoveryLeft, err = s.Auth.RecoveryCodesLeft(ctx, me); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Sessions, err = s.Auth.ListSessions(ctx, me, me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "account", "signin.account.title", page)
}
