package response

import (
	"context"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// An inbound text from a phone with no open report opens one (source sms, kind other,
// state new) and gets a short confirmation in the sender's language with nothing about
// the report; later texts from that phone join the thread without a reply; a text after
// the report closed opens a new one; a phone whose report was merged reaches the report
// it was merged into.
func TestSMSReportConversation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := rinNew(t, d)
		ctx := context.Background()
		reply, err := h.sms(t, "+15125550160", "Hay agentes de la migra en la esquina de Oak y 5th", "")
		if err != nil {
			t.Fatal(err)
		}
		if want := h.s.catalog.Localizer("es").T("response.sms.received"); reply != want {
			t.Errorf("reply %q, want the Spanish confirmation %q", reply, want)
		}
		if strings.Contains(reply, "Oak") || strings.ContainsAny(reply, "0123456789") {
			t.Errorf("the reply carries details: %q", reply)
		}
		first := h.newest(t)
		if first.Source != SourceSMS || first.Kind != KindOther || first.State != StateNew || first.Language != "es" || !first.HasPhone {
			t.Errorf("report from SMS = %+v", first)
		}
		reply, err = h.sms(t, "(512) 555-0160", "Ahora son tres camionetas", "")
		if err != nil || reply != "" {
			t.Fatalf("second text: %q %v", reply, err)
		}
		if h.count(t) != 1 {
			t.Fatalf("%d reports after a second text, want 1", h.count(t))
		}
		detail, err := h.s.Detail(ctx, rinActor, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(detail.Thread) != 2 || detail.Thread[1].Body != "Ahora son tres camionetas" || detail.Thread[0].Direction != DirectionIn ||
			detail.Phone != "+15125550160" {
			t.Errorf("thread = %+v, phone %q", detail.Thread, detail.Phone)
		}

		// Another phone, English, with the language given by the webhook.
		reply, err = h.sms(t, "+15125550161", "agents at the warehouse", "en")
		if err != nil || reply != h.s.catalog.Localizer("en").T("response.sms.received") {
			t.Fatalf("English reply %q %v", reply, err)
		}
		second := h.newest(t)
		if err := h.s.Merge(ctx, rinActor, second.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := h.sms(t, "+15125550161", "they left", ""); err != nil {
			t.Fatal(err)
		}
		detail, _ = h.s.Detail(ctx, rinActor, first.ID)
		if last := detail.Thread[len(detail.Thread)-1]; last.Body != "they left" {
			t.Errorf("a text from the merged report's phone went elsewhere: %+v", detail.Thread)
		}

		// Closing ends the conversation: the next text opens a new report.
		for _, to := range []State{StateVerifying, StateUnconfirmed} {
			if err := h.s.SetState(ctx, rinActor, first.ID, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.s.SetState(ctx, rinActor, first.ID, StateClosed, OutcomeNotFound); err != nil {
			t.Fatal(err)
		}
		if reply, _ := h.sms(t, "+15125550160", "they came back", ""); reply == "" {
			t.Error("no confirmation for a new conversation")
		}
		if h.count(t) != 3 {
			t.Errorf("%d reports, want 3", h.count(t))
		}

		// Bad numbers and empty texts; a sealed vault refuses.
		if _, err := h.sms(t, "not a phone", "hola", ""); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("bad number: %v", err)
		}
		if reply, err := h.sms(t, "+15125550162", " \x00 ", ""); err != nil || reply != "" {
			t.Errorf("empty text: %q %v", reply, err)
		}
		if err := h.v.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := h.sms(t, "+15125550163", "hello", ""); errs.CodeOf(err) != errs.CodeSealed {
			t.Errorf("sealed vault: %v", err)
		}
	})
}

func TestSMSLanguage(t *testing.T) {
	for _, c := range []struct{ lang, body, want string }{
		{"", "Hay agentes en mi trabajo", "es"},
		{"", "¿Están aquí?", "es"},
		{"", "ICE at the school on 5th", "en"},
		{"", "migra", "es"},
		{"es", "ICE", "es"},
		{"en-US", "hay agentes", "en"},
		{"fr", "agents at the corner", "en"},
		{"", "", "en"},
	} {
		if got := smsLanguage(c.lang, c.body); got != c.want {
			t.Errorf("smsLanguage(%q, %q) = %q, want %q", c.lang, c.body, got, c.want)
		}
	}
}
