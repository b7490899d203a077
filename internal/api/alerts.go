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

// alertRoutes are the rapid response alerts, with the permission the alert pages need.
// response.alert is a sensitive permission, which the platform never grants to an API key
// (keys bypass two-factor): a dispatcher reaches these endpoints with their signed-in
// session (see guard), and every key gets 403.
func (s *Server) alertRoutes() []Route {
	alert := Access(auth.PermResponseAlert)
	return []Route{
		{"GET /api/v1/alerts", alert, s.alertsList},
		{"POST /api/v1/alerts", alert, s.alertsCreate},
		{"GET /api/v1/alerts/{id}", alert, s.alertsGet},
	}
}

// alertResource is an alert as the API writes it, with its recipients counted by status.
type alertResource struct {
	Identifiers  []string        `json:"identifiers"`
	ID           int64           `json:"id"`
	Kind         string          `json:"kind"`
	ReportID     int64           `json:"report_id,omitempty"`
	ParentID     int64           `json:"parent_id,omitempty"`
	TemplateID   int64           `json:"template_id,omitempty"`
	ZIPs         []string        `json:"zip_codes"`
	BodyEn       string          `json:"body_en"`
	BodyEs       string          `json:"body_es"`
	Status       string          `json:"status"`
	Recipients   int             `json:"recipients"`
	Counts       map[string]int  `json:"counts"`
	AllClears    []int64         `json:"all_clears"`
	CreatedBy    string          `json:"created_by"`
	CreatedDate  time.Time       `json:"created_date"`
	FinishedDate *time.Time      `json:"finished_date,omitempty"`
	Links        map[string]link `json:"_links"`
}

// alertBody is what a client sends to create an alert (report_id and zip_codes) or the all
// clear of an alert (parent_id).
type alertBody struct {
	ReportID   int64    `json:"report_id"`
	ParentID   int64    `json:"parent_id"`
	ZIPs       []string `json:"zip_codes"`
	TemplateID int64    `json:"template_id"`
	BodyEn     string   `json:"body_en"`
	BodyEs     string   `json:"body_es"`
}

func (s *Server) alertsURL() string { return s.BaseURL + "/api/v1/alerts" }

func (s *Server) alertOf(a response.Alert) alertResource {
	self := s.alertsURL() + "/" + strconv.FormatInt(a.ID, 10)
	out := alertResource{
		Identifiers: []string{"solidarity:alert:" + strconv.FormatInt(a.ID, 10)}, ID: a.ID, Kind: string(a.Kind),
		ReportID: a.ReportID, ParentID: a.ParentID, TemplateID: a.TemplateID, ZIPs: a.ZIPs, BodyEn: a.BodyEn, BodyEs: a.BodyEs,
		Status: string(a.Status), Recipients: a.Recipients, Counts: map[string]int{}, AllClears: a.AllClears,
		CreatedBy: a.CreatedBy, CreatedDate: a.CreatedAt, FinishedDate: a.FinishedAt,
		Links: map[string]link{"self": {Href: self}},
	}
	if out.ZIPs == nil {
		out.ZIPs = []string{}
	}
	if out.AllClears == nil {
		out.AllClears = []int64{}
	}
	for _, st := range response.RecipientStatuses {
		out.Counts[string(st)] = a.Counts[st]
	}
	if a.ReportID > 0 {
		out.Links["solidarity:report"] = link{Href: s.BaseURL + "/api/v1/reports/" + strconv.FormatInt(a.ReportID, 10)}
	}
	if a.ParentID > 0 {
		out.Links["solidarity:parent"] = link{Href: s.alertsURL() + "/" + strconv.FormatInt(a.ParentID, 10)}
	}
	return out
}

// alertsPage is one page of the alerts collection, newest first.
type alertsPage struct {
	PerPage  int                        `json:"per_page"`
	Links    map[string]link            `json:"_links"`
	Embedded map[string][]alertResource `json:"_embedded"`
}

// alertsList serves GET /api/v1/alerts: alerts newest first, ?report= for one report's,
// ?per_page= (1 to 100), and a next link with a ?before= cursor.
func (s *Server) alertsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, err := pagingOf(q)
	var l errs.List
	l = append(l, errs.Fields(err)...)
	var aq response.AlertQuery
	aq.Limit = pg.PerPage
	for name, dst := range map[string]*int64{"report": &aq.ReportID, "before": &aq.Before} {
		if v := strings.TrimSpace(q.Get(name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				l.Add(name, "public.api.page_invalid")
			}
			*dst = n
		}
	}
	if err := l.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Response.Alerts(r.Context(), auth.ActorFrom(r.Context()), aq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := alertsPage{PerPage: pg.PerPage, Links: map[string]link{"self": {Href: selfURL(s.alertsURL(), q)}},
		Embedded: map[string][]alertResource{"solidarity:alerts": {}}}
	for _, a := range list {
		out.Embedded["solidarity:alerts"] = append(out.Embedded["solidarity:alerts"], s.alertOf(a))
	}
	if len(list) == pg.PerPage {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(list[len(list)-1].ID, 10))
		out.Links["next"] = link{Href: s.alertsURL() + "?" + next.Encode()}
	}
	writeJSON(w, http.StatusOK, out)
}

// alertsGet serves GET /api/v1/alerts/{id}: one alert with its recipients counted by
// status (queued, sending, sent, failed, uncertain, skipped).
func (s *Server) alertsGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "alerts.alert.not_found")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Response.Alert(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.alertOf(a))
}

// alertsCreate serves POST /api/v1/alerts: it sends an alert about a confirmed report (or
// the all clear of an alert), with the same checks as the alert pages; 201 with Location,
// or 422 with each field named.
func (s *Server) alertsCreate(w http.ResponseWriter, r *http.Request) {
	var body alertBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, errs.Invalid("body", "error.too_large"))
			return
		}
		s.fail(w, r, errs.Invalid("body", "public.api.body_invalid"))
		return
	}
	a, err := s.Response.CreateAlert(r.Context(), auth.ActorFrom(r.Context()), response.AlertRequest{
		ReportID: body.ReportID, ParentID: body.ParentID, ZIPs: body.ZIPs, TemplateID: body.TemplateID,
		BodyEn: body.BodyEn, BodyEs: body.BodyEs,
	})
	if err != nil {
		s.fail(w, r, alertAPIFields(err))
		return
	}
	out := s.alertOf(a)
	w.Header().Set("Location", out.Links["self"].Href)
	writeJSON(w, http.StatusCreated, out)
}

// alertAPIFields names fields as the client wrote them.
func alertAPIFields(err error) error {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		return err
	}
	var l errs.List
	for _, f := range fields {
		e := *f
		switch e.Field {
		case "zips":
			e.Field = "zip_codes"
		case "report":
			e.Field = "report_id"
		case "parent":
			e.Field = "parent_id"
		case "template":
			e.Field = "template_id"
		}
		l = append(l, &e)
	}
	return l
}
