package response

import (
	"bytes"
	"html/template"
	"strings"

	"solidarity/internal/notify"
)

// alertLetter is one e-mail to a subscriber before rendering, every string translated.
type alertLetter struct {
	Lang       string
	Subject    string
	Paragraphs []string
	Action     string
	Link       string
	// LeaveText and LeaveLink end every e-mail: how to stop, without an account.
	LeaveText string
	LeaveLink string
	Purpose   string
}

// alertLetterHTML is plain, accessible HTML: no images, no tracking, no external
// resources.
var alertLetterHTML = template.Must(template.New("alert-letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36em;margin:0 auto;padding:1em">
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">{{.Action}}</a></p>
<p style="font-size:14px;word-break:break-all">{{.Link}}</p>
{{end}}<p style="font-size:14px;color:#555">{{.LeaveText}} <a href="{{.LeaveLink}}" style="color:#555">{{.LeaveLink}}</a></p>
</body></html>
`))

// email renders the letter to one address, as a sensitive message: the delivery log keeps
// the subscriber's address encrypted.
func (l alertLetter) email(to string) notify.Email {
	var text strings.Builder
	for _, p := range l.Paragraphs {
		text.WriteString(p + "\n\n")
	}
	if l.Link != "" {
		text.WriteString(l.Action + ":\n" + l.Link + "\n\n")
	}
	text.WriteString(l.LeaveText + "\n" + l.LeaveLink + "\n")
	var html bytes.Buffer
	if err := alertLetterHTML.Execute(&html, l); err != nil {
		html.Reset() // cannot happen with strings; the text part is enough
	}
	return notify.Email{To: to, Subject: l.Subject, Text: text.String(), HTML: html.String(), Purpose: l.Purpose, Sensitive: true}
}

// subscribeLetter is the confirmation e-mail of a subscription, in lang.
func (s *Service) subscribeLetter(lang string, zips []string, confirm, leave string) alertLetter {
	t := s.catalog.Localizer(lang)
	data := map[string]any{"ZIPs": strings.Join(zips, ", "), "Days": int(SubscribeConfirmTTL.Hours() / 24)}
	return alertLetter{
		Lang:       t.Lang.Code,
		Subject:    t.T("alerts.mail.confirm.subject"),
		Paragraphs: []string{t.T("alerts.mail.confirm.body", data), t.T("alerts.mail.confirm.ignore", data)},
		Action:     t.T("alerts.mail.confirm.action"),
		Link:       confirm,
		LeaveText:  t.T("alerts.mail.leave"),
		LeaveLink:  leave,
		Purpose:    "response.alerts_confirm",
	}
}
