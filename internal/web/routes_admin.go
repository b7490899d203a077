package web

// adminRoutes are the routes of administration and the staff dashboard.
func (s *Server) adminRoutes() []route {
	return []route{}
}
