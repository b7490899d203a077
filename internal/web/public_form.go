package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/people"
	"solidarity/internal/ratelimit"
)

// memberCookie holds a member's self-service session token. It is apart from the staff
// session ("sid") and sent only to /member pages.
const memberCookie = "member"

// setMemberSession gives the browser a self-service session.
func (s *Server) setMemberSession(w http.ResponseWriter, ss people.SelfSession) {
	http.SetCookie(w, &http.Cookie{Name: memberCookie, Value: ss.Token, Path: people.MemberPath, Expires: ss.ExpiresAt,
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
}

// clearMemberSession removes the self-service cookie.
func (s *Server) clearMemberSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: memberCookie, Value: "", Path: people.MemberPath, MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
}

// memberToken returns the self-service session token of the request, or "".
func memberToken(r *http.Request) string {
	if c, err := r.Cookie(memberCookie); err == nil {
		return c.Value
	}
	return ""
}

// memberGone reports whether err says a member's session or link is dead (a coded not-found
// error).
func memberGone(err error) bool { return errs.CodeOf(err) == errs.CodeNotFound }

// publicLimit is one rate limit a public form applies before it calls its service.
type publicLimit struct {
	bucket  string
	subject string
	max     int
	window  time.Duration
}

// overPublicLimit counts one attempt against every limit, in one transaction, and returns
// how long the client must wait when any of them is spent (0 when all allow it). A limiter
// failure fails closed: the form is refused rather than left open to a flood.
func (s *Server) overPublicLimit(ctx context.Context, limits ...publicLimit) (time.Duration, error) {
	checks := make([]ratelimit.Check, len(limits))
	for i, l := range limits {
		checks[i] = ratelimit.Check{Bucket: l.bucket, Subject: l.subject, Limit: l.max, Window: l.window}
	}
	ok, retry, err := s.Limiter.AllowAll(ctx, checks...)
	if err != nil {
		return 0, errs.Internal(fmt.Errorf("web: rate limit: %w", err))
	}
	if ok {
		return 0, nil
	}
	return max(retry, time.Second), nil
}

// publicTooMany answers a form whose client must wait: 429 with Retry-After, and the wait in
// words at the top of the form shown again.
func publicTooMany(w http.ResponseWriter, f *form, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	f.wait(wait)
}

// publicTier is a membership tier as the public pages show it.
type publicTier struct {
	Value     string // the form value: the tier's id
	Name      string // in the page's language
	Price     string // "$15", "12.50 EUR"; "" when free
	PeriodKey string // message key of the dues period
	Paid      bool
}

// publicTiers turns the tiers into options in lang.
func publicTiers(tiers []people.Tier, lang string) []publicTier {
	out := make([]publicTier, 0, len(tiers))
	for _, t := range tiers {
		o := publicTier{Value: strconv.FormatInt(t.ID, 10), Name: t.Name(lang), PeriodKey: "people.period." + string(t.Period), Paid: t.Paid()}
		if o.Paid {
			o.Price = duesPrice(t.AmountCents, t.Currency)
		}
		out = append(out, o)
	}
	return out
}

// duesPrice writes an amount of dues: "$15", "$12.50", "20 EUR".
func duesPrice(cents int64, currency string) string {
	amount := strconv.FormatInt(cents/100, 10)
	if cents%100 != 0 {
		amount += fmt.Sprintf(".%02d", cents%100)
	}
	if currency = strings.ToUpper(currency); currency == "USD" || currency == "" {
		return "$" + amount
	}
	return amount + " " + currency
}
