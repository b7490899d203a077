package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"solidarity/internal/errs"
)

// crmUploadOverhead is what a multipart body may hold beyond the file itself: its part
// headers and boundaries.
const crmUploadOverhead = 64 << 10

// importsUpload takes a CSV file (multipart, field "file") and stores it through the
// service, which counts its rows and proposes a column mapping; then the import's page
// shows the mapping and a preview. The middleware's 1 MiB body cap is lifted for this
// route only, and replaced here by the import limit. The file is read as a stream
// straight into the service: it never touches this node's disk. Too large a file gets a
// translated 413 on the upload form.
func (s *Server) importsUpload(w http.ResponseWriter, r *http.Request) {
	limit := s.People.MaxImportBytes() + crmUploadOverhead
	if r.ContentLength > limit {
		s.renderImports(w, r, http.StatusRequestEntityTooLarge, crmFieldError("file", "people.import.too_large"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderImports(w, r, http.StatusUnprocessableEntity, crmFieldError("file", "crm.imports.choose_file"))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil { // malformed multipart, or over the limit
			s.uploadFailed(w, r, err, true)
			return
		}
		if part.FormName() != "file" {
			continue
		}
		if part.FileName() == "" {
			break
		}
		pre, err := s.People.UploadImport(r.Context(), actor(r), part.FileName(), part)
		if err != nil {
			s.uploadFailed(w, r, err, false)
			return
		}
		s.redirect(w, r, "/imports/"+strconv.FormatInt(pre.ID, 10), "crm.imports.flash.uploaded")
		return
	}
	s.renderImports(w, r, http.StatusUnprocessableEntity, crmFieldError("file", "crm.imports.choose_file"))
}

// uploadFailed answers a refused upload on the upload form: 413 when the body or the file
// is over the limit, 422 for a file that cannot be read as CSV or a body that is not a
// form with a file (fromClient: an error of the multipart reader, which is the sender's).
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, err error, fromClient bool) {
	var tooLarge *http.MaxBytesError
	switch fe, status, ok := crmInvalid(err, nil); {
	case errors.As(err, &tooLarge) || errs.As(err).Key == "people.import.too_large":
		s.renderImports(w, r, http.StatusRequestEntityTooLarge, crmFieldError("file", "people.import.too_large"))
	case ok:
		s.renderImports(w, r, status, fe)
	case fromClient || errors.Is(err, io.ErrUnexpectedEOF):
		s.renderImports(w, r, http.StatusUnprocessableEntity, crmFieldError("file", "crm.imports.choose_file"))
	default:
		s.fail(w, r, err)
	}
}
