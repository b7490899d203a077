package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/response"
)

// checklistPage is the data of the checklist settings.
type checklistPage struct {
	Items []checklistLine
	// New is the add form as sent, when it was refused.
	New    checklistLine
	Failed int64 // the item whose form was refused (-1 for the add form, 0 for none)
	Errors crmErrors
}

// checklistLine is one item as the settings show it.
type checklistLine struct {
	ID       int64
	Label    string // in the page's language
	BuiltIn  bool
	LabelEn  string
	LabelEs  string
	Position int
	Active   bool
}

// responseBoardChecklist shows the verification checklist's settings: every item with its
// order and whether it is used, and a form to add one (labels in both languages).
func (s *Server) responseBoardChecklist(w http.ResponseWriter, r *http.Request) {
	s.renderChecklist(w, r, http.StatusOK, checklistPage{New: checklistLine{Active: true}})
}

func (s *Server) renderChecklist(w http.ResponseWriter, r *http.Request, status int, p checklistPage) {
	items, err := s.Response.Checklist(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := stateOf(r)
	for _, it := range items {
		line := checklistLine{ID: it.ID, Label: it.Label(st.lang), BuiltIn: it.Code != "", LabelEn: it.LabelEn, LabelEs: it.LabelEs,
			Position: it.Position, Active: it.Active}
		if k := it.Key(); k != "" {
			line.Label = st.loc.T(k)
		}
		p.Items = append(p.Items, line)
	}
	s.render(w, r, status, "response_board_checklist", "response.checklist.settings", p)
}

// responseBoardChecklistSave adds an item (id 0) or changes one.
func (s *Server) responseBoardChecklistSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	id := crmID(field(r, "id"))
	pos, err := strconv.Atoi(field(r, "position"))
	if err != nil {
		pos = -1
	}
	in := response.ChecklistItemInput{LabelEn: field(r, "label_en"), LabelEs: field(r, "label_es"), Position: pos,
		Active: r.PostFormValue("active") != ""}
	if _, err := s.Response.SaveChecklistItem(r.Context(), actor(r), id, in); err != nil {
		fe, status, ok := crmInvalid(err, nil)
		if !ok {
			s.fail(w, r, err)
			return
		}
		p := checklistPage{Errors: fe, Failed: id, New: checklistLine{Active: true}}
		if id == 0 {
			p.Failed = -1
			p.New = checklistLine{LabelEn: in.LabelEn, LabelEs: in.LabelEs, Position: max(pos, 0), Active: in.Active}
		}
		s.renderChecklist(w, r, status, p)
		return
	}
	s.redirect(w, r, "/response/checklist", "response.checklist.settings_saved")
}
