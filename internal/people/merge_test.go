package people

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestDuplicatesAndMerge(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		now := time.Now()
		d.Clock = func() time.Time { return now }
		org, _ := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "Unidos", Kind: OrgPartner})
		tier, _ := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "M", NameEs: "M", Period: PeriodFree, Active: true})
		keep := h.mustCreate(t, PersonInput{GivenName: "José", FamilyName: "Hernández", Emails: []string{"jose@example.org"},
			Address: Address{ZIP: "78701"}, Tags: []string{"volunteer"}, Notes: "Met at the vigil."})
		lose := h.mustCreate(t, PersonInput{GivenName: "Jose", FamilyName: "Hernandez", Emails: []string{"jh@example.net"},
			Phones: []string{"5125550111"}, Address: Address{Street: "1 Elm", City: "Austin", ZIP: "78701"}, Tags: []string{"donor"}, Notes: "Gives monthly."})
		similar := h.mustCreate(t, PersonInput{GivenName: "Josue", FamilyName: "Hernandes", Address: Address{ZIP: "78701"}})
		h.mustCreate(t, PersonInput{GivenName: "José", FamilyName: "Hernández", Address: Address{ZIP: "10001"}}) // elsewhere
		page, err := h.s.LikelyDuplicates(ctx, organizer, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range page.Pairs {
			got = append(got, fmt.Sprintf("%d-%d %s", p.A.ID, p.B.ID, p.Reason))
		}
		want := []string{
			fmt.Sprintf("%d-%d same_name_zip", keep.ID, lose.ID),
			fmt.Sprintf("%d-%d similar_name_zip", keep.ID, similar.ID),
			fmt.Sprintf("%d-%d similar_name_zip", lose.ID, similar.ID),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("duplicates = %v, want %v", got, want)
		}
		first, _ := h.s.LikelyDuplicates(ctx, organizer, "", 1)
		second, _ := h.s.LikelyDuplicates(ctx, organizer, first.Next, 1)
		if len(second.Pairs) != 1 || second.Pairs[0].B.ID != similar.ID || second.Pairs[0].A.ID != keep.ID {
			t.Errorf("second page = %+v", second)
		}
		if err := h.s.DismissDuplicate(ctx, organizer, similar.ID, keep.ID); err != nil {
			t.Fatal(err)
		}
		page, _ = h.s.LikelyDuplicates(ctx, organizer, "", 10)
		if len(page.Pairs) != 2 {
			t.Errorf("after dismissing: %d pairs, want 2", len(page.Pairs))
		}

		// lose has the newer e-mail decision, keep the newer SMS one; lose holds the membership.
		now = now.Add(time.Minute)
		_ = h.s.SetConsent(ctx, organizer, keep.ID, ChannelEmail, ConsentGranted)
		_ = h.s.SetConsent(ctx, organizer, lose.ID, ChannelSMS, ConsentGranted)
		now = now.Add(time.Minute)
		_ = h.s.SetConsent(ctx, organizer, lose.ID, ChannelEmail, ConsentRevoked)
		_ = h.s.SetConsent(ctx, organizer, keep.ID, ChannelSMS, ConsentRevoked)
		_ = h.s.Affiliate(ctx, organizer, lose.ID, org.ID, "Treasurer", false)
		_, _ = h.s.SetMembership(ctx, organizer, lose.ID, MembershipInput{TierID: tier.ID, Status: MemberActive})
		var moved []int64
		h.s.OnMerge(func(_ context.Context, _ *db.Tx, k, l int64) error { moved = append(moved, k, l); return nil })

		m, err := h.s.Merge(ctx, organizer, keep.ID, lose.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.GivenName != "José" || m.PrimaryEmail() != "jose@example.org" || len(m.Emails) != 2 || m.PrimaryPhone() != "+15125550111" ||
			m.Address.City != "Austin" || len(m.Tags) != 2 || m.Notes != "Met at the vigil.\n\nGives monthly." {
			t.Errorf("merged = %+v", m)
		}
		if m.ConsentFor(ChannelEmail).Status != ConsentRevoked || m.ConsentFor(ChannelSMS).Status != ConsentRevoked {
			t.Errorf("consent = %+v; the most recent decision must win", m.Consent)
		}
		if len(m.Affiliations) != 1 || m.Affiliations[0].Role != "Treasurer" || m.Membership == nil || m.Membership.Status != MemberActive {
			t.Errorf("affiliations %+v membership %+v", m.Affiliations, m.Membership)
		}
		if fmt.Sprint(moved) != fmt.Sprint([]int64{keep.ID, lose.ID}) {
			t.Errorf("merge hooks saw %v", moved)
		}
		_, err = h.s.Get(ctx, organizer, lose.ID)
		wantCode(t, err, errs.CodeNotFound)
		tl, _ := h.s.Timeline(ctx, organizer, keep.ID, "", 100)
		kinds := map[string]int{}
		for _, e := range tl.Events {
			kinds[e.Kind]++
		}
		if kinds["person.created"] != 2 || kinds["person.merged"] != 1 {
			t.Errorf("timeline kinds = %v; both histories must be kept", kinds)
		}
		if res, _ := h.s.Search(ctx, organizer, "jh@example.net", 5); len(res) != 1 || res[0].ID != keep.ID {
			t.Errorf("the merged e-mail finds %v", res)
		}
		log := auditActions(t, d)
		if len(log) == 0 || !strings.HasPrefix(log[len(log)-1], fmt.Sprintf(`people.merge person:%d {"merged":%d}`, keep.ID, lose.ID)) {
			t.Errorf("audit = %v", log)
		}
		_, err = h.s.Merge(ctx, organizer, keep.ID, keep.ID)
		wantField(t, err, "lose", "people.merge.same")
		_, err = h.s.Merge(ctx, organizer, keep.ID, lose.ID)
		wantCode(t, err, errs.CodeNotFound)
	})
}

