package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
)

// duplicatesMerge folds one person of a pair into the other, after a confirmation step
// that names both: keep is the one kept, the other (a or b) is merged into them and
// deleted. Every e-mail, phone, tag, affiliation and timeline entry moves to the one kept;
// the service audits the merge.
func (s *Server) duplicatesMerge(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	a, b, keep := crmID(r.PostFormValue("a")), crmID(r.PostFormValue("b")), crmID(r.PostFormValue("keep"))
	lose := a
	if keep == a {
		lose = b
	}
	if keep == 0 || lose == 0 || (keep != a && keep != b) {
		s.fail(w, r, errs.Invalid("keep", "crm.duplicates.choose"))
		return
	}
	ctx, who := r.Context(), actor(r)
	if !adminConfirmed(r) {
		k, err := s.People.Get(ctx, who, keep)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		l, err := s.People.Get(ctx, who, lose)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "crm_merge_confirm", "crm.duplicates.merge_heading", crmMergeConfirm{
			Keep: crmMergeSide{ID: keep, Name: k.Name(), Email: k.PrimaryEmail(), Phone: k.PrimaryPhone()},
			Lose: crmMergeSide{ID: lose, Name: l.Name(), Email: l.PrimaryEmail(), Phone: l.PrimaryPhone()},
			A:    strconv.FormatInt(a, 10), B: strconv.FormatInt(b, 10),
		})
		return
	}
	if _, err := s.People.Merge(ctx, who, keep, lose); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(keep), "crm.duplicates.flash.merged")
}

// crmMergeConfirm is the page that asks before merging two people.
type crmMergeConfirm struct {
	Keep, Lose crmMergeSide
	A, B       string
}

// crmMergeSide is one person of a merge, as the confirmation names them.
type crmMergeSide struct {
	ID                 int64
	Name, Email, Phone string
}
