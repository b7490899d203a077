package web

import (
	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// responseDispatchRoutes are responders and dispatch: the staff pages of the responders
// (response.dispatch), the dispatch form on a report's page, a responder's own on-call
// page (response.respond), the responder's one-tap link page, which works without an
// account (its token is bound to one request), and the SMS provider's inbound webhook,
// which authenticates by the provider's signature instead of a session.
func (s *Server) responseDispatchRoutes() []route {
	dispatch := Access(auth.PermResponseDispatch)
	return []route{
		// Responders, for dispatchers.
		{"GET /response/responders", dispatch, s.responseResponderList},
		{"GET /response/responders/new", dispatch, s.responseResponderNew},
		{"POST /response/responders", dispatch, s.responseResponderCreate},
		{"GET /response/responders/{id}", dispatch, s.responseResponderEdit},
		{"POST /response/responders/{id}", dispatch, s.responseResponderUpdate},
		{"POST /response/responders/{id}/on-call", dispatch, s.responseResponderOnCall},
		{"POST /response/responders/{id}/remove", dispatch, s.responseResponderRemove},

		// Sending responders to a report (the form is on the report's page).
		{"POST /response/reports/{id}/dispatch", dispatch, s.responseDispatchSend},

		// A responder's own on-call toggle, signed in with a responder account.
		{"GET /response/me", Access(auth.PermResponseRespond), s.responseResponderMe},
		{"POST /response/me/on-call", Access(auth.PermResponseRespond), s.responseResponderMeOnCall},

		// The responder's one-tap link: no account, the token is the key.
		{"GET " + response.RespondPath + "{token}", Public, s.responseDispatchRespondShow},
		{"POST " + response.RespondPath + "{token}", Public, s.responseDispatchRespondAnswer},
		{"POST " + response.RespondPath + "{token}/update", Public, s.responseDispatchRespondUpdate},

		// Inbound text messages from the SMS provider (signed; refused with 403 otherwise).
		{"POST " + response.SMSWebhookPath, Public, s.responseSMSWebhook},
	}
}
