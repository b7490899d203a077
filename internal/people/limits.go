package people

import "time"

// The rate limits of the public Join page and of the member sign-in link form. The web
// layer applies them (ratelimit.Limiter, per client address and for everyone together)
// before calling Join or RequestSignInLink; they live here so that the benchmark and the
// pages share one set of numbers.
const (
	// JoinClientLimit Join submissions per JoinClientWindow from one client address: a
	// family sharing a phone can sign up together, a script cannot.
	JoinClientLimit  = 10
	JoinClientWindow = 10 * time.Minute
	// JoinGlobalLimit Join submissions per JoinGlobalWindow from everyone: sized for a
	// viral spike (36,000 an hour) while capping how many confirmation mails a botnet with
	// many addresses can make the network send.
	JoinGlobalLimit  = 600
	JoinGlobalWindow = time.Minute

	// SignInLinkClientLimit sign-in link requests per SignInLinkClientWindow from one
	// client address.
	SignInLinkClientLimit  = 10
	SignInLinkClientWindow = 10 * time.Minute
	// SignInLinkEmailLimit sign-in link requests per SignInLinkEmailWindow for one
	// address, known or not, so that nobody's inbox can be flooded through the form.
	SignInLinkEmailLimit  = 3
	SignInLinkEmailWindow = time.Hour
)
