package web

import (
	"net/http"

	"solidarity/internal/errs"
	"solidarity/internal/giving"
)

// givingManagePage is the data of a donor's page for a recurring gift.
type givingManagePage struct {
	Gift   giving.ManageView
	Token  string // the link's own token: the page's forms post back to it
	Form   *form
	Amount string // the amount box, "25.00"
}

// givingManageInputs maps the service's field to the amount form's input.
var givingManageInputs = map[string]string{"amount": "amount"}

// givingRenderManage renders the manage page of the path's token with f (a fresh form when
// nil). A dead link is a 404 that says so.
func (s *Server) givingRenderManage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	token := r.PathValue("token")
	v, err := s.Giving.ManageGift(r.Context(), token, stateOf(r).lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm("amount", givingManageInputs)
		f.Values["amount"] = crmMoney(v.AmountCents)
	}
	allowFormTargets(w, givingPortalOrigin)
	s.render(w, r, status, "giving_public_manage", "give.manage.title", givingManagePage{Gift: v, Token: token, Form: f})
}

// givingPublicManageShow shows a donor their recurring gift (amount, how often, status)
// with what they can do: change the amount, update their card, cancel. The link in their
// receipt is the key; no account is needed.
func (s *Server) givingPublicManageShow(w http.ResponseWriter, r *http.Request) {
	s.givingRenderManage(w, r, http.StatusOK, nil)
}

// givingManageLimited counts one manage action of the client and, when it is over the
// limit, answers 429 with the page and reports true.
func (s *Server) givingManageLimited(w http.ResponseWriter, r *http.Request, f *form) bool {
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"give.manage", clientKey(r), giving.ManageClientLimit, giving.ManageClientWindow})
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.givingRenderManage(w, r, http.StatusTooManyRequests, f)
		return true
	}
	return false
}

// givingManageFailed shows the manage page again with err at the top (or next to the
// amount) when err is something the donor can act on, and reports whether it did.
func (s *Server) givingManageFailed(w http.ResponseWriter, r *http.Request, f *form, err error) bool {
	status := 0
	switch {
	case invalid(err):
		status = http.StatusUnprocessableEntity
	case errs.CodeOf(err) == errs.CodeConflict:
		status = http.StatusConflict
	case errKey(err) == "giving.manage.stripe_failed":
		status = http.StatusServiceUnavailable
	default:
		return false
	}
	f.add(err)
	s.givingRenderManage(w, r, status, f)
	return true
}

// givingPublicManageAmount changes the amount of a monthly gift from the next charge on.
func (s *Server) givingPublicManageAmount(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("amount", givingManageInputs)
	f.Values["amount"] = field(r, "amount")
	if s.givingManageLimited(w, r, f) {
		return
	}
	token := r.PathValue("token")
	if _, err := s.Giving.ChangeAmount(r.Context(), token, f.Values["amount"]); err != nil {
		if !s.givingManageFailed(w, r, f, err) {
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, giving.ManagePath+token, "give.manage.flash.amount")
}

// givingPublicManageCancelShow asks the donor to confirm that their recurring gift should
// stop.
func (s *Server) givingPublicManageCancelShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	v, err := s.Giving.ManageGift(r.Context(), token, stateOf(r).lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_public_manage_cancel", "give.manage.cancel_title", givingManagePage{Gift: v, Token: token})
}

// givingPublicManageCancel stops the recurring gift for good.
func (s *Server) givingPublicManageCancel(w http.ResponseWriter, r *http.Request) {
	f := newForm("cancel", nil)
	if s.givingManageLimited(w, r, f) {
		return
	}
	token := r.PathValue("token")
	if err := s.Giving.CancelRecurring(r.Context(), token); err != nil {
		if !s.givingManageFailed(w, r, f, err) {
			s.fail(w, r, err)
		}
		return
	}
	s.redirect(w, r, giving.ManagePath+token, "give.manage.flash.cancelled")
}

// givingPublicManageCard sends the donor to Stripe's billing portal to replace their card
// (card data goes to Stripe only); the portal returns them to this page.
func (s *Server) givingPublicManageCard(w http.ResponseWriter, r *http.Request) {
	f := newForm("card", nil)
	if s.givingManageLimited(w, r, f) {
		return
	}
	url, err := s.Giving.UpdateCardURL(r.Context(), r.PathValue("token"), stateOf(r).lang)
	if err != nil {
		if !s.givingManageFailed(w, r, f, err) {
			s.fail(w, r, err)
		}
		return
	}
	allowFormTargets(w, givingPortalOrigin)
	http.Redirect(w, r, url, http.StatusSeeOther)
}
