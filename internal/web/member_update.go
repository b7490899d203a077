package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberUpdate saves a member's own details, language and consent, then shows the page in
// the language chosen. Bad input comes back with 422 next to each field; a dead session
// goes back to the sign-in form.
func (s *Server) memberUpdate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	token := memberToken(r)
	if token == "" {
		s.redirect(w, r, people.MemberPath, "public.member.session_ended")
		return
	}
	f := newForm("member", memberInputs)
	for _, name := range []string{"given_name", "family_name", "phone", "street", "street2", "city", "state", "zip", "county", "country", "language"} {
		f.Values[name] = field(r, name)
	}
	for _, name := range []string{"email_opt_in", "sms_opt_in"} {
		if r.PostFormValue(name) != "" {
			f.Values[name] = "yes"
		}
	}
	me, err := s.People.UpdateOwnDetails(r.Context(), token, people.OwnDetails{
		GivenName: f.Values["given_name"], FamilyName: f.Values["family_name"], Phone: f.Values["phone"],
		Address: people.Address{Street: f.Values["street"], Street2: f.Values["street2"], City: f.Values["city"],
			State: f.Values["state"], County: f.Values["county"], ZIP: f.Values["zip"], Country: f.Values["country"]},
		Language: f.Values["language"], EmailOptIn: f.Values["email_opt_in"] != "", SMSOptIn: f.Values["sms_opt_in"] != "",
	})
	switch {
	case memberGone(err):
		s.clearMemberSession(w)
		s.redirect(w, r, people.MemberPath, "public.member.session_ended")
	case invalid(err):
		// The rest of the page (e-mail, membership) comes from the record as it stands.
		cur, err2 := s.People.Me(r.Context(), token)
		if err2 != nil {
			s.fail(w, r, err2)
			return
		}
		f.add(err)
		s.renderMember(w, r, http.StatusUnprocessableEntity, f, cur)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.redirect(w, r, people.MemberPath+"?lang="+me.Language, "public.member.saved")
	}
}
