package web

// givingStaffRoutes: to be filled by the module that owns this file.
func (s *Server) givingStaffRoutes() []route {
	return nil
}
