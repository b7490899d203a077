package web

// responseDispatchRoutes: to be filled by the module that owns this file.
func (s *Server) responseDispatchRoutes() []route {
	return nil
}
