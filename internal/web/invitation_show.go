package web

import (
	"net/http"

	"solidarity/internal/auth"
)

// invitationPage is the data of the page behind an invitation link: who is invited as
// what, and the form to choose a name and password; or, when the link no longer works,
// why (Problem, a message key).
type invitationPage struct {
	Action     string
	Invitation auth.Invitation
	Problem    string
	Form       *form
}

// invitationInputs maps the account service's fields to the form's inputs.
var invitationInputs = map[string]string{"name": "name", "password": "password", "confirm": "confirm"}

// invitationShow shows an invitation that still works, and a clear message when it does
// not.
func (s *Server) invitationShow(w http.ResponseWriter, r *http.Request) {
	page := invitationPage{Action: r.URL.Path, Form: newForm("invitation", invitationInputs)}
	inv, err := s.Auth.Invitation(r.Context(), r.PathValue("token"))
	switch {
	case err == nil:
		page.Invitation = inv
	case gone(err):
		page.Problem = errKey(err)
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, statusOfErr(err), "invitation", "signin.invitation.title", page)
}

// Intro is the data of the invitation's opening sentence: the role, in the page's language.
func (p invitationPage) Intro(v *View) map[string]string {
	return map[string]string{"Role": v.T("auth.role." + string(p.Invitation.Role))}
}
