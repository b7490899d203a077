package web

import (
	"net/http"

	"solidarity/internal/i18n"
	"solidarity/internal/people"
)

// memberPage is the data of a member's own page.
type memberPage struct {
	Form  *form
	Me    people.MemberView
	Tier  *publicTier // the membership's tier, nil without one
	Langs []i18n.Lang
	// EmailConsent and SMSConsent are the message keys of where the member stands.
	EmailConsent, SMSConsent string
	// DuesWaiting is true when a paid tier's membership waits for its dues.
	DuesWaiting bool
}

// memberSignInPage is the data of the form that asks for a sign-in link.
type memberSignInPage struct {
	Form *form
}

// memberInputs maps the self-service fields to the form's inputs.
var memberInputs = map[string]string{
	"given_name": "given_name", "family_name": "family_name", "phone": "phone", "phones": "phone",
	"street": "street", "street2": "street2", "city": "city", "state": "state", "zip": "zip", "language": "language",
}

// memberSignInInputs maps the sign-in link request's fields to the form's inputs.
var memberSignInInputs = map[string]string{"email": "email"}

// memberShow shows a member their details, membership and consent, or, without a live
// self-service session, the form that e-mails a sign-in link.
func (s *Server) memberShow(w http.ResponseWriter, r *http.Request) {
	token := memberToken(r)
	if token == "" {
		s.renderMemberSignIn(w, r, http.StatusOK, newForm("member-signin", memberSignInInputs))
		return
	}
	me, err := s.People.Me(r.Context(), token)
	if memberGone(err) {
		s.clearMemberSession(w)
		f := newForm("member-signin", memberSignInInputs)
		f.problem("", "public.member.session_ended", 0)
		s.renderMemberSignIn(w, r, http.StatusOK, f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMember(w, r, http.StatusOK, memberForm(me), me)
}

// memberForm fills the self-service form with the member's details.
func memberForm(me people.MemberView) *form {
	f := newForm("member", memberInputs)
	for name, v := range map[string]string{
		"given_name": me.GivenName, "family_name": me.FamilyName, "phone": me.Phone, "street": me.Address.Street,
		"street2": me.Address.Street2, "city": me.Address.City, "state": me.Address.State, "zip": me.Address.ZIP,
		"county": me.Address.County, "country": me.Address.Country, "language": me.Language,
	} {
		f.Values[name] = v
	}
	if me.EmailConsent == people.ConsentGranted || me.EmailConsent == people.ConsentPending {
		f.Values["email_opt_in"] = "yes"
	}
	if me.SMSConsent == people.ConsentGranted || me.SMSConsent == people.ConsentPending {
		f.Values["sms_opt_in"] = "yes"
	}
	return f
}

// renderMember renders a member's own page with the form f.
func (s *Server) renderMember(w http.ResponseWriter, r *http.Request, status int, f *form, me people.MemberView) {
	page := memberPage{Form: f, Me: me, Langs: i18n.Langs,
		EmailConsent: consentKey(me.EmailConsent), SMSConsent: consentKey(me.SMSConsent)}
	if me.Tier != nil {
		t := publicTiers([]people.Tier{*me.Tier}, stateOf(r).lang)[0]
		page.Tier = &t
		page.DuesWaiting = t.Paid && me.Membership != nil && me.Membership.Status == people.MemberPending
	}
	s.render(w, r, status, "public_member", "public.member.title", page)
}

// renderMemberSignIn renders the form that asks for a sign-in link.
func (s *Server) renderMemberSignIn(w http.ResponseWriter, r *http.Request, status int, f *form) {
	s.render(w, r, status, "public_member_signin", "public.signin.title", memberSignInPage{Form: f})
}

// consentKey is the message key of a consent status ("" is "not asked").
func consentKey(st people.ConsentStatus) string {
	if st == "" {
		st = people.ConsentNone
	}
	return "people.consent.status." + string(st)
}
