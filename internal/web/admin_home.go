package web

import (
	"net/http"

	"solidarity/internal/auth"
)

// adminCards is the table of the administration index: one card per area, each with the
// permission its pages need.
func adminCards() []card {
	return []card{
		{Access: Access(auth.PermAccountsManage), Href: "/admin/accounts", Title: "admin.accounts.title", Desc: "admin.accounts.card"},
		{Access: Access(auth.PermAPIKeysManage), Href: "/admin/api-keys", Title: "admin.apikeys.title", Desc: "admin.apikeys.card"},
		{Access: Access(auth.PermAuditRead), Href: "/admin/audit", Title: "audit.title", Desc: "admin.audit.card"},
		{Access: Access(auth.PermVaultManage), Href: "/admin/vault", Title: "admin.vault.title", Desc: "admin.vault.card"},
		{Access: Access(auth.PermRetentionManage), Href: "/admin/retention", Title: "retention.title", Desc: "admin.retention.card"},
		{Access: Access(auth.PermOutboxRead), Href: "/admin/outbox", Title: "admin.outbox.title", Desc: "admin.outbox.card"},
		{Access: Access(auth.PermSettingsManage), Href: "/admin/tiers", Title: "crm.tiers.title", Desc: "crm.tiers.card"},
		{Access: Access(auth.PermSettingsManage), Href: "/admin/fields", Title: "crm.fields.title", Desc: "crm.fields.card"},
	}
}

// adminHome is the administration index: links to the areas the actor may manage.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin_home", "admin.home.title", visibleCards(actor(r), adminCards()))
}
