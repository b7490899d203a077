package web

import "solidarity/internal/auth"

// responseIntakeRoutes are rapid response intake and the board: the public report page
// (no account), the hotline console (response.intake), and the dispatchers' live board,
// report page, checklist settings and follow-up tasks (response.dispatch).
func (s *Server) responseIntakeRoutes() []route {
	intake := Access(auth.PermResponseIntake)
	dispatch := Access(auth.PermResponseDispatch)
	return []route{
		// The public report page: no account, no JavaScript needed.
		{"GET /report", Public, s.responseReportShow},
		{"POST /report", Public, s.responseReportSubmit},
		{"GET /report/thanks", Public, s.responseReportThanks},

		// Hotline operators' console.
		{"GET /response/console", intake, s.responseConsoleShow},
		{"POST /response/console", intake, s.responseConsoleSubmit},

		// The board, its live events and its rows.
		{"GET /response", dispatch, s.responseBoardShow},
		{"GET /response/events", dispatch, s.responseBoardEvents},
		{"GET /response/reports/{id}/row", dispatch, s.responseBoardRow},

		// One report: details, state, checklist, merge, SMS thread, follow-up tasks.
		{"GET /response/reports/{id}", dispatch, s.responseReportPage},
		{"POST /response/reports/{id}/state", dispatch, s.responseReportState},
		{"POST /response/reports/{id}/checks", dispatch, s.responseReportChecks},
		{"POST /response/reports/{id}/merge", dispatch, s.responseReportMerge},
		{"POST /response/reports/{id}/reply", dispatch, s.responseReportReply},
		{"POST /response/reports/{id}/tasks", dispatch, s.responseTaskCreate},
		{"POST /response/tasks/{id}/done", dispatch, s.responseTaskDone},

		// The verification checklist's settings.
		{"GET /response/checklist", dispatch, s.responseBoardChecklist},
		{"POST /response/checklist", dispatch, s.responseBoardChecklistSave},
	}
}
