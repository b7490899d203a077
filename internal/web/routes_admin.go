package web

import "solidarity/internal/auth"

// adminRoutes are the routes of administration and the staff dashboard. Every action
// that changes something is a POST; actions that are hard to undo (disabling an account,
// resetting its second factor, ending its sessions, revoking an API key) answer a first
// POST without confirm=yes with a page that asks for confirmation.
func (s *Server) adminRoutes() []route {
	return []route{
		{"GET /dashboard", SignedIn, s.dashboard},
		{"GET /admin", Access(auth.PermAccountsManage), s.adminHome},

		// Accounts and invitations.
		{"GET /admin/accounts", Access(auth.PermAccountsManage), s.adminAccountsList},
		{"GET /admin/accounts/{id}", Access(auth.PermAccountsManage), s.adminAccountShow},
		{"POST /admin/accounts/{id}/role", Access(auth.PermAccountsManage), s.adminAccountRole},
		{"POST /admin/accounts/{id}/disable", Access(auth.PermAccountsManage), s.adminAccountDisable},
		{"POST /admin/accounts/{id}/enable", Access(auth.PermAccountsManage), s.adminAccountEnable},
		{"POST /admin/accounts/{id}/reset-two-factor", Access(auth.PermAccountsManage), s.adminAccountResetTwoFactor},
		{"POST /admin/accounts/{id}/end-sessions", Access(auth.PermSessionsManage), s.adminAccountEndSessions},
		{"POST /admin/invitations", Access(auth.PermAccountsManage), s.adminInvitationsCreate},
		{"POST /admin/invitations/{id}/revoke", Access(auth.PermAccountsManage), s.adminInvitationsRevoke},

		// API keys.
		{"GET /admin/api-keys", Access(auth.PermAPIKeysManage), s.adminAPIKeysList},
		{"POST /admin/api-keys", Access(auth.PermAPIKeysManage), s.adminAPIKeysCreate},
		{"POST /admin/api-keys/{id}/revoke", Access(auth.PermAPIKeysManage), s.adminAPIKeysRevoke},

		// Audit log.
		{"GET /admin/audit", Access(auth.PermAuditRead), s.adminAuditList},
		{"POST /admin/audit/verify", Access(auth.PermAuditRead), s.adminAuditVerify},

		// Vault.
		{"GET /admin/vault", Access(auth.PermVaultManage), s.adminVaultShow},
		{"POST /admin/vault/init", Access(auth.PermVaultManage), s.adminVaultInit},
		{"POST /admin/vault/unseal", Access(auth.PermVaultManage), s.adminVaultUnseal},
		{"POST /admin/vault/seal", Access(auth.PermVaultManage), s.adminVaultSeal},
		{"POST /admin/vault/rotate", Access(auth.PermVaultManage), s.adminVaultRotate},
		{"POST /admin/vault/secret", Access(auth.PermVaultManage), s.adminVaultChangeSecret},

		// Retention.
		{"GET /admin/retention", Access(auth.PermRetentionManage), s.adminRetentionList},
		{"POST /admin/retention/policies/{name}", Access(auth.PermRetentionManage), s.adminRetentionSet},
		{"POST /admin/retention/run", Access(auth.PermRetentionManage), s.adminRetentionRun},

		// Delivery log and outbox.
		{"GET /admin/outbox", Access(auth.PermOutboxRead), s.adminOutboxList},
		{"GET /admin/outbox/{id}", Access(auth.PermOutboxRead), s.adminOutboxShow},
	}
}
