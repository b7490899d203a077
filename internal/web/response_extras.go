package web

// Extra sections of a report's page.
//
// The board's report page (GET /response/reports/{id}, response_report_page.go) is owned
// by intake, but dispatch and alerts show their own sections on it: the dispatch form and
// the responders' answers, the alert form and the alerts sent. Each of them:
//
//  1. registers a provider of its page data from an init() in one of its own files:
//
//     func init() {
//     	registerReportExtra("dispatch", func(s *Server, r *http.Request, reportID int64) (any, error) {
//     		return s.Response.DispatchPanel(r.Context(), actor(r), reportID)
//     	})
//     }
//
//  2. renders it in its own partial, which the page includes by name:
//     templates/partials/response_dispatch.html defines "response-dispatch" and
//     templates/partials/response_alert.html defines "response-alert". A partial receives
//     the page's View: .Data.Extra.<name> is what its provider returned (also
//     .Data.Dispatch and .Data.Alert for the names "dispatch" and "alert"), .Data.Report is
//     the report (.Data.Report.ID, .State, .ZIP…) for its forms, and .T translates.
//
// A provider runs on every view of the page, after the report was read (so the report
// exists and the viewer holds response.dispatch). A provider that answers errs.Forbidden
// (the viewer may not see that section) leaves its entry out; any other error fails the
// page. Providers must check their own permissions and audit their own reads.

import (
	"net/http"

	"solidarity/internal/errs"
)

// reportExtra is one registered provider of a report page section's data.
type reportExtra struct {
	name string
	load func(s *Server, r *http.Request, reportID int64) (any, error)
}

// reportExtras are the registered providers, filled by init() functions before serving.
var reportExtras []reportExtra

// registerReportExtra adds a provider under name (its key in reportPage.Extra). Call it
// from an init() function only.
func registerReportExtra(name string, load func(s *Server, r *http.Request, reportID int64) (any, error)) {
	reportExtras = append(reportExtras, reportExtra{name: name, load: load})
}

// reportPageExtras runs every provider for report reportID and returns their data by name.
func (s *Server) reportPageExtras(r *http.Request, reportID int64) (map[string]any, error) {
	out := make(map[string]any, len(reportExtras))
	for _, x := range reportExtras {
		v, err := x.load(s, r, reportID)
		if errs.CodeOf(err) == errs.CodeForbidden {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[x.name] = v
	}
	return out, nil
}

// Dispatch is the dispatch section's data (Extra["dispatch"]), so that its partial may
// write .Data.Dispatch.
func (p reportPage) Dispatch() any { return p.Extra["dispatch"] }

// Alert is the alert section's data (Extra["alert"]), so that its partial may write
// .Data.Alert.
func (p reportPage) Alert() any { return p.Extra["alert"] }
