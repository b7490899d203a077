package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// The audit log lists entries newest first with filters and pages, its check reports an
// intact chain with its count, and after someone edits a row behind the trigger's back it
// names the broken entry.
func TestAdminAuditLog(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		admin := adminAs(t, a, auth.RoleAdministrator)
		for i := range 3 {
			admin.post("/admin/api-keys", url.Values{"name": {"Key " + string(rune('A'+i))}, "role": {"member"}})
		}

		page := admin.get("/admin/audit?action=auth.apikey")
		page.expect(t, "filtered log", http.StatusOK, "auth.apikey.create", "apikey:3", "Holder of Administrator", `href="/admin/audit?actor=account%3a1"`)
		page.lacks(t, "filtered log", "auth.signin")
		if i3, i1 := strings.Index(page.Body, "apikey:3"), strings.Index(page.Body, "apikey:1"); i3 < 0 || i1 < 0 || i3 > i1 {
			t.Error("entries are not newest first")
		}
		admin.get("/admin/audit?object=apikey:2").expect(t, "by object", http.StatusOK, "apikey:2")
		admin.get("/admin/audit?from=2001-02-30").expect(t, "bad date", http.StatusUnprocessableEntity, admin.tr("admin.audit.date_invalid"), `id="f-from-error"`)
		admin.get("/admin/audit?from=2026-02-03&to=2026-02-01").expect(t, "reversed range", http.StatusUnprocessableEntity, admin.tr("admin.audit.range_invalid"))
		admin.get("/admin/audit?to=2000-01-01").expect(t, "nothing before 2000", http.StatusOK, admin.tr("audit.empty"))

		all, err := a.DB.QueryContext(context.Background(), "SELECT COUNT(*) FROM audit_log")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		all.Next()
		_ = all.Scan(&n)
		all.Close()

		ok := admin.post("/admin/audit/verify", nil)
		ok.expect(t, "intact", http.StatusOK, a.Catalog.Localizer("en").N("audit.verify.intact", n))

		adminBypassAuditGuard(t, a.DB)
		if _, err := a.DB.ExecContext(context.Background(), "UPDATE audit_log SET detail = 'role=administrator' WHERE seq = 2"); err != nil {
			t.Fatal(err)
		}
		broken := admin.post("/admin/audit/verify", nil)
		broken.expect(t, "tampered", http.StatusOK, admin.tr("audit.verify.broken", map[string]any{"Seq": 2}), admin.tr("audit.reason.altered"))
		broken.lacks(t, "tampered", "intact")

		admin.lang = "es"
		admin.post("/admin/audit/verify", nil).expect(t, "tampered, in Spanish", http.StatusOK,
			admin.tr("audit.verify.broken", map[string]any{"Seq": 2}), admin.tr("audit.reason.altered"))
	})
}

// With more entries than a page holds, "older entries" continues below the last one shown.
func TestAdminAuditPaging(t *testing.T) {
	a := openApp(t)
	admin := adminAs(t, a, auth.RoleAdministrator)
	for range 55 {
		admin.post("/admin/retention/policies/notify.deliveries", url.Values{"days": {"40"}})
	}
	const row = "retention:notify.deliveries</code>"
	first := admin.get("/admin/audit?action=retention.set")
	if got := strings.Count(first.Body, row); got != 50 {
		t.Fatalf("first page shows %d entries, want 50", got)
	}
	older := regexp.MustCompile(`href="(/admin/audit\?action=retention.set&before=\d+)"`).FindStringSubmatch(first.Body)
	if older == nil {
		t.Fatal("no link to older entries")
	}
	second := admin.get(older[1])
	if got := strings.Count(second.Body, row); got != 5 {
		t.Errorf("second page shows %d entries, want 5", got)
	}
	second.expect(t, "second page", http.StatusOK, admin.tr("admin.audit.newest"))
	second.lacks(t, "second page", admin.tr("audit.older"))
}