func TestExport(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		crowd(t, h)
		h.mustCreate(t, PersonInput{GivenName: "=CMD()", FamilyName: "@SUM(A1)", Emails: []string{"-x@example.org"}, Phones: []string{"+15125550188"},
			Tags: []string{"volunteer"}, Address: Address{State: "TX"}})
		sg, err := h.s.SaveSegment(ctx, organizer, 0, "TX volunteers", Filter{Tags: []string{"volunteer"}, States: []string{"TX"}})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, err = h.s.Export(ctx, caseworker, ExportRequest{SegmentID: sg.ID}, &buf)
		wantCode(t, err, errs.CodeForbidden)
		n, err := h.s.Export(ctx, organizer, ExportRequest{SegmentID: sg.ID}, &buf)
		if err != nil || n != 3 {
			t.Fatalf("Export = %d, %v", n, err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], ",") != strings.Join(ExportColumns, ",") || len(recs) != 4 {
			t.Fatalf("export = %q", recs)
		}
		last := recs[3]
		if last[1] != "'=CMD()" || last[2] != "'@SUM(A1)" || last[3] != "'-x@example.org" || last[4] != "'+15125550188" {
			t.Errorf("dangerous cells = %q", last[1:5])
		}
		maria := recs[1]
		if maria[1] != "María" || maria[13] != "donor, volunteer" || maria[14] != "granted" || maria[16] != "active" || maria[17] != "Sustainer" || maria[18] == "" {
			t.Errorf("María's row = %q", maria)
		}
		log := auditActions(t, d)
		if !strings.HasPrefix(log[len(log)-1], fmt.Sprintf(`people.export segment:%d {"count":3,`, sg.ID)) || !strings.HasSuffix(log[len(log)-1], "account:7") {
			t.Errorf("audit = %q", log[len(log)-1])
		}
		// The export imports back unchanged.
		pre := upload(t, h, "export.csv", strings.Join(func() []string {
			var lines []string
			for _, r := range recs {
				var b bytes.Buffer
				w := csv.NewWriter(&b)
				_ = w.Write(r)
				w.Flush()
				lines = append(lines, strings.TrimRight(b.String(), "\n"))
			}
			return lines
		}(), "\n")+"\n")
		imp := runNow(t, h, pre.ID, ImportOptions{})
		if imp.Unchanged != 3 || imp.Created+imp.Updated+imp.Rejected != 0 {
			t.Errorf("re-importing an export = %+v", tallyOf(imp))
		}
		if Neutralize("\tx") != "'\tx" || Neutralize("ok") != "ok" || Neutralize("") != "" {
			t.Error("Neutralize")
		}
	})
}
