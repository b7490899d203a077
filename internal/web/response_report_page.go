package web

import (
	"net/http"
	"strconv"
	"time"

	"solidarity/internal/i18n"
	"solidarity/internal/response"
)

// reportPage is the data of a report's page on the board. Report carries the report's
// id, state and ZIP code (and the rest), for the sections other parts of rapid response
// add through their partials; Extra holds what their providers returned
// (response_extras.go).
type reportPage struct {
	Report  response.ReportDetail
	Kind    string
	State   string
	Source  string
	Age     string
	Created time.Time
	// Next are the states the report may move to, closing apart (it asks for an outcome).
	Next     []response.State
	CanClose bool
	Outcomes []response.Outcome
	History  []historyLine
	Checks   []checkLine
	Tasks    []taskLine
	Members  []boardRow
	// The task form's choices.
	TaskKinds []response.TaskKind
	Owners    []response.Staff
	Due       []string
	MaxReply  int
	// Forms holds the values and errors of a form that was refused.
	Forms  reportForms
	Errors crmErrors
	Extra  map[string]any
}

// reportForms are the values of the report page's forms to show again after a refusal.
type reportForms struct {
	Errors crmErrors
	Reply  string
	Into   string
	Task   taskForm
}

// taskForm is the task form as sent.
type taskForm struct{ Kind, Owner, Due string }

// historyLine is one history entry in words.
type historyLine struct {
	At   time.Time
	Who  string
	What string
}

// checkLine is one checklist item on the report.
type checkLine struct {
	ID      int64
	Label   string
	Checked bool
	By      string
	At      time.Time
}

// taskLine is one follow-up task in words.
type taskLine struct {
	ID      int64
	Kind    string
	Owner   string
	Due     time.Time
	DueIn   string
	Done    bool
	DoneBy  string
	DoneAt  time.Time
	Overdue bool
}

// taskDue are the due times the task form offers, as durations.
var taskDue = []struct {
	Value string
	In    time.Duration
}{{"4h", 4 * time.Hour}, {"24h", 24 * time.Hour}, {"72h", 72 * time.Hour}, {"168h", 7 * 24 * time.Hour}}

// responseReportPage shows a report with its sensitive fields (the read is audited), its
// state and the forms to move it, the verification checklist, the merge form, the SMS
// thread and reply form, the follow-up tasks, the reports grouped into it, its history,
// and the sections of dispatch and alerts.
func (s *Server) responseReportPage(w http.ResponseWriter, r *http.Request) {
	s.renderReportPage(w, r, http.StatusOK, reportForms{Task: taskForm{Due: "24h"}})
}

// renderReportPage renders the page of the path's report with status; forms carries a
// refused form's values and errors.
func (s *Server) renderReportPage(w http.ResponseWriter, r *http.Request, status int, forms reportForms) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actor(r), r.Context()
	d, err := s.Response.Detail(ctx, a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	owners, err := s.Response.TaskOwners(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	extra, err := s.reportPageExtras(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := stateOf(r)
	loc, now := st.loc, s.DB.Now()
	if forms.Task.Owner == "" {
		forms.Task.Owner = strconv.FormatInt(a.ID, 10)
	}
	p := reportPage{Report: d, Kind: loc.T(d.Kind.Key()), State: loc.T(d.State.Key()), Source: loc.T(response.SourceKey(d.Source)),
		Age: reportAge(loc, now, d.CreatedAt), Created: d.CreatedAt, Outcomes: response.Outcomes(), TaskKinds: response.TaskKinds(),
		Owners: owners, MaxReply: response.MaxReply, Forms: forms, Errors: forms.Errors, Extra: extra}
	if d.MergedInto == 0 {
		for _, n := range d.State.Next() {
			if n == response.StateClosed {
				p.CanClose = true
			} else {
				p.Next = append(p.Next, n)
			}
		}
	}
	for _, due := range taskDue {
		p.Due = append(p.Due, due.Value)
	}
	for _, h := range d.History {
		p.History = append(p.History, historyLineOf(loc, st.lang, h))
	}
	for _, c := range d.Checks {
		line := checkLine{ID: c.Item.ID, Checked: c.Checked, By: c.CheckedBy, At: c.CheckedAt, Label: c.Item.Label(st.lang)}
		if k := c.Item.Key(); k != "" {
			line.Label = loc.T(k)
		}
		p.Checks = append(p.Checks, line)
	}
	for _, t := range d.Tasks {
		line := taskLine{ID: t.ID, Kind: loc.T(t.Kind.Key()), Owner: t.OwnerName, Due: t.DueAt, Done: t.Done(), DoneBy: t.DoneBy,
			Overdue: t.Overdue(now)}
		if t.DoneAt != nil {
			line.DoneAt = *t.DoneAt
		}
		if !line.Done && !line.Overdue {
			line.DueIn = reportIn(loc, t.DueAt.Sub(now))
		}
		p.Tasks = append(p.Tasks, line)
	}
	for _, m := range d.Members {
		p.Members = append(p.Members, boardRowOf(loc, m, now))
	}
	s.render(w, r, status, "response_report_page", "response.report.title", p)
}

// reportIn says how far ahead a time is: "in 3 h", "in 2 days".
func reportIn(loc *i18n.Localizer, d time.Duration) string {
	switch {
	case d < time.Hour:
		return loc.N("response.due.minutes", max(1, int(d/time.Minute)))
	case d < 48*time.Hour:
		return loc.N("response.due.hours", int(d/time.Hour))
	default:
		return loc.N("response.due.days", int(d/(24*time.Hour)))
	}
}

// historyLineOf puts a history entry in words in the language of loc.
func historyLineOf(loc *i18n.Localizer, lang string, h response.HistoryEntry) historyLine {
	line := historyLine{At: h.At, Who: h.ActorName}
	switch {
	case h.ByPublic():
		line.Who = loc.T("response.history.by_public")
	case h.BySystem() || line.Who == "":
		line.Who = loc.T("response.history.by_system")
	}
	data := map[string]any{"Ref": "#" + strconv.FormatInt(h.Ref, 10)}
	switch h.Action {
	case "filed":
		data["Source"] = loc.T(response.SourceKey(h.Source))
	case "state":
		data["From"], data["To"] = loc.T(h.From.Key()), loc.T(h.To.Key())
		if h.Outcome != "" {
			data["Outcome"] = loc.T(h.Outcome.Key())
			return historyLine{At: line.At, Who: line.Who, What: loc.T("response.history.closed", data)}
		}
	case "checked", "unchecked":
		data["Item"] = h.Item.Label(lang)
		if k := h.Item.Key(); k != "" {
			data["Item"] = loc.T(k)
		}
	case "task", "task_done", "task_reopened":
		data["Task"] = loc.T(h.Task.Key())
	}
	line.What = loc.T(h.Key(), data)
	return line
}
