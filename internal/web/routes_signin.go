package web

// signinRoutes are the routes of signing in and of one's own account.
func (s *Server) signinRoutes() []route {
	return []route{}
}
