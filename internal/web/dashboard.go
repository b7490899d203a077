package web

import (
	"net/http"

	"solidarity/internal/auth"
)

// card is one link on the staff dashboard or the administration index, shown only to
// actors who may follow it.
type card struct {
	Access Access // SignedIn for everyone signed in, or the permission the page needs
	Href   string
	Title  string // message key
	Desc   string // message key of one sentence saying what is there
}

// dashboardCards is the table of the staff dashboard. Each module adds its entries here,
// with the same access as the route the card links to.
func dashboardCards() []card {
	return []card{
		{Access: Access(auth.PermPeopleRead), Href: "/people", Title: "crm.people.title", Desc: "crm.people.card"},
		{Access: Access(auth.PermResponseDispatch), Href: "/response", Title: "response.board.title", Desc: "response.board.card"},
		{Access: Access(auth.PermResponseIntake), Href: "/response/console", Title: "response.console.title", Desc: "response.console.card"},
		{Access: Access(auth.PermGivingRead), Href: "/giving", Title: "giving.dashboard.title", Desc: "giving.dashboard.card"},
		{Access: Access(auth.PermResponseDispatch), Href: "/response/responders", Title: "response_dispatch.responders.title", Desc: "response_dispatch.responders.card"},
		{Access: Access(auth.PermResponseRespond), Href: "/response/me", Title: "response_dispatch.me.title", Desc: "response_dispatch.me.card"},
		{Access: Access(auth.PermAccountsManage), Href: "/admin", Title: "admin.home.title", Desc: "admin.dashboard.admin"},
		{Access: Access(auth.PermOutboxRead), Href: "/admin/outbox", Title: "admin.outbox.title", Desc: "admin.outbox.card"},
		{Access: SignedIn, Href: "/account", Title: "nav.account", Desc: "admin.dashboard.account"},
	}
}

// visibleCards keeps the cards of table that actor may follow.
func visibleCards(a auth.Actor, table []card) []card {
	var out []card
	for _, c := range table {
		if c.Access == SignedIn && a.Kind == auth.KindAccount || c.Access != SignedIn && c.Access != Public && a.Can(auth.Permission(c.Access)) {
			out = append(out, c)
		}
	}
	return out
}

// dashboardPage is the data of the staff home.
type dashboardPage struct {
	Name     string
	Vault    string // message key of the vault's state
	VaultURL string // the vault page, for those who may manage it
	Cards    []card
}

// dashboard is the staff home after sign-in: a greeting, the vault's state and the cards
// of what the actor's role can reach.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	st, err := s.Vault.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := dashboardPage{Name: a.Name, Vault: adminVaultStateKey(st.Initialized, st.Sealed), Cards: visibleCards(a, dashboardCards())}
	if a.Can(auth.PermVaultManage) {
		p.VaultURL = "/admin/vault"
	}
	s.render(w, r, http.StatusOK, "dashboard", "admin.dashboard.title", p)
}

// adminVaultStateKey names the vault's state on this node in a few words.
func adminVaultStateKey(initialized, sealed bool) string {
	switch {
	case !initialized:
		return "admin.vault.state.not_initialized"
	case sealed:
		return "admin.vault.state.sealed"
	default:
		return "admin.vault.state.unsealed"
	}
}
