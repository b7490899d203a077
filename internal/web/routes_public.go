package web

import "solidarity/internal/people"

// publicRoutes are the people module's public pages: the Join form and its e-mail
// confirmation, member self-service (a sign-in link by e-mail, then a session of its own,
// apart from staff sessions), and the network directory.
//
// All are Public: no staff account is involved. Self-service handlers hand the member
// cookie to the people service, which accepts only a live self-service session; without
// one a page shows the form for a sign-in link and a POST goes back to it (303), never 401.
// Links from e-mails open a page with a button, so that following a link changes nothing.
func (s *Server) publicRoutes() []route {
	return []route{
		// Joining the network.
		{"GET /join", Public, s.joinShow},
		{"POST /join", Public, s.joinSubmit},
		{"GET /join/thanks", Public, s.joinThanks},
		{"GET " + people.ConfirmPath + "{token}", Public, s.joinConfirmShow},
		{"POST " + people.ConfirmPath + "{token}", Public, s.joinConfirmSubmit},
		{"GET /join/confirmed", Public, s.joinConfirmed},

		// Member self-service.
		{"GET " + people.MemberPath, Public, s.memberShow},
		{"POST " + people.MemberPath, Public, s.memberUpdate},
		{"POST /member/signin", Public, s.memberSignInSubmit},
		{"GET " + people.SignInPath + "{token}", Public, s.memberLinkShow},
		{"POST " + people.SignInPath + "{token}", Public, s.memberLinkSubmit},
		{"GET /member/leave", Public, s.memberLeaveShow},
		{"POST /member/leave", Public, s.memberLeaveSubmit},
		{"GET /member/cancel", Public, s.memberCancelShow},
		{"POST /member/cancel", Public, s.memberCancelSubmit},
		{"POST /member/signout", Public, s.memberSignOut},

		// The public directory of the network's organizations.
		{"GET /network", Public, s.networkList},
	}
}
