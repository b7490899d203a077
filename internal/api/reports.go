package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// reportRoutes are rapid response reports, with the permissions of the board's pages:
// reading and changing state need response.dispatch, filing needs response.intake (an
// intake partner: another hotline, a coalition's form). Both are sensitive permissions,
// which the platform never grants to an API key (keys bypass two-factor): these endpoints
// answer 403 to every key until that changes, and are here so that the API's shape is
// whole and the rule is tested.
//
// A report, as GET /api/v1/reports/{id} writes it (the list writes the same without
// "details"; the details are decrypted, and their read is in the audit log):
//
//	{
//	  "identifiers": ["solidarity:report:12"], "id": 12,
//	  "kind": "home", "state": "verifying", "source": "web", "zip": "78701", "language": "es",
//	  "observed_date": "2026-11-29T12:00:00Z", "agents": 3, "vehicles": 1,
//	  "merged_into": 0, "merge_kind": "", "grouped": 2, "verdict": "", "outcome": "",
//	  "has_phone": true, "created_date": "…", "modified_date": "…", "closed_date": null,
//	  "details": {"address": "…", "description": "…", "attire": "…", "phone": "+15125550100"},
//	  "_links": {"self": {"href": "https://…/api/v1/reports/12"}}
//	}
//
// GET /api/v1/reports lists reports newest first: {"total_records": n of this page,
// "per_page": 25, "_embedded": {"reports": [...]}, "_links": {"self", "next"}}, filtered
// by ?area= (a ZIP code or its first digits), ?state=, ?merged=true (include reports
// merged into others), paged by ?per_page= (1–100) and the cursor ?before=<id> that the
// next link carries.
//
// POST /api/v1/reports files a report (201, the report without details):
//
//	{"kind": "workplace", "address": "…", "zip": "78701", "observed_date": "RFC 3339, optional",
//	 "minutes_ago": 0, "agents": 4, "vehicles": 2, "attire": "…", "description": "…",
//	 "phone": "optional callback number", "language": "es"}
//
// Flood detection applies as for the public page: "merged_into" says when the report was
// grouped into an earlier one.
//
// POST /api/v1/reports/{id}/state moves a report: {"state": "closed", "outcome":
// "no_arrests"} (outcome only to close); 200 with the report.
func (s *Server) reportRoutes() []Route {
	dispatch := Access(auth.PermResponseDispatch)
	return []Route{
		{"GET /api/v1/reports", dispatch, s.reportsList},
		{"POST /api/v1/reports", Access(auth.PermResponseSubmit), s.reportsCreate},
		{"GET /api/v1/reports/{id}", dispatch, s.reportsGet},
		{"POST /api/v1/reports/{id}/state", dispatch, s.reportsState},
	}
}

// reportResource is a report as the API writes it.
type reportResource struct {
	Identifiers  []string        `json:"identifiers"`
	ID           int64           `json:"id"`
	Kind         string          `json:"kind"`
	State        string          `json:"state"`
	Source       string          `json:"source"`
	ZIP          string          `json:"zip"`
	Language     string          `json:"language"`
	ObservedDate time.Time       `json:"observed_date"`
	Agents       int             `json:"agents"`
	Vehicles     int             `json:"vehicles"`
	MergedInto   int64           `json:"merged_into"`
	MergeKind    string          `json:"merge_kind"`
	Grouped      int             `json:"grouped"`
	Verdict      string          `json:"verdict"`
	Outcome      string          `json:"outcome"`
	HasPhone     bool            `json:"has_phone"`
	CreatedDate  time.Time       `json:"created_date"`
	ModifiedDate time.Time       `json:"modified_date"`
	ClosedDate   *time.Time      `json:"closed_date"`
	Details      *reportDetails  `json:"details,omitempty"`
	Links        map[string]link `json:"_links"`
}

// reportDetails are a report's sensitive fields.
type reportDetails struct {
	Address     string `json:"address"`
	Description string `json:"description"`
	Attire      string `json:"attire"`
	Phone       string `json:"phone"`
}

// reportBody is a report as an intake partner sends it.
type reportBody struct {
	Kind         string     `json:"kind"`
	Address      string     `json:"address"`
	ZIP          string     `json:"zip"`
	ObservedDate *time.Time `json:"observed_date"`
	MinutesAgo   int        `json:"minutes_ago"`
	Agents       int        `json:"agents"`
	Vehicles     int        `json:"vehicles"`
	Attire       string     `json:"attire"`
	Description  string     `json:"description"`
	Phone        string     `json:"phone"`
	Language     string     `json:"language"`
}

// stateBody moves a report.
type stateBody struct {
	State   string `json:"state"`
	Outcome string `json:"outcome"`
}

// reportsPage is one page of the reports collection.
type reportsPage struct {
	TotalRecords int             `json:"total_records"`
	PerPage      int             `json:"per_page"`
	Embedded     reportsEmbedded `json:"_embedded"`
	Links        map[string]link `json:"_links"`
}

// reportsEmbedded holds a page's reports.
type reportsEmbedded struct {
	Reports []reportResource `json:"reports"`
}

