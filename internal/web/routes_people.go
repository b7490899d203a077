package web

import "solidarity/internal/auth"

// peopleRoutes are the staff pages of the CRM: people, duplicates, segments, export,
// imports and organizations, and the administrators' membership tiers and custom fields.
// Reading needs people.read, every change people.write, the export people.export; tiers
// and custom fields are install-wide settings (settings.manage, which the people service
// requires for them too). Actions that are hard to undo (deleting a person, merging two,
// deleting a segment or a custom field) answer a first POST without confirm=yes with a
// page that asks for confirmation.
func (s *Server) peopleRoutes() []route {
	read, write, export := Access(auth.PermPeopleRead), Access(auth.PermPeopleWrite), Access(auth.PermPeopleExport)
	settings := Access(auth.PermSettingsManage)
	return []route{
		// People.
		{"GET /people", read, s.peopleList},
		{"GET /people/new", write, s.peopleNew},
		{"POST /people", write, s.peopleCreate},
		{"GET /people/{id}", read, s.peopleShow},
		{"GET /people/{id}/edit", write, s.peopleEdit},
		{"POST /people/{id}/edit", write, s.peopleUpdate},
		{"POST /people/{id}/delete", write, s.peopleDelete},
		{"POST /people/{id}/affiliations", write, s.peopleAffiliate},
		{"POST /people/{id}/affiliations/{org}/remove", write, s.peopleUnaffiliate},
		{"POST /people/{id}/membership", write, s.peopleMembership},
		{"POST /people/{id}/consent", write, s.peopleConsent},

		// Duplicates.
		{"GET /people/duplicates", write, s.duplicatesList},
		{"POST /people/duplicates/merge", write, s.duplicatesMerge},
		{"POST /people/duplicates/dismiss", write, s.duplicatesDismiss},

		// Segments and the export.
		{"GET /segments", read, s.segmentsList},
		{"POST /segments", write, s.segmentsSave},
		{"POST /segments/{id}/delete", write, s.segmentsDelete},
		{"GET /people/export", export, s.peopleExportForm},
		{"POST /people/export", export, s.peopleExport},

		// Imports.
		{"GET /imports", write, s.importsList},
		{"POST " + uploadPath, write, s.importsUpload},
		{"GET /imports/{id}", write, s.importsShow},
		{"POST /imports/{id}/start", write, s.importsStart},
		{"GET /imports/{id}/rejects.csv", write, s.importsRejects},

		// Organizations.
		{"GET /organizations", read, s.organizationsList},
		{"GET /organizations/new", write, s.organizationsNew},
		{"POST /organizations", write, s.organizationsCreate},
		{"GET /organizations/{id}", read, s.organizationsShow},
		{"POST /organizations/{id}", write, s.organizationsUpdate},

		// Membership tiers and custom fields.
		{"GET /admin/tiers", settings, s.tiersList},
		{"POST /admin/tiers", settings, s.tiersCreate},
		{"GET /admin/tiers/{id}", settings, s.tiersEdit},
		{"POST /admin/tiers/{id}", settings, s.tiersUpdate},
		{"GET /admin/fields", settings, s.fieldsList},
		{"POST /admin/fields", settings, s.fieldsSave},
		{"GET /admin/fields/{key}", settings, s.fieldsEdit},
		{"POST /admin/fields/{key}/delete", settings, s.fieldsDelete},
	}
}
