package web

import "net/http"

// invitationAccept creates the invitee's account with the name and password they chose,
// then sends them to sign in (a role that needs two-step sign-in sets it up there).
func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	page := invitationPage{Action: r.URL.Path, Form: newForm("invitation", invitationInputs)}
	name, password := field(r, "name"), r.PostFormValue("password")
	page.Form.Values["name"] = name
	err := confirmMatches(password, r.PostFormValue("confirm"))
	if err == nil {
		_, err = s.Auth.AcceptInvitation(r.Context(), r.PathValue("token"), name, password)
	}
	switch {
	case err == nil:
		s.redirect(w, r, "/login", "signin.invitation.done")
		return
	case gone(err):
		page.Problem = errKey(err)
	case invalid(err):
		page.Form.add(err)
		// Show the invitation again above the form.
		if inv, ierr := s.Auth.Invitation(r.Context(), r.PathValue("token")); ierr == nil {
			page.Invitation = inv
		}
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, statusOfErr(err), "invitation", "signin.invitation.title", page)
}
