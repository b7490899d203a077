package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// The retention page lists the policies; a period out of bounds comes back with the
// translated reason (422), a good one is saved and audited, and "run now" runs them all.
func TestAdminRetention(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		list := admin.get("/admin/retention")
		list.expect(t, "policies", http.StatusOK, "notify.deliveries", "retention.runs", admin.tr("retention.policy.notify_deliveries"),
			admin.tr("retention.never_run"), `action="/admin/retention/policies/notify.deliveries"`, `min="1" max="365" value="30"`)

		const policy = "/admin/retention/policies/notify.deliveries"
		bad := []struct {
			lang, days, key string
		}{
			{"en", "0", "retention.after.not_positive"},
			{"es", "0", "retention.after.not_positive"},
			{"en", "400", "retention.after.too_long"},
			{"es", "ten", "admin.retention.days_invalid"},
			{"en", "99999999999999999999", "admin.retention.days_invalid"},
			{"en", "99999999999", "retention.after.too_long"},
			{"en", "40000", "retention.after.too_long"},
		}
		for _, b := range bad {
			admin.lang = b.lang
			p := admin.post(policy, url.Values{"days": {b.days}})
			p.expect(t, b.lang+" "+b.days+" days", http.StatusUnprocessableEntity, admin.tr(b.key), `value="`+b.days+`"`,
				`aria-describedby="policy-notify-deliveries-error"`, `href="#policy-notify-deliveries-days"`)
		}
		admin.lang = "en"
		admin.post("/admin/retention/policies/no.such", url.Values{"days": {"10"}}).expect(t, "unknown policy", http.StatusNotFound, admin.tr("retention.policy.not_found"))

		admin.postDone(policy, url.Values{"days": {"60"}}, "/admin/retention").expect(t, "saved", http.StatusOK,
			admin.tr("admin.retention.saved"), `min="1" max="365" value="60"`)
		ps, err := a.Retention.Policies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Name == "notify.deliveries" && (p.After != 60*24*time.Hour || !p.Custom) {
				t.Errorf("after saving 60 days: %+v", p)
			}
		}
		if e := adminAudited(t, a, "retention.set")[0]; e.Object != "retention:notify.deliveries" || e.Actor != "account:1" {
			t.Errorf("retention change audited as %+v", e)
		}

		ran := admin.postDone("/admin/retention/run", nil, "/admin/retention")
		ran.expect(t, "ran", http.StatusOK, admin.tr("admin.retention.ran"), a.Catalog.Localizer("en").N("retention.deleted", 0))
		ran.lacks(t, "ran", admin.tr("retention.never_run"))
		adminAudited(t, a, "retention.run_now")
		adminAudited(t, a, "retention.purge")
	})
}
