package web

// responseIntakeRoutes: to be filled by the module that owns this file.
func (s *Server) responseIntakeRoutes() []route {
	return nil
}
