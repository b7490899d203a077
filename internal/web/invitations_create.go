package web

import (
	"net/http"
	"strings"

	"solidarity/internal/auth"
)

// adminInvitationsCreate invites someone by e-mail: the service stores the invitation and
// queues the mail (to the outbox when no mail server is set up) in one transaction, and
// audits it.
func (s *Server) adminInvitationsCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := adminInviteForm{
		Email:  strings.TrimSpace(r.PostFormValue("email")),
		Role:   r.PostFormValue("role"),
		Locale: r.PostFormValue("locale"),
	}
	_, err := s.Auth.Invite(r.Context(), actor(r), auth.NewInvitation{Email: form.Email, Role: auth.Role(form.Role), Locale: form.Locale})
	if fe, ok := adminInvalid(err, nil); ok {
		s.renderAccounts(w, r, http.StatusUnprocessableEntity, form, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "admin.invite.sent"
	if !s.Notify.EmailConfigured() {
		flash = "admin.invite.sent_outbox"
	}
	s.redirect(w, r, "/admin/accounts", flash)
}
