package giving

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"solidarity/internal/notify"
)

// letter is one e-mail of the books before rendering: every string already translated.
type letter struct {
	Lang       string
	Subject    string
	Greeting   string
	Paragraphs []string
	// Details are the labelled facts (receipt number, date, amount…), as a list of terms.
	Details []detail
	// Rows and Total are a statement's gifts, as a table.
	Rows    [][]string
	Columns []string
	Total   string
	Action  string
	Link    string
	// Manage is the link to change or cancel a monthly gift, with its words.
	ManageText string
	Manage     string
	Footer     []string
}

// detail is one labelled fact of a receipt.
type detail struct{ Label, Value string }

// letterHTML is plain, accessible HTML: no images, no tracking, no external resources.
var letterHTML = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em;margin:0 auto;padding:1em">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Details}}<table style="border-collapse:collapse;margin:1em 0">
{{range .Details}}<tr><th scope="row" style="text-align:left;padding:.25em 1em .25em 0;font-weight:600">{{.Label}}</th><td style="padding:.25em 0">{{.Value}}</td></tr>
{{end}}</table>
{{end}}{{if .Rows}}<table style="border-collapse:collapse;margin:1em 0;width:100%">
<thead><tr>{{range .Columns}}<th scope="col" style="text-align:left;border-bottom:1px solid #999;padding:.25em .5em .25em 0">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td style="padding:.25em .5em .25em 0;border-bottom:1px solid #ddd">{{.}}</td>{{end}}</tr>
{{end}}</tbody></table>
<p style="font-weight:600">{{.Total}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">{{.Action}}</a></p>
<p style="font-size:14px;word-break:break-all">{{.Link}}</p>
{{end}}{{if .Manage}}<p>{{.ManageText}}<br><a href="{{.Manage}}" style="word-break:break-all">{{.Manage}}</a></p>
{{end}}{{range .Footer}}<p style="font-size:14px;color:#555">{{.}}</p>
{{end}}</body></html>
`))

// email renders the letter into the text and HTML parts of one message.
func (l letter) email(to, purpose string) (notify.Email, error) {
	var text strings.Builder
	text.WriteString(l.Greeting + "\n\n")
	for _, p := range l.Paragraphs {
		text.WriteString(p + "\n\n")
	}
	for _, d := range l.Details {
		text.WriteString(d.Label + ": " + d.Value + "\n")
	}
	if len(l.Details) > 0 {
		text.WriteString("\n")
	}
	if len(l.Rows) > 0 {
		text.WriteString(strings.Join(l.Columns, " | ") + "\n")
		for _, row := range l.Rows {
			text.WriteString(strings.Join(row, " | ") + "\n")
		}
		text.WriteString("\n" + l.Total + "\n\n")
	}
	if l.Link != "" {
		text.WriteString(l.Action + ":\n" + l.Link + "\n\n")
	}
	if l.Manage != "" {
		text.WriteString(l.ManageText + "\n" + l.Manage + "\n\n")
	}
	for _, f := range l.Footer {
		text.WriteString(f + "\n\n")
	}
	var html bytes.Buffer
	if err := letterHTML.Execute(&html, l); err != nil {
		return notify.Email{}, fmt.Errorf("giving: render %s mail: %w", purpose, err)
	}
	return notify.Email{To: to, Subject: l.Subject, Text: strings.TrimRight(text.String(), "\n") + "\n",
		HTML: html.String(), Purpose: purpose}, nil
}

// greeting is "Hello María," or, with no name, "Hello,".
func greeting(t interface{ T(string, ...any) string }, name string) string {
	if name == "" {
		return t.T("giving.receipt.mail.greeting_anonymous")
	}
	return t.T("giving.receipt.mail.greeting", map[string]any{"Name": name})
}

// receiptDetails are the labelled facts of a receipt in its language, shared by the
// e-mail and the PDF.
func (s *Service) receiptDetails(r Receipt) []detail {
	t := s.catalog.Localizer(r.Language)
	d := []detail{
		{t.T("giving.receipt.field.number"), fmt.Sprint(r.Number)},
		{t.T("giving.receipt.field.date"), longDate(t, r.ReceivedAt)},
		{t.T("giving.receipt.field.amount"), r.Amount()},
		{t.T("giving.receipt.field.method"), t.T(MethodKey(r.Method))},
	}
	if r.Fund != "" {
		d = append(d, detail{t.T("giving.receipt.field.fund"), r.Fund})
	}
	if r.Reference != "" {
		d = append(d, detail{t.T("giving.receipt.field.reference"), r.Reference})
	}
	if r.DonorName != "" {
		d = append(d, detail{t.T("giving.receipt.field.donor"), r.DonorName})
	}
	if r.RefundedCents > 0 {
		d = append(d, detail{t.T("giving.receipt.field.refunded"), FormatAmount(r.RefundedCents, r.Currency)})
	}
	d = append(d, detail{t.T("giving.receipt.field.org"), r.Org})
	if r.TaxID != "" {
		d = append(d, detail{t.T("giving.receipt.field.tax_id"), r.TaxID})
	}
	return d
}

// receiptEmail is the receipt e-mail of r, in the donor's language, with the PDF link and,
// for a monthly gift, the link to manage it.
func (s *Service) receiptEmail(r Receipt, pdf, manage string) (notify.Email, error) {
	t := s.catalog.Localizer(r.Language)
	data := map[string]any{"Number": r.Number, "Org": r.Org, "Amount": r.Amount(), "Date": longDate(t, r.ReceivedAt)}
	l := letter{
		Lang:       t.Lang.Code,
		Subject:    t.T("giving.receipt.mail.subject", data),
		Greeting:   greeting(t, r.DonorName),
		Paragraphs: []string{t.T("giving.receipt.mail.body", data)},
		Details:    s.receiptDetails(r),
		Action:     t.T("giving.receipt.mail.action"),
		Link:       pdf,
		Footer: []string{t.T("giving.receipt.mail.keep"),
			t.T("giving.receipt.mail.statement", map[string]any{"URL": s.link(StatementFormPath)})},
	}
	if r.TaxStatement != "" {
		l.Paragraphs = append(l.Paragraphs, r.TaxStatement)
	}
	if manage != "" {
		l.ManageText, l.Manage = t.T("giving.receipt.mail.manage"), manage
	}
	return l.email(r.DonorEmail, "giving.receipt")
}
