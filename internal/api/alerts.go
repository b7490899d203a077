package api

// alertRoutes: to be filled by the rapid response module.
func (s *Server) alertRoutes() []Route { return nil }
