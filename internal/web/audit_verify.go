package web

import (
	"errors"
	"net/http"

	"solidarity/internal/audit"
)

// adminAuditVerified is the data of the verification result.
type adminAuditVerified struct {
	Intact   bool
	Count    int
	Seq      int64  // the first broken entry
	Reason   string // message key of why it is broken
	HeadSeq  int64
	HeadHash string
}

// adminAuditVerify recomputes the whole chain and says whether it is intact (with the
// number of entries checked) or names the first entry that was changed or removed. The
// head (newest seq and hash) is shown so that it can be copied somewhere outside the
// server: a later check against that copy catches even a rewrite of the whole chain.
func (s *Server) adminAuditVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := audit.Verify(ctx, s.DB)
	p := adminAuditVerified{Intact: err == nil, Count: n}
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		p.Seq, p.Reason = broken.Seq, "audit.reason."+broken.Reason
		s.Log.Warn("audit chain broken", "seq", broken.Seq, "reason", broken.Reason)
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if p.Intact {
		if p.HeadSeq, p.HeadHash, err = audit.Head(ctx, s.DB); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "admin_audit_verify", "admin.audit.verify.title", p)
}
