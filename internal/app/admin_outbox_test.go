package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
)

// A delivery's page shows the text part and the HTML part only as escaped source: nothing
// in a message can run in the administrator's browser. Filters are checked.
func TestAdminOutboxEscapesHTML(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		id, err := a.Notify.Email(ctx, nil, notify.Email{
			To: "someone@example.org", Subject: `<img src=x onerror=alert(1)> Hello`,
			Text:    "Line one <script>alert('text')</script>\nLine two",
			HTML:    `<p onclick="steal()">Hi<script>alert('html')</script></p>`,
			Purpose: "test.escape",
		})
		if err != nil {
			t.Fatal(err)
		}
		sms, err := a.Notify.SMS(ctx, nil, notify.SMS{To: "+15555550123", Body: "Meeting at 7", Purpose: "test.sms"})
		if err != nil {
			t.Fatal(err)
		}

		show := admin.get(fmt.Sprintf("/admin/outbox/%d", id))
		show.expect(t, "delivery", http.StatusOK, "someone@example.org", "test.escape", admin.tr("notify.status.outbox"),
			admin.tr("notify.status_help.outbox"), "Line one <script>alert('text')</script>\nLine two", admin.tr("admin.outbox.html_source"))
		for _, raw := range []string{"<script>", `<p onclick`, "<img src=x"} {
			if strings.Contains(show.Raw, raw) {
				t.Errorf("the delivery page carries %q unescaped", raw)
			}
		}
		if !strings.Contains(show.Raw, "&lt;p onclick=&#34;steal()&#34;&gt;Hi&lt;script&gt;") {
			t.Errorf("the HTML part is not shown as escaped source:\n%s", adminExcerpt(show.Raw))
		}

		list := admin.get("/admin/outbox")
		list.expect(t, "all deliveries", http.StatusOK, "test.escape", "test.sms", "+15555550123", admin.tr("admin.outbox.no_subject"),
			admin.tr("admin.outbox.showing", map[string]any{"FirstN": 1, "LastN": 2, "List": map[string]any{"Total": 2}}))
		if strings.Contains(list.Raw, "<img src=x") {
			t.Error("the list carries the subject unescaped")
		}
		sOnly := admin.get("/admin/outbox?channel=sms")
		sOnly.expect(t, "SMS only", http.StatusOK, fmt.Sprintf(`href="/admin/outbox/%d"`, sms))
		sOnly.lacks(t, "SMS only", "test.escape")
		admin.get("/admin/outbox?purpose=test.escape&status=outbox").expect(t, "by purpose", http.StatusOK, "test.escape")
		admin.get("/admin/outbox?status=lost").expect(t, "unknown status", http.StatusUnprocessableEntity, admin.tr("notify.status.invalid"), `id="f-status-error"`)
		admin.get("/admin/outbox/99999").expect(t, "unknown delivery", http.StatusNotFound, admin.tr("notify.delivery.not_found"))
	})
}
