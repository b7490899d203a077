package web

import "net/http"

// responseAlertPreview checks the composed alert as sending would (confirmed report, ZIP
// codes, both texts, no address) and shows it as subscribers will read it, with how many
// will receive it and the button that sends it. Nothing is sent.
func (s *Server) responseAlertPreview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	p := responseAlertComposePage{Form: readAlertForm(r)}
	pv, err := s.Response.PreviewAlert(r.Context(), actor(r), p.Form.request())
	if err != nil {
		fe, status, ok := crmInvalid(err, responseAlertRename)
		if !ok {
			s.fail(w, r, err)
			return
		}
		p.Errors = fe
		s.renderAlertCompose(w, r, status, p)
		return
	}
	// The texts come back as the service read them (from the template when left empty).
	p.Form.BodyEn, p.Form.BodyEs = pv.BodyEn, pv.BodyEs
	p.Preview = &pv
	s.renderAlertCompose(w, r, http.StatusOK, p)
}
