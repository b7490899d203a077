package web

import (
	"net/http"
	"strings"

	"solidarity/internal/people"
)

// memberSignInSubmit e-mails a self-service sign-in link when the address belongs to
// someone. The answer is the same either way; only a malformed address, or a client or
// address over its budget, hears otherwise. Every answer past the rate limits is held to
// the same floor (public_timing.go), so that its time does not tell either.
func (s *Server) memberSignInSubmit(w http.ResponseWriter, r *http.Request) {
	clock := evenTiming.start(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	email := field(r, "email")
	f := newForm("member-signin", memberSignInInputs)
	f.Values["email"] = email
	subject, ok := people.NormalizeEmail(email)
	if !ok {
		subject = strings.ToLower(email)
	}
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"member.signin.client", clientKey(r), people.SignInLinkClientLimit, people.SignInLinkClientWindow},
		publicLimit{"member.signin.email", subject, people.SignInLinkEmailLimit, people.SignInLinkEmailWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.renderMemberSignIn(w, r, http.StatusTooManyRequests, f)
		return
	}
	err = s.People.RequestSignInLink(r.Context(), email)
	clock.hold()
	if err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f.add(err)
		s.renderMemberSignIn(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.redirect(w, r, people.MemberPath, "public.signin.sent")
}
