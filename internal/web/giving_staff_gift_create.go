package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givsGiftCreate records an offline gift and opens its page; the donor's receipt is mailed
// when they have an e-mail address. Bad input comes back on the form, field by field.
func (s *Server) givsGiftCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := givsGiftForm{Date: field(r, "date"), Amount: field(r, "amount"), Currency: field(r, "currency"), Method: field(r, "method"),
		Fund: field(r, "fund"), Page: field(r, "page"), Reference: field(r, "reference"), Person: field(r, "person"), Email: field(r, "email"),
		GivenName: field(r, "given_name"), FamilyName: field(r, "family_name"), Language: field(r, "language")}
	in, fe := f.gift()
	if fe.Any() {
		s.renderGiftForm(w, r, http.StatusUnprocessableEntity, givsGiftFormPage{Form: f, Errors: fe})
		return
	}
	id, err := s.Giving.RecordOfflineGift(r.Context(), actor(r), in)
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderGiftForm(w, r, status, givsGiftFormPage{Form: f, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, givsGiftURL(id), "givs.record.flash")
}

// gift is the form as the service takes it, or the field errors of what cannot be read
// (the service checks the rest).
func (f givsGiftForm) gift() (giving.OfflineGift, crmErrors) {
	in := giving.OfflineGift{Currency: f.Currency, Method: giving.Method(f.Method), Reference: f.Reference, Email: f.Email,
		GivenName: f.GivenName, FamilyName: f.FamilyName, Language: f.Language}
	var l []crmErrors
	var ok bool
	if f.Date == "" {
		l = append(l, crmFieldError("date", "giving.offline.date_required"))
	} else if in.ReceivedOn, ok = adminParseDate(f.Date); !ok {
		l = append(l, crmFieldError("date", "giving.offline.date_format"))
	}
	if cents, ok := crmParseMoney(f.Amount); !ok {
		l = append(l, crmFieldError("amount", "giving.offline.amount_format"))
	} else {
		in.AmountCents = cents
	}
	if in.FundID, ok = givsOptionalID(f.Fund); !ok {
		l = append(l, crmFieldError("fund", "giving.offline.fund_invalid"))
	}
	if in.PageID, ok = givsOptionalID(f.Page); !ok {
		l = append(l, crmFieldError("page", "giving.offline.page_invalid"))
	}
	if in.PersonID, ok = givsOptionalID(f.Person); !ok {
		l = append(l, crmFieldError("person", "giving.offline.person_not_found"))
	}
	var out crmErrors
	for _, e := range l {
		out.list = append(out.list, e.list...)
	}
	return in, out
}