func (s *Server) reportsURL() string { return s.BaseURL + "/api/v1/reports" }

// reportOf writes r as the API shows it.
func (s *Server) reportOf(r response.Report) reportResource {
	self := s.reportsURL() + "/" + strconv.FormatInt(r.ID, 10)
	return reportResource{
		Identifiers: []string{"solidarity:report:" + strconv.FormatInt(r.ID, 10)}, ID: r.ID, Kind: string(r.Kind),
		State: string(r.State), Source: r.Source, ZIP: r.ZIP, Language: r.Language, ObservedDate: r.ObservedAt,
		Agents: r.Agents, Vehicles: r.Vehicles, MergedInto: r.MergedInto, MergeKind: r.MergeKind, Grouped: r.Grouped,
		Verdict: string(r.Verdict), Outcome: r.Outcome, HasPhone: r.HasPhone, CreatedDate: r.CreatedAt,
		ModifiedDate: r.UpdatedAt, ClosedDate: r.ClosedAt, Links: map[string]link{"self": {Href: self}},
	}
}

// reportsList serves GET /api/v1/reports.
func (s *Server) reportsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, err := pagingOf(q)
	var l errs.List
	l = append(l, errs.Fields(err)...)
	rq := response.ReportsQuery{BoardFilter: response.BoardFilter{Area: q.Get("area"), State: response.State(q.Get("state"))},
		Merged: q.Get("merged") == "true", Limit: pg.PerPage}
	if v := q.Get("before"); v != "" {
		if rq.Before, err = strconv.ParseInt(v, 10, 64); err != nil || rq.Before <= 0 {
			l.Add("before", "public.api.page_invalid")
		}
	}
	if err := l.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Response.Reports(r.Context(), auth.ActorFrom(r.Context()), rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := reportsPage{TotalRecords: len(list), PerPage: pg.PerPage, Embedded: reportsEmbedded{Reports: []reportResource{}},
		Links: map[string]link{"self": {Href: selfURL(s.reportsURL(), q)}}}
	for _, rep := range list {
		out.Embedded.Reports = append(out.Embedded.Reports, s.reportOf(rep))
	}
	if len(list) == pg.PerPage {
		next := url.Values{}
		for k, v := range q {
			next[k] = append([]string(nil), v...)
		}
		next.Set("before", strconv.FormatInt(list[len(list)-1].ID, 10))
		out.Links["next"] = link{Href: s.reportsURL() + "?" + next.Encode()}
	}
	writeJSON(w, http.StatusOK, out)
}

// reportsGet serves GET /api/v1/reports/{id}: the report with its sensitive details
// (an audited read; "details" is left out while the vault is sealed).
func (s *Server) reportsGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "response.report.not_found")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Response.Detail(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.reportOf(d.Report)
	if !d.Sealed {
		out.Details = &reportDetails{Address: d.Address, Description: d.Description, Attire: d.Attire, Phone: d.Phone}
	}
	writeJSON(w, http.StatusOK, out)
}

// reportsCreate serves POST /api/v1/reports.
func (s *Server) reportsCreate(w http.ResponseWriter, r *http.Request) {
	var body reportBody
	if !s.decodeReportJSON(w, r, &body) {
		return
	}
	in := response.ReportInput{Kind: response.Kind(strings.TrimSpace(body.Kind)), Address: body.Address, ZIP: body.ZIP,
		Ago: time.Duration(body.MinutesAgo) * time.Minute, Agents: body.Agents, Vehicles: body.Vehicles, Attire: body.Attire,
		Description: body.Description, Phone: body.Phone, Language: body.Language}
	if body.ObservedDate != nil {
		in.ObservedAt = *body.ObservedDate
	}
	rep, err := s.Response.SubmitReport(r.Context(), auth.ActorFrom(r.Context()), in)
	if err != nil {
		s.fail(w, r, reportAPIFields(err))
		return
	}
	out := s.reportOf(rep)
	w.Header().Set("Location", out.Links["self"].Href)
	writeJSON(w, http.StatusCreated, out)
}

// reportsState serves POST /api/v1/reports/{id}/state.
func (s *Server) reportsState(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "response.report.not_found")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body stateBody
	if !s.decodeReportJSON(w, r, &body) {
		return
	}
	a := auth.ActorFrom(r.Context())
	if err := s.Response.SetState(r.Context(), a, id, response.State(body.State), response.Outcome(body.Outcome)); err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.Response.Report(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.reportOf(rep))
}

// decodeReportJSON reads a JSON body into v, answering 422 itself when it cannot.
func (s *Server) decodeReportJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, errs.Invalid("body", "error.too_large"))
			return false
		}
		s.fail(w, r, errs.Invalid("body", "public.api.body_invalid"))
		return false
	}
	return true
}

// reportAPIFields names the fields of a refused report as the JSON body does.
func reportAPIFields(err error) error {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		return err
	}
	var l errs.List
	for _, f := range fields {
		c := *f
		if c.Field == "when" {
			c.Field = "observed_date"
		}
		l = append(l, &c)
	}
	return l
}
