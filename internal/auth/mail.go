package auth

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"solidarity/internal/notify"
)

// letter is one e-mail before rendering: every string already translated.
type letter struct {
	Lang       string
	Subject    string
	Greeting   string
	Paragraphs []string
	Action     string // the button text
	Link       string
	Footer     []string
}

// letterHTML is the HTML part: plain, accessible, no images, no tracking, no external
// resources. html/template escapes every value.
var letterHTML = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Subject}}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36em;margin:0 auto;padding:1em">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}<p><a href="{{.Link}}" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">{{.Action}}</a></p>
<p style="font-size:14px;word-break:break-all">{{.Link}}</p>
{{range .Footer}}<p style="font-size:14px;color:#555">{{.}}</p>
{{end}}</body></html>
`))

// email renders a letter into the text and HTML parts of one message.
func (l letter) email(to, purpose string) (notify.Email, error) {
	var text strings.Builder
	text.WriteString(l.Greeting + "\n\n")
	for _, p := range l.Paragraphs {
		text.WriteString(p + "\n\n")
	}
	text.WriteString(l.Action + ":\n" + l.Link + "\n\n")
	for _, f := range l.Footer {
		text.WriteString(f + "\n\n")
	}
	var html bytes.Buffer
	if err := letterHTML.Execute(&html, l); err != nil {
		return notify.Email{}, fmt.Errorf("auth: render %s mail: %w", purpose, err)
	}
	return notify.Email{
		To: to, Subject: l.Subject, Text: strings.TrimRight(text.String(), "\n") + "\n",
		HTML: html.String(), Purpose: purpose,
	}, nil
}

// inviteLetter is the invitation mail, in the invitee's language.
func (s *Service) inviteLetter(lang, inviter string, role Role, link string) letter {
	t := s.catalog.Localizer(lang)
	data := map[string]any{"Site": s.issuer, "Inviter": inviter, "Role": t.T("auth.role." + string(role)), "Hours": int(InvitationTTL.Hours())}
	return letter{
		Lang:       t.Lang.Code,
		Subject:    t.T("auth.mail.invite.subject", data),
		Greeting:   t.T("auth.mail.greeting"),
		Paragraphs: []string{t.T("auth.mail.invite.body", data)},
		Action:     t.T("auth.mail.invite.action"),
		Link:       link,
		Footer:     []string{t.T("auth.mail.invite.expiry", data), t.T("auth.mail.invite.ignore", data)},
	}
}

// resetLetter is the password-reset mail, in the account's language.
func (s *Service) resetLetter(lang, link string) letter {
	t := s.catalog.Localizer(lang)
	data := map[string]any{"Site": s.issuer, "Minutes": int(ResetTTL.Minutes())}
	return letter{
		Lang:       t.Lang.Code,
		Subject:    t.T("auth.mail.reset.subject", data),
		Greeting:   t.T("auth.mail.greeting"),
		Paragraphs: []string{t.T("auth.mail.reset.body", data)},
		Action:     t.T("auth.mail.reset.action"),
		Link:       link,
		Footer:     []string{t.T("auth.mail.reset.expiry", data), t.T("auth.mail.reset.ignore", data)},
	}
}
