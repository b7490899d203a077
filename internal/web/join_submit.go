package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// joinHoneypot is the input people never see and robots fill in.
const joinHoneypot = "website"

// joinSubmit signs someone up. Over a rate limit (per client, or for everyone) the form
// comes back with 429 and the wait. A filled-in honeypot gets exactly the answer of a
// success and stores nothing. Success sends everyone to the same thank-you page, whether
// the address was known or not: only the tier chosen shapes it, and every answer past the
// rate limits (success, bad input, honeypot) is held to the same floor (public_timing.go),
// so that its time does not tell either.
func (s *Server) joinSubmit(w http.ResponseWriter, r *http.Request) {
	clock := evenTiming.start(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("join", joinInputs)
	for _, name := range []string{"given_name", "family_name", "email", "phone", "zip", "language", "tier"} {
		f.Values[name] = field(r, name)
	}
	for _, name := range []string{"email_opt_in", "sms_opt_in"} {
		if r.PostFormValue(name) != "" {
			f.Values[name] = "yes"
		}
	}
	if f.Values["tier"] == "" {
		f.Values["tier"] = "0"
	}
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"join.client", clientKey(r), people.JoinClientLimit, people.JoinClientWindow},
		publicLimit{"join.global", "everyone", people.JoinGlobalLimit, people.JoinGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.renderJoin(w, r, http.StatusTooManyRequests, f)
		return
	}
	tier, err := strconv.ParseInt(f.Values["tier"], 10, 64)
	if err != nil || tier < 0 {
		tier = -1 // no such tier: the service says so
	}
	if r.PostFormValue(joinHoneypot) != "" {
		clock.hold()
		http.Redirect(w, r, joinThanksPath(tier), http.StatusSeeOther)
		return
	}
	res, err := s.People.Join(r.Context(), people.JoinRequest{
		GivenName: f.Values["given_name"], FamilyName: f.Values["family_name"], Email: f.Values["email"],
		Phone: f.Values["phone"], ZIP: f.Values["zip"], Language: f.Values["language"], TierID: tier,
		EmailOptIn: f.Values["email_opt_in"] != "", SMSOptIn: f.Values["sms_opt_in"] != "",
	})
	clock.hold()
	if err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f.add(err)
		s.renderJoin(w, r, statusOf(errs.CodeOf(err)), f)
		return
	}
	http.Redirect(w, r, joinThanksPath(res.TierID), http.StatusSeeOther)
}

// joinThanksPath is where a Join ends: the thank-you page, told the tier chosen (if any).
func joinThanksPath(tier int64) string {
	if tier <= 0 {
		return "/join/thanks"
	}
	return "/join/thanks?tier=" + strconv.FormatInt(tier, 10)
}
