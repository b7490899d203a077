package people

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"solidarity/internal/notify"
)

// The paths the web layer serves for links in the CRM's mails.
const (
	// ConfirmPath + token confirms an e-mail address after Join (double opt-in).
	ConfirmPath = "/join/confirm/"
	// SignInPath + token signs a member in to self-service.
	SignInPath = "/member/signin/"
	// MemberPath is the member's self-service page (it asks for a sign-in link).
	MemberPath = "/member"
	// DuesPath + tier id is the giving module's page that pays a paid tier's dues; renewal
	// reminders of paid tiers link to it.
	DuesPath = "/give/dues/"
)

// letter is one e-mail before rendering: every string already translated.
type letter struct {
	Lang       string
	Subject    string
	Greeting   string
	Paragraphs []string
	Action     string
	Link       string
	Footer     []string
}

// letterHTML is plain, accessible HTML: no images, no tracking, no external resources.
var letterHTML = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36em;margin:0 auto;padding:1em">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">{{.Action}}</a></p>
<p style="font-size:14px;word-break:break-all">{{.Link}}</p>
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
	if l.Link != "" {
		text.WriteString(l.Action + ":\n" + l.Link + "\n\n")
	}
	for _, f := range l.Footer {
		text.WriteString(f + "\n\n")
	}
	var html bytes.Buffer
	if err := letterHTML.Execute(&html, l); err != nil {
		return notify.Email{}, fmt.Errorf("people: render %s mail: %w", purpose, err)
	}
	return notify.Email{To: to, Subject: l.Subject, Text: strings.TrimRight(text.String(), "\n") + "\n",
		HTML: html.String(), Purpose: purpose}, nil
}

// newLetter builds a letter from catalog keys under prefix (subject, body, action, footer).
func (s *Service) newLetter(lang, prefix, link string, data map[string]any) letter {
	t := s.catalog.Localizer(lang)
	return letter{
		Lang:       t.Lang.Code,
		Subject:    t.T(prefix+".subject", data),
		Greeting:   t.T("people.mail.greeting", data),
		Paragraphs: []string{t.T(prefix+".body", data)},
		Action:     t.T(prefix+".action", data),
		Link:       link,
		Footer:     []string{t.T(prefix+".footer", data)},
	}
}
