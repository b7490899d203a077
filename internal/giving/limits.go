package giving

import "time"

// The rate limits of the public donation, dues and manage forms. The web layer applies
// them (per client address and for everyone together) before calling the service; they
// live here so that tests, the benchmark and the pages share one set of numbers. Each
// accepted form opens a Stripe session, so the global limit also caps what a flood can
// make the network ask of Stripe.
const (
	// GiveClientLimit donation or dues forms per GiveClientWindow from one client address:
	// enough to correct a typo or give twice, not enough to test stolen cards in bulk
	// (card testing is the main abuse of donation forms).
	GiveClientLimit  = 8
	GiveClientWindow = 10 * time.Minute
	// GiveGlobalLimit forms per GiveGlobalWindow from everyone.
	GiveGlobalLimit  = 300
	GiveGlobalWindow = time.Minute
	// ManageClientLimit manage-page actions per ManageClientWindow from one client.
	ManageClientLimit  = 20
	ManageClientWindow = 10 * time.Minute
)
