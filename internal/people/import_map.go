package people

import (
	"strings"

	"solidarity/internal/errs"
)

// ImportField is what one CSV column holds: a person field, "field:<key>" for a custom
// field, or "" to ignore the column.
type ImportField string

// The import targets.
const (
	ImportIgnore       ImportField = ""
	ImportGivenName    ImportField = "given_name"
	ImportFamilyName   ImportField = "family_name"
	ImportFullName     ImportField = "full_name" // split at the last space
	ImportEmail        ImportField = "email"     // may be mapped several times
	ImportPhone        ImportField = "phone"     // may be mapped several times
	ImportStreet       ImportField = "street"
	ImportStreet2      ImportField = "street2"
	ImportCity         ImportField = "city"
	ImportState        ImportField = "state"
	ImportCounty       ImportField = "county"
	ImportZIP          ImportField = "zip"
	ImportCountry      ImportField = "country"
	ImportLanguage     ImportField = "language"
	ImportTags         ImportField = "tags" // separated by commas or semicolons
	ImportNotes        ImportField = "notes"
	ImportEmailConsent ImportField = "email_consent" // subscribed / unsubscribed, yes / no…
	ImportSMSConsent   ImportField = "sms_consent"
	ImportEmailOptOut  ImportField = "email_opt_out" // a true value revokes e-mail consent (CiviCRM "Do Not Email")
	ImportSMSOptOut    ImportField = "sms_opt_out"
	ImportExternalID   ImportField = "external_id" // the id in the tool the file came from
)

// ImportFields lists the fixed targets in the order a mapping form offers them.
func ImportFields() []ImportField {
	return []ImportField{ImportGivenName, ImportFamilyName, ImportFullName, ImportEmail, ImportPhone, ImportStreet,
		ImportStreet2, ImportCity, ImportState, ImportCounty, ImportZIP, ImportCountry, ImportLanguage, ImportTags,
		ImportNotes, ImportEmailConsent, ImportSMSConsent, ImportEmailOptOut, ImportSMSOptOut, ImportExternalID}
}

// CustomImportField returns the target for the custom field key.
func CustomImportField(key string) ImportField { return ImportField("field:" + key) }

// Mapping gives the target of each column, by position.
type Mapping []ImportField

// ImportSource is the tool an import file came from, recognized by its columns.
type ImportSource string

// The sources recognized.
const (
	SourceActionNetwork ImportSource = "actionnetwork"
	SourceCiviCRM       ImportSource = "civicrm"
	SourceCSV           ImportSource = "csv"
)

// aliases maps folded column names to targets: our own export's names, the names Action
// Network and CiviCRM exports use, and common English and Spanish ones.
var aliases = map[string]ImportField{
	"given name": ImportGivenName, "first name": ImportGivenName, "firstname": ImportGivenName, "first": ImportGivenName,
	"fname": ImportGivenName, "nombre": ImportGivenName, "nombres": ImportGivenName,
	"family name": ImportFamilyName, "last name": ImportFamilyName, "lastname": ImportFamilyName, "last": ImportFamilyName,
	"surname": ImportFamilyName, "lname": ImportFamilyName, "apellido": ImportFamilyName, "apellidos": ImportFamilyName,
	"name": ImportFullName, "full name": ImportFullName, "display name": ImportFullName, "nombre completo": ImportFullName,
	"email": ImportEmail, "e mail": ImportEmail, "email address": ImportEmail, "primary email": ImportEmail,
	"email primary": ImportEmail, "correo": ImportEmail, "correo electronico": ImportEmail, "email 2": ImportEmail,
	"phone": ImportPhone, "phone number": ImportPhone, "can2 phone": ImportPhone, "can2 sms phone": ImportPhone,
	"mobile": ImportPhone, "mobile number": ImportPhone, "mobile phone": ImportPhone, "cell": ImportPhone,
	"cell phone": ImportPhone, "phone primary": ImportPhone, "telefono": ImportPhone, "celular": ImportPhone,
	"street": ImportStreet, "address": ImportStreet, "street address": ImportStreet, "address line": ImportStreet,
	"address line 1": ImportStreet, "address1": ImportStreet, "can2 user address": ImportStreet, "direccion": ImportStreet,
	"street2": ImportStreet2, "address line 2": ImportStreet2, "address2": ImportStreet2, "supplemental address 1": ImportStreet2,
	"city": ImportCity, "can2 user city": ImportCity, "ciudad": ImportCity, "locality": ImportCity,
	"state": ImportState, "can2 state abbreviated": ImportState, "state abbreviated": ImportState, "state province": ImportState,
	"estado": ImportState, "region": ImportState,
	"county": ImportCounty, "can2 county": ImportCounty, "condado": ImportCounty,
	"zip": ImportZIP, "zip code": ImportZIP, "zipcode": ImportZIP, "postal code": ImportZIP, "postcode": ImportZIP,
	"codigo postal": ImportZIP, "can2 zip code": ImportZIP,
	"country": ImportCountry, "can2 country": ImportCountry, "pais": ImportCountry,
	"language": ImportLanguage, "preferred language": ImportLanguage, "idioma": ImportLanguage,
	"tags": ImportTags, "tag": ImportTags, "tag s": ImportTags, "can2 user tags": ImportTags, "etiquetas": ImportTags,
	"notes": ImportNotes, "note": ImportNotes, "notas": ImportNotes, "comments": ImportNotes,
	"email consent": ImportEmailConsent, "can2 subscription status": ImportEmailConsent, "subscription status": ImportEmailConsent,
	"email subscription status": ImportEmailConsent, "email status": ImportEmailConsent, "email opt in": ImportEmailConsent,
	"sms consent": ImportSMSConsent, "can2 sms status": ImportSMSConsent, "sms status": ImportSMSConsent,
	"sms opt in": ImportSMSConsent, "sms subscription status": ImportSMSConsent,
	"do not email": ImportEmailOptOut, "is opt out": ImportEmailOptOut, "email opt out": ImportEmailOptOut,
	"do not sms": ImportSMSOptOut, "sms opt out": ImportSMSOptOut,
	"external id": ImportExternalID, "uuid": ImportExternalID, "contact id": ImportExternalID, "can2 uuid": ImportExternalID,
	"action network id": ImportExternalID, "civicrm id": ImportExternalID,
}

