package web

// givingPublicRoutes: to be filled by the module that owns this file.
func (s *Server) givingPublicRoutes() []route {
	return nil
}
