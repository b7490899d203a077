package api

// reportRoutes: to be filled by the rapid response module.
func (s *Server) reportRoutes() []Route { return nil }
