package auth

import "slices"

// Role is what an account or API key is in the network; it decides its permissions.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdministrator Role = "administrator"
	RoleOrganizer     Role = "organizer"
	RoleDispatcher    Role = "dispatcher"
	RoleResponder     Role = "responder"
	RoleCaseworker    Role = "caseworker"
	RoleResearcher    Role = "researcher"
	RoleMember        Role = "member"
	RolePartner       Role = "partner"
)

// roles lists every role in display order.
var roles = []Role{
	RoleAdministrator, RoleOrganizer, RoleDispatcher, RoleResponder,
	RoleCaseworker, RoleResearcher, RoleMember, RolePartner,
}

// Permission names one thing an actor may do, as "module.verb".
type Permission string

// The permissions. Services check them; roles grant them through the table below.
const (
	PermAccountsManage  Permission = "accounts.manage"  // invite, create, disable accounts; set roles; reset two-factor
	PermSessionsManage  Permission = "sessions.manage"  // see and end anyone's sessions
	PermAPIKeysManage   Permission = "apikeys.manage"   // create, list and revoke API keys
	PermAuditRead       Permission = "audit.read"       // read and verify the audit log
	PermVaultManage     Permission = "vault.manage"     // unseal, seal, rotate keys
	PermRetentionManage Permission = "retention.manage" // change retention periods
	PermSettingsManage  Permission = "settings.manage"  // install-wide settings
	// PermOutboxRead reads the built-in outbox; it holds invitation and reset links, so it
	// is as strong as accounts.manage.
	PermOutboxRead Permission = "outbox.read"

	PermPeopleRead   Permission = "people.read"
	PermPeopleWrite  Permission = "people.write"
	PermPeopleExport Permission = "people.export"

	PermGivingRead   Permission = "giving.read"
	PermGivingWrite  Permission = "giving.write"
	PermGivingExport Permission = "giving.export"

	PermCampaignsRead  Permission = "campaigns.read"
	PermCampaignsWrite Permission = "campaigns.write"

	PermMessagingRead Permission = "messaging.read"
	PermMessagingSend Permission = "messaging.send"

	PermLibraryRead  Permission = "library.read"
	PermLibraryWrite Permission = "library.write"

	PermResponseIntake   Permission = "response.intake"   // take reports by phone or SMS; sees reporters' contact details
	PermResponseDispatch Permission = "response.dispatch" // verify reports and dispatch responders; sees exact locations
	PermResponseRespond  Permission = "response.respond"  // accept dispatches; sees the location of the incident
	PermResponseAlert    Permission = "response.alert"    // send area alerts after verification
	// PermResponseSubmit sends reports from an intake partner's own system (the API); it
	// reads nothing back but the report it sent, so an API key may hold it.
	PermResponseSubmit Permission = "response.submit"

	PermCasesRead  Permission = "cases.read"
	PermCasesWrite Permission = "cases.write"

	PermIncidentsRead    Permission = "incidents.read"    // documentation records, testimony, evidence
	PermIncidentsWrite   Permission = "incidents.write"   //
	PermIncidentsPublish Permission = "incidents.publish" // release anonymized statistics

	PermStatsRead Permission = "stats.read" // anonymized statistics and their exports
)

// sensitivePermissions reach data of the sensitive class (THREAT-MODEL.md): identities of
// affected people, reporters' contact details, exact locations, testimony, case files, or
// the keys and accounts that guard them. A role holding any of them is a sensitive role.
var sensitivePermissions = map[Permission]bool{
	PermAccountsManage:   true, // could grant itself any role
	PermVaultManage:      true,
	PermOutboxRead:       true, // reset links are account takeovers
	PermResponseIntake:   true,
	PermResponseDispatch: true,
	PermResponseRespond:  true,
	PermResponseAlert:    true,
	PermCasesRead:        true,
	PermCasesWrite:       true,
	PermIncidentsRead:    true,
	PermIncidentsWrite:   true,
}

// permissions lists every permission; the administrator holds them all.
var permissions = []Permission{
	PermAccountsManage, PermSessionsManage, PermAPIKeysManage, PermAuditRead, PermVaultManage,
	PermRetentionManage, PermSettingsManage, PermOutboxRead,
	PermPeopleRead, PermPeopleWrite, PermPeopleExport,
	PermGivingRead, PermGivingWrite, PermGivingExport,
	PermCampaignsRead, PermCampaignsWrite, PermMessagingRead, PermMessagingSend,
	PermLibraryRead, PermLibraryWrite,
	PermResponseIntake, PermResponseDispatch, PermResponseRespond, PermResponseAlert, PermResponseSubmit,
	PermCasesRead, PermCasesWrite,
	PermIncidentsRead, PermIncidentsWrite, PermIncidentsPublish,
	PermStatsRead,
}

// grants is the permission table: what each role may do. Least privilege: a role gets what
// its work needs and no more; need-to-know inside a module (the people on a case) is the
// module's own check on top of this.
var grants = map[Role][]Permission{
	RoleAdministrator: permissions,
	RoleOrganizer: {
		PermPeopleRead, PermPeopleWrite, PermPeopleExport,
		PermGivingRead, PermGivingWrite, PermGivingExport,
		PermCampaignsRead, PermCampaignsWrite, PermMessagingRead, PermMessagingSend,
		PermLibraryRead, PermLibraryWrite, PermStatsRead,
	},
	RoleDispatcher: {
		PermResponseIntake, PermResponseDispatch, PermResponseRespond, PermResponseAlert, PermResponseSubmit,
		PermPeopleRead, PermLibraryRead, PermStatsRead,
	},
	RoleResponder: {
		PermResponseRespond, PermLibraryRead,
	},
	RoleCaseworker: {
		PermCasesRead, PermCasesWrite, PermIncidentsRead, PermIncidentsWrite,
		PermPeopleRead, PermLibraryRead, PermLibraryWrite, PermStatsRead,
	},
	RoleResearcher: {
		PermStatsRead, PermIncidentsPublish, PermLibraryRead, PermLibraryWrite,
	},
	RoleMember: {
		PermLibraryRead, PermCampaignsRead,
	},
	RolePartner: {
		PermLibraryRead, PermCampaignsRead, PermResponseSubmit,
	},
}

// Roles returns every role in display order.
func Roles() []Role { return slices.Clone(roles) }

// Permissions returns every permission.
func Permissions() []Permission { return slices.Clone(permissions) }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(roles, r) }

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool { return slices.Contains(grants[r], p) }

// Grants returns the role's permissions (a copy).
func (r Role) Grants() []Permission { return slices.Clone(grants[r]) }

// Sensitive reports whether the role can reach sensitive data. Sensitive roles must use a
// second factor from their next sign-in on, get shorter sessions, and cannot be given to
// API keys. It follows from the table: a role is sensitive when it holds any sensitive
// permission, so widening a role can never skip these rules.
func (r Role) Sensitive() bool {
	for _, p := range grants[r] {
		if sensitivePermissions[p] {
			return true
		}
	}
	return false
}

// Sensitive reports whether p reaches sensitive data.
func (p Permission) Sensitive() bool { return sensitivePermissions[p] }
