package web

import (
	"solidarity/internal/auth"
	"solidarity/internal/giving"
)

// givingPublicRoutes are the giving module's public pages and the pages organizers make
// them with.
//
// Public: a donation page and its form (which goes on to Stripe Checkout), the thank-you
// page Checkout returns to, the dues page of a paid membership tier, the donor's page for
// a recurring gift (opened by the link in their receipts: the token is the key), and
// Stripe's webhook, which proves itself by its signature rather than by a session.
//
// Staff: the donation pages (listing needs giving.read, making and changing them
// giving.write) and the list of recurring gifts, failing ones first (giving.read). The
// giving home page (/giving) and the books are the staff routes' (routes_giving_staff.go).
func (s *Server) givingPublicRoutes() []route {
	read, write := Access(auth.PermGivingRead), Access(auth.PermGivingWrite)
	return []route{
		// Donation pages.
		{"GET " + giving.GivePath + "{slug}", Public, s.givingPublicShow},
		{"POST " + giving.GivePath + "{slug}", Public, s.givingPublicSubmit},
		{"GET " + giving.ThanksPath + "{slug}", Public, s.givingPublicThanks},

		// Membership dues.
		{"GET " + giving.DuesPath + "{tier}", Public, s.givingPublicDuesShow},
		{"POST " + giving.DuesPath + "{tier}", Public, s.givingPublicDuesSubmit},
		{"GET " + giving.DuesPath + "{tier}/thanks", Public, s.givingPublicDuesThanks},

		// A donor's recurring gift.
		{"GET " + giving.ManagePath + "{token}", Public, s.givingPublicManageShow},
		{"POST " + giving.ManagePath + "{token}/amount", Public, s.givingPublicManageAmount},
		{"GET " + giving.ManagePath + "{token}/cancel", Public, s.givingPublicManageCancelShow},
		{"POST " + giving.ManagePath + "{token}/cancel", Public, s.givingPublicManageCancel},
		{"POST " + giving.ManagePath + "{token}/card", Public, s.givingPublicManageCard},

		// Stripe's events.
		{"POST " + giving.WebhookPath, Public, s.givingPublicWebhook},

		// Staff: donation pages and recurring gifts.
		{"GET /giving/pages", read, s.givingPagesList},
		{"GET /giving/pages/new", write, s.givingPagesNew},
		{"POST /giving/pages", write, s.givingPagesCreate},
		{"GET /giving/pages/{id}", write, s.givingPagesEdit},
		{"POST /giving/pages/{id}", write, s.givingPagesUpdate},
		{"GET /giving/recurring", read, s.givingPagesRecurring},
	}
}
