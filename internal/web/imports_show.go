package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmImportPage is the data of one import's page: the mapping form and preview while it
// waits to start (or after a dry run), the progress bar while it runs, and the counts and
// rejected rows once it is done.
type crmImportPage struct {
	Import  people.ImportPreview
	Columns []crmImportColumn
	Targets []crmImportTarget
	Tags    string
	Rejects []people.Reject
	Errors  crmErrors
	// Running is queued or importing; Refresh reloads the page every two seconds then,
	// unless the reader stopped it (?still=1).
	Running, Refresh bool
	// CanStart offers the mapping form: the file waits, or only a dry run has read it.
	CanStart bool
	// Labels names each import target in the page's language.
	Labels map[people.ImportField]string
}

// crmImportColumn is one column of the file with its mapping.
type crmImportColumn struct {
	Index  int
	Name   string
	Target string
}

// crmImportTarget is one choice of a column's select.
type crmImportTarget struct {
	Value, Label string
}

// importsShow shows one import.
func (s *Server) importsShow(w http.ResponseWriter, r *http.Request) {
	s.renderImport(w, r, http.StatusOK, nil, "", crmErrors{})
}

// renderImport renders the path's import; mapping and tags are the values of a start form
// that was refused (nil for the stored mapping).
func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, mapping people.Mapping, tags string, fe crmErrors) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.importPage(r.Context(), actor(r), id, stateOf(r).lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mapping != nil {
		for i := range p.Columns {
			if i < len(mapping) {
				p.Columns[i].Target = string(mapping[i])
			}
		}
	}
	p.Refresh = p.Running && r.URL.Query().Get("still") == ""
	p.Tags, p.Errors = tags, fe
	s.render(w, r, status, "crm_import", "crm.import.title", p)
}

func (s *Server) importPage(ctx context.Context, a auth.Actor, id int64, lang string) (crmImportPage, error) {
	pre, err := s.People.ImportPreview(ctx, a, id)
	if err != nil {
		return crmImportPage{}, err
	}
	imp := pre.Import
	p := crmImportPage{Import: pre, Running: imp.Status == people.ImportQueued || imp.Status == people.ImportRunning,
		CanStart: len(pre.Columns) > 0 && (imp.Status == people.ImportUploaded || imp.Status == people.ImportDone && imp.DryRun),
		Labels:   map[people.ImportField]string{}}
	loc := s.Catalog.Localizer(lang)
	p.Targets = append(p.Targets, crmImportTarget{Value: "", Label: loc.T("people.import.field.ignore")})
	for _, f := range people.ImportFields() {
		label := loc.T("people.import.field." + string(f))
		p.Labels[f] = label
		p.Targets = append(p.Targets, crmImportTarget{Value: string(f), Label: label})
	}
	defs, err := s.People.Fields(ctx, a)
	if err != nil {
		return crmImportPage{}, err
	}
	for _, d := range defs {
		f := people.CustomImportField(d.Key)
		p.Labels[f] = crmLabel(lang, d.LabelEn, d.LabelEs)
		p.Targets = append(p.Targets, crmImportTarget{Value: string(f), Label: p.Labels[f]})
	}
	for i, c := range pre.Columns {
		col := crmImportColumn{Index: i, Name: c}
		if i < len(imp.Mapping) {
			col.Target = string(imp.Mapping[i])
		}
		p.Columns = append(p.Columns, col)
	}
	if imp.Rejected > 0 {
		if p.Rejects, err = s.People.Rejects(ctx, a, id, people.MaxPageSize); err != nil {
			return crmImportPage{}, err
		}
	}
	return p, nil
}

// Label names the column a rejected row's reason concerns: an import target, or the
// person field it fills ("emails" is the e-mail column, "fields.<key>" a custom field's).
func (p crmImportPage) Label(field string) string {
	if custom, ok := strings.CutPrefix(field, "fields."); ok {
		field = string(people.CustomImportField(custom))
	}
	for _, f := range []string{field, strings.TrimSuffix(field, "s")} {
		if l, ok := p.Labels[people.ImportField(f)]; ok {
			return l
		}
	}
	return field
}

// ID is the import's id as text, for addresses.
func (p crmImportPage) ID() string { return strconv.FormatInt(p.Import.ID, 10) }

// Progress is the data of the progress bar's label: rows done and in all.
func (p crmImportPage) Progress() map[string]any {
	return map[string]any{"Done": p.Import.RowsDone, "Total": p.Import.RowsTotal}
}
