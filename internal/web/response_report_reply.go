package web

import "net/http"

// responseReportReply texts a dispatcher's reply to the reporter; a refused reply comes
// back in its box with the error.
func (s *Server) responseReportReply(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	body := r.PostFormValue("body")
	if err := s.Response.Reply(r.Context(), actor(r), id, body); err != nil {
		if fe, status, ok := crmInvalid(err, nil); ok {
			s.renderReportPage(w, r, status, reportForms{Errors: fe, Reply: body, Task: taskForm{Due: "24h"}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(id)+"#thread", "response.reply.sent")
}
