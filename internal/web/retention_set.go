package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// adminMaxDays is more than any policy may keep (retention.MaxAfter is ten years).
const adminMaxDays = 100 * 365

// adminRetentionSet changes how many days a policy's data is kept. The service checks
// the policy's bounds and audits the change; a bad value comes back on the page (422)
// with the translated reason next to the policy's field.
func (s *Server) adminRetentionSet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.PathValue("name")
	value := strings.TrimSpace(r.PostFormValue("days"))
	days, err := strconv.Atoi(value)
	if err != nil {
		s.renderRetention(w, r, http.StatusUnprocessableEntity, name, value, adminFieldError("days", "admin.retention.days_invalid"))
		return
	}
	if days > adminMaxDays { // beyond any policy's bounds, and beyond what a Duration holds
		s.renderRetention(w, r, http.StatusUnprocessableEntity, name, value, adminFieldError("days", "retention.after.too_long"))
		return
	}
	a := actor(r)
	err = s.Retention.Set(r.Context(), name, time.Duration(days)*adminDay, a.Label(), a.Name)
	if fe, ok := adminInvalid(err, map[string]string{"after": "days"}); ok {
		s.renderRetention(w, r, http.StatusUnprocessableEntity, name, value, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/retention", "admin.retention.saved")
}
