package web

import (
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/people"
)

// crmFieldForm is the custom field form as sent, or as stored. Choices are typed one per
// line as "value | English label | Spanish label" (a line with one part uses it for all
// three).
type crmFieldForm struct {
	Key, LabelEn, LabelEs, Kind, Choices, Position string
}

// crmReadField reads the custom field form of a POST.
func crmReadField(r *http.Request) crmFieldForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return crmFieldForm{Key: v("key"), LabelEn: v("label_en"), LabelEs: v("label_es"), Kind: v("kind"),
		Choices: r.PostFormValue("choices"), Position: v("position")}
}

// crmFormOfField fills the form with a stored definition.
func crmFormOfField(d people.FieldDef) crmFieldForm {
	var lines []string
	for _, c := range d.Choices {
		lines = append(lines, c.Value+" | "+c.LabelEn+" | "+c.LabelEs)
	}
	return crmFieldForm{Key: d.Key, LabelEn: d.LabelEn, LabelEs: d.LabelEs, Kind: string(d.Kind),
		Choices: strings.Join(lines, "\n"), Position: strconv.Itoa(d.Position)}
}

// Def is the form as the service takes it, or the field error of a position that cannot
// be read.
func (f crmFieldForm) Def() (people.FieldDef, crmErrors) {
	d := people.FieldDef{Key: f.Key, LabelEn: f.LabelEn, LabelEs: f.LabelEs, Kind: people.FieldKind(f.Kind)}
	for _, line := range strings.Split(f.Choices, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		c := people.Choice{Value: parts[0], LabelEn: parts[0], LabelEs: parts[0]}
		if len(parts) > 1 {
			c.LabelEn, c.LabelEs = parts[1], parts[1]
		}
		if len(parts) > 2 {
			c.LabelEs = parts[2]
		}
		if len(parts) > 3 {
			return d, crmFieldError("choices", "people.custom.choices_invalid")
		}
		d.Choices = append(d.Choices, c)
	}
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil || n < 0 || n > 10000 {
			return d, crmFieldError("position", "crm.position_invalid")
		}
		d.Position = n
	}
	return d, crmErrors{}
}

// crmFieldsPage is the data of the custom fields page and of one field's edit page.
type crmFieldsPage struct {
	Fields  []people.FieldDef
	Editing bool // the edit page of an existing field (its key and kind stay)
	Form    crmFieldForm
	Errors  crmErrors
	Kinds   []people.FieldKind
}

// renderFields renders the field list with the new-field form, or a field's edit page.
func (s *Server) renderFields(w http.ResponseWriter, r *http.Request, status int, p crmFieldsPage) {
	p.Kinds = []people.FieldKind{people.FieldText, people.FieldNumber, people.FieldDate, people.FieldChoice}
	if p.Editing {
		s.render(w, r, status, "admin_field", "crm.fields.edit_title", p)
		return
	}
	defs, err := s.People.Fields(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Fields = defs
	s.render(w, r, status, "admin_fields", "crm.fields.title", p)
}
