package web

import "solidarity/internal/auth"

// responseAlertRoutes are the alert subscription pages (public: subscribe, confirm, leave
// by link) and the dispatchers' alert pages (compose, preview, send, follow, templates).
func (s *Server) responseAlertRoutes() []route {
	alert := Access(auth.PermResponseAlert)
	return []route{
		{"GET /alerts", Public, s.responseSubscribeShow},
		{"POST /alerts", Public, s.responseSubscribeSubmit},
		{"GET /alerts/thanks", Public, s.responseSubscribeThanks},
		{"GET /alerts/confirm/{token}", Public, s.responseSubscribeConfirmShow},
		{"POST /alerts/confirm/{token}", Public, s.responseSubscribeConfirmSubmit},
		{"GET /alerts/confirmed", Public, s.responseSubscribeConfirmed},
		{"GET /alerts/leave/{token}", Public, s.responseSubscribeLeaveShow},
		{"POST /alerts/leave/{token}", Public, s.responseSubscribeLeaveSubmit},
		{"GET /alerts/left", Public, s.responseSubscribeLeft},

		{"GET /response/alerts", alert, s.responseAlertList},
		{"GET /response/alerts/new", alert, s.responseAlertNew},
		{"POST /response/alerts/preview", alert, s.responseAlertPreview},
		{"POST /response/alerts", alert, s.responseAlertCreate},
		{"GET /response/alerts/{id}", alert, s.responseAlertShow},
		{"GET /response/alerts/templates", alert, s.responseAlertTemplates},
		{"POST /response/alerts/templates", alert, s.responseAlertTemplateCreate},
		{"GET /response/alerts/templates/{id}", alert, s.responseAlertTemplateEdit},
		{"POST /response/alerts/templates/{id}", alert, s.responseAlertTemplateUpdate},
		{"POST /response/alerts/templates/{id}/delete", alert, s.responseAlertTemplateDelete},
	}
}
