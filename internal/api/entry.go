package api

import "net/http"

// entryPoint is OSDI's API entry point: what this server offers, as HAL links. Modules add
// their collections here as they land.
func (s *Server) entryPoint(w http.ResponseWriter, r *http.Request) {
	base := s.BaseURL + "/api/v1/"
	writeJSON(w, http.StatusOK, map[string]any{
		"motd":         "Solidarity API v1",
		"vendor_name":  "Solidarity",
		"product_name": "Solidarity",
		"osdi_version": "1.1",
		"max_pagesize": 100,
		"namespace":    "solidarity",
		"_links": map[string]any{
			"self":                     map[string]string{"href": base},
			"osdi:people":              map[string]string{"href": base + "people", "title": "The collection of people in the system"},
			"solidarity:organizations": map[string]string{"href": base + "organizations", "title": "The collection of organizations in the network"},
		},
	})
}
