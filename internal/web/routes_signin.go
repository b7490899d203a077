package web

import "solidarity/internal/auth"

// signinRoutes are the routes of signing in and of one's own account.
//
// The sign-in steps are Public: a session on its way in (waiting for its second factor, or
// having to enrol one first) is not signed in, so the guard would turn it away. Those
// handlers hand the session token to the auth service, which accepts only a session in the
// right step, and send anyone else to the step they need. Public routes never answer 401:
// without a usable session a page redirects to sign in, a JSON endpoint answers 400.
func (s *Server) signinRoutes() []route {
	return []route{
		// Signing in and out.
		{"GET /login", Public, s.loginShow},
		{"POST /login", Public, s.loginSubmit},
		{"GET /login/second-factor", Public, s.secondFactorShow},
		{"POST /login/second-factor", Public, s.secondFactorSubmit},
		{"POST /login/passkey/begin", Public, s.passkeyLoginBegin},
		{"POST /login/passkey/finish", Public, s.passkeyLoginFinish},
		{"POST /logout", Public, s.logout},

		// Enrolling a second factor: signed in, or signing in with a role that needs one.
		{"GET /account/two-factor", Public, s.twoFactorShow},
		{"POST /account/two-factor", Public, s.twoFactorConfirm},
		{"POST /account/passkeys/begin", Public, s.passkeyRegisterBegin},
		{"POST /account/passkeys/finish", Public, s.passkeyRegisterFinish},

		// Forgotten passwords and invitations, at the addresses the mails link to.
		{"GET /password/forgot", Public, s.passwordForgotShow},
		{"POST /password/forgot", Public, s.passwordForgotSubmit},
		{"GET " + auth.ResetPath + "{token}", Public, s.passwordResetShow},
		{"POST " + auth.ResetPath + "{token}", Public, s.passwordResetSubmit},
		{"GET " + auth.InvitationPath + "{token}", Public, s.invitationShow},
		{"POST " + auth.InvitationPath + "{token}", Public, s.invitationAccept},

		// One's own account.
		{"GET /account", SignedIn, s.accountShow},
		{"POST /account/language", SignedIn, s.accountLanguage},
		{"POST /account/password", SignedIn, s.accountPassword},
		{"POST /account/totp/remove", SignedIn, s.totpRemove},
		{"POST /account/passkeys/{id}/remove", SignedIn, s.passkeyRemove},
		{"POST /account/recovery-codes", SignedIn, s.recoveryRegenerate},
		{"POST /account/sessions/{id}/end", SignedIn, s.accountSessionEnd},
		{"POST /account/sessions/end-others", SignedIn, s.accountSessionsEndOthers},
	}
}
