package web

import "net/http"

// givingPublicShow shows a published donation page: its story, progress toward its goal,
// and the form that goes on to Stripe Checkout. Staff who may read giving see a page that
// is not published yet as a preview. Without card giving configured the page says so
// instead of showing the form.
func (s *Server) givingPublicShow(w http.ResponseWriter, r *http.Request) {
	s.givingRenderPage(w, r, http.StatusOK, r.PathValue("slug"), nil)
}
