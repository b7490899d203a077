package web

import (
	"net/http"
	"strconv"
)

// givingReceiptPDF downloads the PDF receipt a mailed link opens (/receipts/<token>.pdf).
// No account is needed: the link is the key. An unknown or expired link is a 404.
func (s *Server) givingReceiptPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.Giving.ReceiptPDF(r.Context(), r.PathValue("file"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	givingSendPDF(w, b, name)
}

// givingStatementPDF downloads the PDF annual statement a mailed link opens
// (/statements/<token>.pdf).
func (s *Server) givingStatementPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.Giving.StatementPDF(r.Context(), r.PathValue("file"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	givingSendPDF(w, b, name)
}

// givingSendPDF answers with a PDF that browsers show inline and nobody caches: it holds
// a donor's name and gifts, and its address is a key.
func givingSendPDF(w http.ResponseWriter, b []byte, name string) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}
