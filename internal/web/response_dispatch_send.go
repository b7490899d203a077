package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responseDispatchSend sends the responders ticked on a report's page, with how many are
// needed, and goes back to the report. A refusal (nobody ticked, somebody no longer
// available…) comes back as the page's notice, and nothing is sent.
func (s *Server) responseDispatchSend(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	in := response.DispatchInput{}
	for _, v := range r.PostForm["responder"] {
		if rid := crmID(v); rid > 0 {
			in.Responders = append(in.Responders, rid)
		}
	}
	if v := field(r, "needed"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = -1 // the service refuses it
		}
		in.Needed = n
	}
	back := "/response/reports/" + strconv.FormatInt(id, 10) + "#dispatch"
	_, err = s.Response.Dispatch(r.Context(), actor(r), id, in)
	if fields := errs.Fields(err); len(fields) > 0 {
		s.redirect(w, r, back, fields[0].Key)
		return
	}
	if errs.CodeOf(err) == errs.CodeConflict {
		s.redirect(w, r, back, errs.As(err).Key)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, "response_dispatch.dispatch.flash.sent")
}
