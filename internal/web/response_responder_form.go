package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/response"
)

// responderForm is the responder form as typed, kept to show again with its errors.
type responderForm struct {
	Person    string
	Account   string
	TrainedOn string
	Languages []string
	ZIPs      string
	Counties  string
	OnCall    bool
	Hours     [7]string
	TimeZone  string
	Channel   string
}

// Speaks reports whether a language box is ticked, for the template.
func (f responderForm) Speaks(lang string) bool { return slices.Contains(f.Languages, lang) }

// responderDay is one weekday row of the schedule.
type responderDay struct {
	Field string // the service's field name and the input's id suffix: hours_0 … hours_6
	Key   string // message key of the day's name
	Value string
}

// Days lists the schedule rows, Monday first as most calendars the network uses do.
func (f responderForm) Days() []responderDay {
	out := make([]responderDay, 0, 7)
	for i := 1; i <= 7; i++ {
		d := time.Weekday(i % 7)
		out = append(out, responderDay{Field: "hours_" + strconv.Itoa(int(d)), Key: "response_dispatch.day." + d.String(), Value: f.Hours[d]})
	}
	return out
}

// input turns the form into the service's input.
func (f responderForm) input() response.ResponderInput {
	return response.ResponderInput{
		Person: f.Person, Account: f.Account, TrainedOn: f.TrainedOn, Languages: f.Languages,
		ZIPs: crmSplit(f.ZIPs, crmListSeps+" "), Counties: crmSplit(f.Counties, crmListSeps+" "),
		OnCall: f.OnCall, Hours: f.Hours, TimeZone: f.TimeZone, Channel: response.ResponderChannel(f.Channel),
	}
}

// readResponderForm reads the posted form (parsed already).
func readResponderForm(r *http.Request) responderForm {
	f := responderForm{
		Person: field(r, "person"), Account: field(r, "account"), TrainedOn: field(r, "trained_on"),
		Languages: r.PostForm["languages"], ZIPs: r.PostFormValue("zips"), Counties: r.PostFormValue("counties"),
		OnCall: r.PostFormValue("on_call") == "yes", TimeZone: field(r, "time_zone"), Channel: field(r, "channel"),
	}
	for d := range f.Hours {
		f.Hours[d] = field(r, "hours_"+strconv.Itoa(d))
	}
	return f
}

// responderFormOf fills the form from a responder.
func responderFormOf(rs response.Responder) responderForm {
	f := responderForm{Account: rs.AccountEmail, Languages: rs.Languages, OnCall: rs.OnCall, TimeZone: rs.TimeZone, Channel: string(rs.Channel)}
	if !rs.TrainedOn.IsZero() {
		f.TrainedOn = rs.TrainedOn.Format(adminDateLayout)
	}
	f.ZIPs = strings.Join(rs.ZIPs, ", ")
	f.Counties = strings.Join(rs.Counties, ", ")
	for d := range f.Hours {
		f.Hours[d] = rs.HoursText(time.Weekday(d))
	}
	return f
}

// responderFormPage is the data of the add and edit pages.
type responderFormPage struct {
	ID        int64 // 0 when adding
	PersonID  int64
	Name      string
	Form      responderForm
	Errors    crmErrors
	Languages []string
	TimeZones []string
}

// renderResponderForm shows the responder form with status.
func (s *Server) renderResponderForm(w http.ResponseWriter, r *http.Request, status int, p responderFormPage) {
	p.Languages, p.TimeZones = response.ResponderLanguages, response.ResponderTimeZones
	title := "response_dispatch.responder.new_title"
	if p.ID != 0 {
		title = "response_dispatch.responder.edit_title"
	}
	s.render(w, r, status, "response_responder_form", title, p)
}

// responderURL is the address of a responder's page.
func responderURL(id int64) string { return "/response/responders/" + strconv.FormatInt(id, 10) }