// AutoMap guesses each column's target from its name; custom fields match their key or a
// label. A column whose name is unknown is ignored, and a single-valued target is mapped
// once (the first column wins).
func AutoMap(header []string, defs []FieldDef) Mapping {
	custom := map[string]ImportField{}
	for _, d := range defs {
		for _, n := range []string{d.Key, d.LabelEn, d.LabelEs} {
			custom[Fold(n)] = CustomImportField(d.Key)
		}
	}
	m := make(Mapping, len(header))
	used := map[ImportField]bool{}
	for i, h := range header {
		k := Fold(strings.TrimPrefix(h, "\ufeff"))
		t, ok := aliases[k]
		if !ok {
			t = custom[k]
		}
		if t == ImportIgnore || (used[t] && !t.multi()) {
			continue
		}
		used[t] = true
		m[i] = t
	}
	return m
}

// DetectSource names the tool a header comes from.
func DetectSource(header []string) ImportSource {
	for _, h := range header {
		k := Fold(h)
		if strings.HasPrefix(k, "can2 ") || k == "zip code" && containsFolded(header, "first name") && containsFolded(header, "uuid") {
			return SourceActionNetwork
		}
		if k == "contact id" || k == "sort name" || k == "do not email" {
			return SourceCiviCRM
		}
	}
	return SourceCSV
}

func containsFolded(header []string, name string) bool {
	for _, h := range header {
		if Fold(h) == name {
			return true
		}
	}
	return false
}

func (f ImportField) multi() bool { return f == ImportEmail || f == ImportPhone || f == ImportTags }

// customKey returns the custom field key of a "field:<key>" target.
func (f ImportField) customKey() (string, bool) {
	return strings.CutPrefix(string(f), "field:")
}

// validate checks a mapping against a header and the custom fields: every target known,
// single-valued ones mapped once, and something that identifies a person mapped.
func (m Mapping) validate(columns int, defs []FieldDef) error {
	if len(m) != columns {
		return errs.Invalid("mapping", "people.import.mapping_columns")
	}
	known := map[ImportField]bool{}
	for _, f := range ImportFields() {
		known[f] = true
	}
	for _, d := range defs {
		known[CustomImportField(d.Key)] = true
	}
	used := map[ImportField]bool{}
	for _, f := range m {
		if f == ImportIgnore {
			continue
		}
		if !known[f] {
			return errs.Invalid("mapping", "people.import.mapping_unknown")
		}
		if used[f] && !f.multi() {
			return errs.Invalid("mapping", "people.import.mapping_twice")
		}
		used[f] = true
	}
	if !used[ImportEmail] && !used[ImportPhone] && !used[ImportExternalID] {
		return errs.Invalid("mapping", "people.import.mapping_identity")
	}
	return nil
}
