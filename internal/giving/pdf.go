package giving

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"solidarity/internal/i18n"
)

// pdfDoc is a one-column US Letter document in the PDF core fonts. The core fonts speak
// cp1252, so every string goes through the translator: Spanish accents, ñ, ¿ and ¡ print
// as they should (anything cp1252 lacks would print as a stand-in, never break the file).
type pdfDoc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
	w   float64 // the width between the margins
}

func newPDF(lang, title string) *pdfDoc {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetTitle(title, true)
	pdf.SetLang(lang)
	pdf.SetCreator("Solidarity", true)
	pdf.AddPage()
	width, _ := pdf.GetPageSize()
	return &pdfDoc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), w: width - 40}
}

// heading prints the organization's name and the document's title.
func (d *pdfDoc) heading(org, taxLine, title string) {
	d.pdf.SetFont("Helvetica", "B", 16)
	d.pdf.MultiCell(d.w, 8, d.tr(org), "", "L", false)
	if taxLine != "" {
		d.pdf.SetFont("Helvetica", "", 10)
		d.pdf.MultiCell(d.w, 5, d.tr(taxLine), "", "L", false)
	}
	d.pdf.Ln(6)
	d.pdf.SetFont("Helvetica", "B", 13)
	d.pdf.MultiCell(d.w, 7, d.tr(title), "", "L", false)
	d.pdf.Ln(3)
}

// details prints labelled facts, one a line.
func (d *pdfDoc) details(ds []detail) {
	label := d.w * 0.35
	for _, x := range ds {
		d.pdf.SetFont("Helvetica", "B", 11)
		d.pdf.CellFormat(label, 7, d.tr(x.Label), "", 0, "L", false, 0, "")
		d.pdf.SetFont("Helvetica", "", 11)
		d.pdf.MultiCell(d.w-label, 7, d.tr(x.Value), "", "L", false)
	}
	d.pdf.Ln(4)
}

// table prints a table with a header row; widths are fractions of the line and align says
// each column's alignment ("L" or "R"). The header repeats on every new page.
func (d *pdfDoc) table(columns []string, widths []float64, align string, rows [][]string) {
	header := func() {
		d.pdf.SetFont("Helvetica", "B", 10)
		for i, c := range columns {
			d.pdf.CellFormat(d.w*widths[i], 7, d.tr(c), "B", 0, string(align[i]), false, 0, "")
		}
		d.pdf.Ln(-1)
		d.pdf.SetFont("Helvetica", "", 10)
	}
	header()
	_, pageHeight := d.pdf.GetPageSize()
	for _, row := range rows {
		if d.pdf.GetY()+7 > pageHeight-20 {
			d.pdf.AddPage()
			header()
		}
		for i, cell := range row {
			d.pdf.CellFormat(d.w*widths[i], 6.5, d.tr(fit(cell, 48)), "", 0, string(align[i]), false, 0, "")
		}
		d.pdf.Ln(-1)
	}
	d.pdf.Ln(3)
}

// paragraph prints wrapped text.
func (d *pdfDoc) paragraph(text string, size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont("Helvetica", style, size)
	d.pdf.MultiCell(d.w, size*0.5, d.tr(text), "", "L", false)
	d.pdf.Ln(3)
}

// bytes finishes the document.
func (d *pdfDoc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("giving: write pdf: %w", err)
	}
	return b.Bytes(), nil
}

// fit cuts s to n characters, so that a long fund name cannot run over the next column.
func fit(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// taxLine is the line under the organization's name: its tax id, when it has one.
func taxLine(t *i18n.Localizer, taxID string) string {
	if taxID == "" {
		return ""
	}
	return t.T("giving.receipt.field.tax_id") + ": " + taxID
}

// receiptPDF renders a gift's receipt in the donor's language.
func (s *Service) receiptPDF(r Receipt) ([]byte, error) {
	t := s.catalog.Localizer(r.Language)
	title := t.T("giving.receipt.pdf.title", map[string]any{"Number": r.Number})
	d := newPDF(r.Language, title)
	d.heading(r.Org, taxLine(t, r.TaxID), title)
	var ds []detail
	for _, x := range s.receiptDetails(r) {
		// The organization and its tax id are in the heading already.
		if x.Label != t.T("giving.receipt.field.org") && x.Label != t.T("giving.receipt.field.tax_id") {
			ds = append(ds, x)
		}
	}
	d.details(ds)
	d.paragraph(t.T("giving.receipt.pdf.thanks", map[string]any{"Org": r.Org}), 11, false)
	if r.TaxStatement != "" {
		d.paragraph(r.TaxStatement, 10, false)
	}
	d.paragraph(t.T("giving.receipt.mail.keep"), 9, false)
	return d.bytes()
}

// statementPDF renders an annual statement in its language.
func (s *Service) statementPDF(st Statement) ([]byte, error) {
	t := s.catalog.Localizer(st.Language)
	title := t.T("giving.statement.pdf.title", map[string]any{"Year": st.Year})
	d := newPDF(st.Language, title)
	d.heading(st.Org, taxLine(t, st.TaxID), title)
	if st.DonorName != "" {
		d.details([]detail{{t.T("giving.receipt.field.donor"), st.DonorName}})
	}
	if len(st.Gifts) == 0 {
		d.paragraph(t.T("giving.statement.none", map[string]any{"Year": st.Year}), 11, false)
	} else {
		d.table(statementColumns(t), []float64{0.28, 0.14, 0.2, 0.2, 0.18}, "LLLLR", statementRows(t, st))
		for _, total := range st.Totals {
			d.paragraph(t.T("giving.statement.total", map[string]any{"Amount": total}), 11, true)
		}
	}
	if st.TaxStatement != "" {
		d.paragraph(st.TaxStatement, 10, false)
	}
	d.paragraph(strings.TrimSpace(t.T("giving.statement.pdf.note")), 9, false)
	return d.bytes()
}
