package web

import (
	"context"
	"net/http"
	"strconv"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// adminAccountPage is the data of one account's page: who it is, and the forms that
// change its role, disable or enable it, reset its second factor and end its sessions.
type adminAccountPage struct {
	Account     auth.Account
	Sessions    []auth.SessionInfo
	CanSessions bool // the actor may see and end this account's sessions
	Self        bool // the actor's own account: role and disabling are not offered
	Locked      bool // sign-in is paused after failed attempts
	Roles       []auth.Role
	Role        string // the role chosen in the form
	Errors      adminErrors
}

// adminAccountShow shows one account.
func (s *Server) adminAccountShow(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, "", adminErrors{})
}

// renderAccount renders the account of the path's {id}; role is the role chosen in a
// form that had errors ("" for the account's own).
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, role string, fe adminErrors) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.accountPage(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if role != "" {
		p.Role = role
	}
	p.Errors = fe
	s.render(w, r, status, "admin_account", "admin.account.title", p)
}

func (s *Server) accountPage(ctx context.Context, a auth.Actor, id int64) (adminAccountPage, error) {
	acc, err := s.Auth.Account(ctx, a, id)
	if err != nil {
		return adminAccountPage{}, err
	}
	p := adminAccountPage{Account: acc, Self: a.IsAccount(id), Roles: auth.Roles(), Role: string(acc.Role),
		Locked: acc.LockedUntil != nil && s.DB.Now().Before(*acc.LockedUntil)}
	if a.Can(auth.PermSessionsManage) {
		p.CanSessions = true
		if p.Sessions, err = s.Auth.ListSessions(ctx, a, id); err != nil {
			return adminAccountPage{}, err
		}
	}
	return p, nil
}

// adminAccountURL is the address of an account's page.
func adminAccountURL(id int64) string { return "/admin/accounts/" + strconv.FormatInt(id, 10) }

// adminConfirmAccount asks before an action on the path's account: it shows the account's
// name, what will happen, and a form that posts back to action with confirm=yes.
func (s *Server) adminConfirmAccount(w http.ResponseWriter, r *http.Request, id int64, action, heading, message, button string) {
	acc, err := s.Auth.Account(r.Context(), actor(r), id)
	if err != nil && errs.CodeOf(err) != errs.CodeForbidden { // sessions.manage alone may not read accounts
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_confirm", heading, adminConfirm{
		Heading: heading, Message: message, Name: acc.Name, Action: action, Button: button, Cancel: adminAccountURL(id),
	})
}
