package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/giving"
)

// givsFundForm is the fund form as sent, or as stored.
type givsFundForm struct {
	Code, NameEn, NameEs string
	Active               bool
}

// givsFundsPage is the data of the funds list and of one fund's page.
type givsFundsPage struct {
	Funds  []giving.Fund
	ID     int64 // the fund being changed, or 0 on the list
	Form   givsFundForm
	Errors crmErrors
}

// givsReadFund reads the fund form of a POST.
func givsReadFund(r *http.Request) givsFundForm {
	return givsFundForm{Code: field(r, "code"), NameEn: field(r, "name_en"), NameEs: field(r, "name_es"), Active: r.PostFormValue("active") == "yes"}
}

// givsFundsList lists the funds gifts can carry, with the form that adds one
// (giving.write).
func (s *Server) givsFundsList(w http.ResponseWriter, r *http.Request) {
	s.renderFunds(w, r, http.StatusOK, givsFundsPage{Form: givsFundForm{Active: true}})
}

// givsFundCreate adds a fund.
func (s *Server) givsFundCreate(w http.ResponseWriter, r *http.Request) { s.saveFund(w, r, 0) }

// givsFundEdit shows one fund's form.
func (s *Server) givsFundEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.Giving.Fund(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFunds(w, r, http.StatusOK, givsFundsPage{ID: id, Form: givsFundForm{Code: f.Code, NameEn: f.NameEn, NameEs: f.NameEs, Active: f.Active}})
}

// givsFundUpdate changes a fund.
func (s *Server) givsFundUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveFund(w, r, id)
}

// saveFund saves the fund form as fund id (0: a new one) and goes back to the list, or
// shows the form again with its errors.
func (s *Server) saveFund(w http.ResponseWriter, r *http.Request, id int64) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := givsReadFund(r)
	_, err := s.Giving.SaveFund(r.Context(), actor(r), id, giving.Fund{Code: form.Code, NameEn: form.NameEn, NameEs: form.NameEs, Active: form.Active})
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderFunds(w, r, status, givsFundsPage{ID: id, Form: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/giving/funds", "givs.funds.saved")
}

// givsFundDelete deletes a fund no gift carries, after a confirmation step; a fund in use
// comes back on its page with the reason.
func (s *Server) givsFundDelete(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	f, err := s.Giving.Fund(ctx, a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !adminConfirmed(r) {
		s.render(w, r, http.StatusOK, "giving_staff_confirm", "givs.funds.delete_title", givsConfirm{
			Heading: "givs.funds.delete_title", Message: s.Catalog.Localizer(stateOf(r).lang).T("givs.funds.delete_confirm", map[string]any{"Name": f.Name(stateOf(r).lang)}),
			Action: r.URL.Path, Button: "givs.funds.delete", Cancel: "/giving/funds/" + strconv.FormatInt(id, 10)})
		return
	}
	if err := s.Giving.DeleteFund(ctx, a, id); err != nil {
		if errKey(err) == "giving.fund.in_use" {
			s.renderFunds(w, r, http.StatusConflict, givsFundsPage{ID: id, Form: givsFundForm{Code: f.Code, NameEn: f.NameEn, NameEs: f.NameEs, Active: f.Active},
				Errors: crmFieldError("code", "giving.fund.in_use")})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/giving/funds", "givs.funds.deleted")
}

// renderFunds renders the fund list with the new-fund form, or (id set) a fund's page.
func (s *Server) renderFunds(w http.ResponseWriter, r *http.Request, status int, p givsFundsPage) {
	if p.ID != 0 {
		s.render(w, r, status, "giving_staff_fund", "givs.funds.edit_title", p)
		return
	}
	funds, err := s.Giving.Funds(r.Context(), actor(r), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Funds = funds
	s.render(w, r, status, "giving_staff_funds", "givs.funds.title", p)
}
