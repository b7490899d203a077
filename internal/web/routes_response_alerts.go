package web

// responseAlertRoutes: to be filled by the module that owns this file.
func (s *Server) responseAlertRoutes() []route {
	return nil
}
