package people

import (
	"strings"

	"solidarity/internal/errs"
)

// rawRow is one record of an import file.
type rawRow struct {
	num       int // the record's number in the file, the header being 1
	cells     []string
	malformed bool
}

// plan is what one valid row asks for.
type plan struct {
	num          int
	in           PersonInput
	fields       map[int64]string
	emailConsent ConsentStatus // "" leaves consent as it is
	smsConsent   ConsentStatus
	ref          string
	// key, sound and words are the name's keys, worked out with the parse.
	key, sound string
	words      []string
}

// parseRow reads one row through the mapping and normalizes it; a row that cannot be
// imported comes back as an error with the column and the reason.
func (b *batcher) parseRow(r rawRow) (plan, *errs.Error) {
	p := plan{num: r.num}
	switch {
	case r.malformed:
		return p, errs.Invalid("", "people.import.malformed")
	case len(r.cells) != len(b.imp.Mapping):
		return p, errs.Invalid("", "people.import.ragged")
	}
	in := &p.in
	var full string
	for i, t := range b.imp.Mapping {
		if t == ImportIgnore {
			continue
		}
		cell := r.cells[i]
		if len(cell) > MaxCellBytes {
			return p, errs.Invalid(string(t), "people.import.cell_too_large")
		}
		switch t {
		case ImportGivenName:
			in.GivenName = cell
		case ImportFamilyName:
			in.FamilyName = cell
		case ImportFullName:
			full = cell
		case ImportEmail:
			if strings.TrimSpace(cell) != "" {
				in.Emails = append(in.Emails, cell)
			}
		case ImportPhone:
			if strings.TrimSpace(cell) != "" {
				in.Phones = append(in.Phones, cell)
			}
		case ImportStreet:
			in.Address.Street = cell
		case ImportStreet2:
			in.Address.Street2 = cell
		case ImportCity:
			in.Address.City = cell
		case ImportState:
			in.Address.State = cell
		case ImportCounty:
			in.Address.County = cell
		case ImportZIP:
			in.Address.ZIP = cell
		case ImportCountry:
			in.Address.Country = cell
		case ImportLanguage:
			in.Language = cell
		case ImportTags:
			in.Tags = append(in.Tags, strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' })...)
		case ImportNotes:
			in.Notes = cell
		case ImportEmailConsent, ImportSMSConsent, ImportEmailOptOut, ImportSMSOptOut:
			st, ok := parseConsentCell(cell, t == ImportEmailOptOut || t == ImportSMSOptOut)
			if !ok {
				return p, errs.Invalid(string(t), "people.import.consent_invalid")
			}
			if t == ImportEmailConsent || t == ImportEmailOptOut {
				if st != "" {
					p.emailConsent = st
				}
			} else if st != "" {
				p.smsConsent = st
			}
		case ImportExternalID:
			p.ref, _ = cleanText(cell, 100)
		default:
			if key, ok := t.customKey(); ok && strings.TrimSpace(cell) != "" {
				if in.Fields == nil {
					in.Fields = map[string]string{}
				}
				in.Fields[key] = cell
			}
		}
	}
	if full != "" && in.GivenName == "" && in.FamilyName == "" {
		full, _ = cleanText(full, maxName*2+1)
		if i := strings.LastIndexByte(full, ' '); i > 0 {
			in.GivenName, in.FamilyName = full[:i], full[i+1:]
		} else {
			in.GivenName = full
		}
	}
	if l := in.normalize(b.s.cfg.DefaultRegion); len(l) > 0 {
		return p, l[0]
	}
	if len(in.Fields) > 0 {
		var l errs.List
		p.fields, l = fieldValues(b.defs, in.Fields)
		if len(l) > 0 {
			return p, l[0]
		}
	}
	if len(in.Emails) == 0 && len(in.Phones) == 0 && p.ref == "" {
		return p, errs.Invalid("", "people.import.no_contact")
	}
	in.Tags = append(in.Tags, b.imp.Tags...)
	return p, nil
}

// parseConsentCell reads a consent cell: the words Action Network, CiviCRM and people use
// for yes and no. In an opt-out column ("Do Not Email") a true value revokes consent and
// a false one says nothing. "bouncing" says nothing about consent.
func parseConsentCell(cell string, optOut bool) (ConsentStatus, bool) {
	yes, no := ConsentGranted, ConsentRevoked
	if optOut {
		yes, no = ConsentRevoked, ""
	}
	switch Fold(cell) {
	case "":
		return "", true
	case "subscribed", "yes", "y", "true", "1", "si", "opted in", "opt in", "granted", "confirmed":
		return yes, true
	case "unsubscribed", "no", "n", "false", "0", "opted out", "opt out", "revoked", "stop", "spam complaint", "complained":
		return no, true
	case "bouncing", "bounced", "pending":
		return "", true
	}
	return "", false
}
