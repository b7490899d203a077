package people

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// anExport is a small Action Network export, with a byte-order mark and the troubles real
// files have.
const anExport = "\xEF\xBB\xBFuuid,first_name,last_name,email,zip_code,can2_phone,can2_sms_status,can2_subscription_status,can2_state_abbreviated,Tags\n" +
	"u1,María,García,MARIA@example.org,78701,512-555-0101,subscribed,subscribed,TX,volunteer\n" +
	"u2,Mario,Gómez,mario@example.org,78702,,,unsubscribed,TX,\"volunteer, donor\"\n" +
	"u3,Bad,Email,not-an-email,78702,,,subscribed,TX,\n" +
	"u4,Ragged,Row,ragged@example.org\n" +
	"u5,=HYPERLINK(\"http://evil\"),Formula,formula@example.org,10001,,,subscribed,NY,\n" +
	",No,Contact,,10001,,,,NY,\n" +
	"u7,Bad,Phone,badphone@example.org,10001,123,,,NY,\n" +
	"u8,María,García,maria@example.org,78701,,,,,donor\n" // same person again, later in the file

func upload(t *testing.T, h *harness, name, content string) ImportPreview {
	t.Helper()
	pre, err := h.s.UploadImport(context.Background(), organizer, name, strings.NewReader(content))
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	return pre
}

// runNow works an import in this goroutine, as the job would.
func runNow(t *testing.T, h *harness, id int64, o ImportOptions) Import {
	t.Helper()
	ctx := context.Background()
	if err := h.s.inTx(ctx, func(tx *db.Tx) error { return h.s.prepareRun(ctx, tx, id, o) }); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	if err := h.s.runImport(ctx, id, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	imp, err := h.s.Import(ctx, organizer, id)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

type tally struct{ created, updated, unchanged, rejected int }

func tallyOf(i Import) tally { return tally{i.Created, i.Updated, i.Unchanged, i.Rejected} }

func TestImportActionNetwork(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, func(c *Config) { c.ImportBatch = 3 }) // several batches
		ctx := context.Background()
		pre := upload(t, h, `C:\Users\ana\Desktop\activists.csv`, anExport)
		if pre.Source != SourceActionNetwork || pre.Filename != "activists.csv" || pre.RowsTotal != 8 || pre.Encoding != "utf-8" {
			t.Errorf("preview = %+v", pre.Import)
		}
		want := Mapping{ImportExternalID, ImportGivenName, ImportFamilyName, ImportEmail, ImportZIP, ImportPhone, ImportSMSConsent, ImportEmailConsent, ImportState, ImportTags}
		if len(pre.Mapping) != len(want) {
			t.Fatalf("mapping = %v", pre.Mapping)
		}
		for i := range want {
			if pre.Mapping[i] != want[i] {
				t.Errorf("column %s mapped to %q, want %q", pre.Columns[i], pre.Mapping[i], want[i])
			}
		}
		if len(pre.Sample) != 8 || pre.Sample[0][1] != "María" {
			t.Errorf("sample = %v", pre.Sample)
		}

		dry := runNow(t, h, pre.ID, ImportOptions{DryRun: true, Tags: []string{"from-an"}})
		if got := tallyOf(dry); got != (tally{created: 3, updated: 1, rejected: 4}) {
			t.Errorf("dry run = %+v", got)
		}
		if n := countRows(t, d, "people"); n != 0 {
			t.Fatalf("dry run stored %d people", n)
		}

		real := runNow(t, h, pre.ID, ImportOptions{Tags: []string{"from-an"}})
		if real.Status != ImportDone || tallyOf(real) != tallyOf(dry) || real.RowsDone != 8 || real.Percent() != 100 {
			t.Errorf("real run = %+v", real)
		}
		if n := countRows(t, d, "people"); n != 3 {
			t.Errorf("%d people, want 3", n)
		}
		if n := countRows(t, d, "import_files"); n != 0 {
			t.Errorf("the file is still kept after the import")
		}
		res, _ := h.s.Search(ctx, organizer, "maria@example.org", 1)
		maria, err := h.s.Get(ctx, organizer, res[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if maria.PrimaryPhone() != "+15125550101" || maria.Address.State != "TX" || maria.CreatedVia != "import" ||
			strings.Join(maria.Tags, ",") != "donor,from-an,volunteer" ||
			maria.ConsentFor(ChannelEmail).Status != ConsentGranted || maria.ConsentFor(ChannelEmail).Method != MethodImport ||
			maria.ConsentFor(ChannelSMS).Status != ConsentGranted {
			t.Errorf("maria = %+v", maria)
		}
		res, _ = h.s.Search(ctx, organizer, "formula@", 1)
		if len(res) != 1 || res[0].GivenName != `=HYPERLINK("http://evil")` {
			t.Errorf("formula name stored as %v, want the text as it was", res)
		}
		rejects, err := h.s.Rejects(ctx, organizer, pre.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int]string{}
		for _, r := range rejects {
			got[r.Row] = r.Field + " " + r.ReasonKey
		}
		wantRejects := map[int]string{
			4: "emails people.email.invalid",
			5: " people.import.ragged",
			7: " people.import.no_contact",
			8: "phones people.phone.invalid",
		}
		for row, w := range wantRejects {
			if got[row] != w {
				t.Errorf("row %d rejected as %q, want %q", row, got[row], w)
			}
		}
		var buf bytes.Buffer
		if err := h.s.WriteRejects(ctx, organizer, pre.ID, "es", &buf); err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(&buf)
		cr.FieldsPerRecord = -1 // the rejected rows keep their own cells
		recs, err := cr.ReadAll()
		if err != nil || len(recs) != 5 || recs[0][0] != "Fila" || !strings.Contains(recs[1][1], "correo") || recs[1][3] != "u3" {
			t.Errorf("rejects file = %q, %v", recs, err)
		}

		// The same file again changes nothing.
		again := upload(t, h, "activists.csv", anExport)
		re := runNow(t, h, again.ID, ImportOptions{Tags: []string{"from-an"}})
		if got := tallyOf(re); got != (tally{unchanged: 4, rejected: 4}) {
			t.Errorf("re-import = %+v, want only unchanged and rejected", got)
		}
		_, err = h.s.StartImport(ctx, organizer, again.ID, ImportOptions{})
		wantCode(t, err, errs.CodeConflict)
	})
}

func TestImportNeverOverridesRevocation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		file := "email,first name,email_consent\nana@example.org,Ana,yes\n"
		runNow(t, h, upload(t, h, "a.csv", file).ID, ImportOptions{})
		res, _ := h.s.Search(ctx, organizer, "ana@example.org", 1)
		if err := h.s.SetConsent(ctx, organizer, res[0].ID, ChannelEmail, ConsentRevoked); err != nil {
			t.Fatal(err)
		}
		imp := runNow(t, h, upload(t, h, "a.csv", file).ID, ImportOptions{})
		p, _ := h.s.Get(ctx, organizer, res[0].ID)
		if p.ConsentFor(ChannelEmail).Status != ConsentRevoked || tallyOf(imp) != (tally{unchanged: 1}) {
			t.Errorf("after re-import consent = %+v, tally %+v; the opt-out must stand", p.ConsentFor(ChannelEmail), tallyOf(imp))
		}
		civi := "Contact ID,First Name,Last Name,Email,Do Not Email\n12,Ana,Soto,ana@example.org,0\n13,Bea,Soto,bea@example.org,1\n"
		pre := upload(t, h, "civi.csv", civi)
		if pre.Source != SourceCiviCRM || pre.Mapping[4] != ImportEmailOptOut {
			t.Errorf("civicrm preview = %+v", pre.Import)
		}
		imp = runNow(t, h, pre.ID, ImportOptions{})
		if tallyOf(imp) != (tally{created: 1, updated: 1}) {
			t.Errorf("civicrm = %+v", tallyOf(imp))
		}
		res, _ = h.s.Search(ctx, organizer, "bea@", 1)
		bea, _ := h.s.Get(ctx, organizer, res[0].ID)
		if bea.ConsentFor(ChannelEmail).Status != ConsentRevoked {
			t.Errorf("Do Not Email=1 gave consent %+v", bea.ConsentFor(ChannelEmail))
		}
		// A person without e-mail or phone is found again by the source's id.
		refs := "Contact ID,First Name,Phone\n99,Carla,\n"
		if got := tallyOf(runNow(t, h, upload(t, h, "r.csv", refs).ID, ImportOptions{})); got != (tally{created: 1}) {
			t.Errorf("first import by id = %+v", got)
		}
		if got := tallyOf(runNow(t, h, upload(t, h, "r.csv", refs).ID, ImportOptions{})); got != (tally{unchanged: 1}) {
			t.Errorf("second import by id = %+v", got)
		}
		withPhone := "Contact ID,First Name,Phone\n99,Carla,512 555 0177\n"
		if got := tallyOf(runNow(t, h, upload(t, h, "r.csv", withPhone).ID, ImportOptions{})); got != (tally{updated: 1}) {
			t.Errorf("import by id with a phone = %+v", got)
		}
		if res, _ := h.s.Search(ctx, organizer, "5125550177", 5); len(res) != 1 || res[0].GivenName != "Carla" {
			t.Errorf("Carla by phone = %v", res)
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, func(c *Config) { c.MaxImportBytes = 1 << 20 })
		ctx := context.Background()
		cases := []struct {
			name, content, key string
		}{
			{"empty", "", "people.import.empty"},
			{"utf16", "\xFF\xFEe\x00m\x00", "people.import.utf16"},
			{"binary", "PK\x03\x04\x00\x00", "people.import.not_csv"},
			{"too large", strings.Repeat("a", 1<<20+1), "people.import.too_large"},
		}
		for _, c := range cases {
			_, err := h.s.UploadImport(ctx, organizer, "f.csv", strings.NewReader(c.content))
			wantField(t, err, "file", c.key)
		}
		_, err := h.s.UploadImport(ctx, responder, "f.csv", strings.NewReader("email\n"))
		wantCode(t, err, errs.CodeForbidden)
		if n := countRows(t, d, "imports"); n != 0 {
			t.Errorf("%d imports stored from refused files", n)
		}
		// Windows-1252 from Excel is converted; a semicolon file is read as such.
		pre, err := h.s.UploadImport(ctx, organizer, "win.csv", strings.NewReader("Nombre;Apellido;Correo\nJos\xe9;Pe\xf1a;jose@example.org\n"))
		if err != nil {
			t.Fatal(err)
		}
		if pre.Encoding != "windows-1252" || pre.Sample[0][0] != "José" || pre.Sample[0][1] != "Peña" {
			t.Errorf("windows-1252 preview = %+v", pre)
		}
		imp := runNow(t, h, pre.ID, ImportOptions{})
		if imp.Created != 1 {
			t.Errorf("windows-1252 import = %+v", tallyOf(imp))
		}
		// A huge cell rejects its row, not the file.
		huge := "email,notes\nbig@example.org," + strings.Repeat("x", MaxCellBytes+1) + "\nsmall@example.org,ok\n"
		imp = runNow(t, h, upload(t, h, "huge.csv", huge).ID, ImportOptions{})
		if tallyOf(imp) != (tally{created: 1, rejected: 1}) {
			t.Errorf("huge cell import = %+v", tallyOf(imp))
		}
		// A mapping without an e-mail, phone or id is refused.
		pre = upload(t, h, "names.csv", "first,last\nAna,Ruiz\n")
		_, err = h.s.StartImport(ctx, organizer, pre.ID, ImportOptions{})
		wantField(t, err, "mapping", "people.import.mapping_identity")
		_, err = h.s.StartImport(ctx, organizer, pre.ID, ImportOptions{Mapping: Mapping{ImportEmail}})
		wantField(t, err, "mapping", "people.import.mapping_columns")
		_, err = h.s.StartImport(ctx, organizer, pre.ID, ImportOptions{Mapping: Mapping{ImportEmail, "salary"}})
		wantField(t, err, "mapping", "people.import.mapping_unknown")
	})
}

func TestImportJobAndFile(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.start(t)
		ctx := context.Background()
		if _, err := h.s.DefineField(ctx, admin, FieldDef{Key: "shirt", LabelEn: "Shirt size", LabelEs: "Talla de camiseta", Kind: FieldChoice,
			Choices: []Choice{{Value: "s", LabelEn: "Small", LabelEs: "Chica"}, {Value: "m", LabelEn: "Medium", LabelEs: "Mediana"}}}); err != nil {
			t.Fatal(err)
		}
		pre := upload(t, h, "shirts.csv", "email,Shirt size,phone\na@example.org,Medium,\nb@example.org,XXL,\nc@example.org,,+1 512 555 0199\n")
		if pre.Mapping[1] != CustomImportField("shirt") {
			t.Errorf("custom field not mapped: %v", pre.Mapping)
		}
		if _, err := h.s.StartImport(ctx, organizer, pre.ID, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		var imp Import
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			imp, _ = h.s.Import(ctx, organizer, pre.ID)
			if imp.Status == ImportDone || imp.Status == ImportFailed {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if imp.Status != ImportDone || tallyOf(imp) != (tally{created: 2, rejected: 1}) {
			t.Fatalf("job import = %+v", imp)
		}
		rej, _ := h.s.Rejects(ctx, organizer, pre.ID, 10)
		if len(rej) != 1 || rej[0].Field != "fields.shirt" || rej[0].ReasonKey != "people.custom.value_invalid.choice" {
			t.Errorf("rejects = %+v", rej)
		}
		res, _ := h.s.Search(ctx, organizer, "a@example.org", 1)
		a, _ := h.s.Get(ctx, organizer, res[0].ID)
		if a.Fields["shirt"] != "m" {
			t.Errorf("shirt = %q, want m", a.Fields["shirt"])
		}

		path := filepath.Join(t.TempDir(), "cli.csv")
		if err := os.WriteFile(path, []byte("E-mail,First Name\nd@example.org,Dora\na@example.org,Alba\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var progressed int
		cli, err := h.s.ImportFile(ctx, auth.System("cli"), path, ImportOptions{}, func(Import) { progressed++ })
		if err != nil {
			t.Fatal(err)
		}
		if tallyOf(cli) != (tally{created: 1, updated: 1}) || cli.Filename != "cli.csv" || progressed == 0 || cli.CreatedBy != "system:cli" {
			t.Errorf("ImportFile = %+v (progress calls %d)", cli, progressed)
		}
	})
}

func TestParseConsentCell(t *testing.T) {
	cases := []struct {
		cell   string
		optOut bool
		want   ConsentStatus
		ok     bool
	}{
		{"subscribed", false, ConsentGranted, true},
		{"Unsubscribed", false, ConsentRevoked, true},
		{"Sí", false, ConsentGranted, true},
		{"bouncing", false, "", true},
		{"1", true, ConsentRevoked, true},
		{"0", true, "", true},
		{"maybe", false, "", false},
	}
	for _, c := range cases {
		got, ok := parseConsentCell(c.cell, c.optOut)
		if got != c.want || ok != c.ok {
			t.Errorf("parseConsentCell(%q, %v) = %q, %v; want %q, %v", c.cell, c.optOut, got, ok, c.want, c.ok)
		}
	}
}

// A job that stopped half-way goes on from the last committed batch.
func TestImportResumes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, func(c *Config) { c.ImportBatch = 2 })
		ctx := context.Background()
		file := "email\na@example.org\nb@example.org\nc@example.org\n\nd@example.org\n"
		pre := upload(t, h, "r.csv", file)
		if pre.RowsTotal != 4 {
			t.Errorf("rows = %d, want 4 (blank lines do not count)", pre.RowsTotal)
		}
		if err := h.s.inTx(ctx, func(tx *db.Tx) error { return h.s.prepareRun(ctx, tx, pre.ID, ImportOptions{}) }); err != nil {
			t.Fatal(err)
		}
		// As if a crash came after the first batch of two committed with its progress.
		if _, err := d.ExecContext(ctx, "UPDATE imports SET rows_done = 2, created_count = 2, status = 'running' WHERE id = ?", pre.ID); err != nil {
			t.Fatal(err)
		}
		if err := h.s.runImport(ctx, pre.ID, nil); err != nil {
			t.Fatal(err)
		}
		imp, _ := h.s.Import(ctx, organizer, pre.ID)
		if imp.Status != ImportDone || imp.RowsDone != 4 || imp.Created != 4 || imp.Percent() != 100 {
			t.Errorf("resumed import = %+v", imp)
		}
		if n := countRows(t, d, "people"); n != 2 {
			t.Errorf("%d people, want the 2 rows after the committed batch", n)
		}
		if res, _ := h.s.Search(ctx, organizer, "a@example.org", 1); len(res) != 0 {
			t.Error("a row of the committed batch was imported twice")
		}
	})
}

// Import batches run without foreign-key checks (db.InBulkTx): a custom field deleted while
// an import runs must leave no value behind in the batches after it.
func TestImportFieldDeletedMidway(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, func(c *Config) { c.ImportBatch = 1 })
		ctx := context.Background()
		if _, err := h.s.DefineField(ctx, admin, FieldDef{Key: "skills", LabelEn: "Skills", LabelEs: "Habilidades", Kind: FieldText}); err != nil {
			t.Fatal(err)
		}
		pre := upload(t, h, "skills.csv", "email,Skills\na@example.org,cooking\nb@example.org,driving\nc@example.org,legal\n")
		if err := h.s.inTx(ctx, func(tx *db.Tx) error { return h.s.prepareRun(ctx, tx, pre.ID, ImportOptions{}) }); err != nil {
			t.Fatal(err)
		}
		deleted := false
		err := h.s.runImport(ctx, pre.ID, func(Import) {
			if !deleted {
				deleted = true
				if err := h.s.DeleteField(ctx, admin, "skills"); err != nil {
					t.Error(err)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		imp, _ := h.s.Import(ctx, organizer, pre.ID)
		if imp.Status != ImportDone || imp.Created != 3 {
			t.Fatalf("import = %+v", imp)
		}
		var n int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM person_fields").Scan(&n); err != nil || n != 0 {
			t.Errorf("values left of a deleted field: %d, %v", n, err)
		}
		if d.Dialect() == db.SQLite {
			rows, err := d.QueryContext(ctx, "PRAGMA foreign_key_check")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			if rows.Next() {
				t.Error("foreign_key_check finds rows pointing at nothing")
			}
		}
	})
}

// TestImportUpdatesOnlyWhatChanged re-imports known people with some values changed: each
// changed column is stored (a new name with its search words), and the columns the file
// leaves alone or repeats keep their values, in one batch of mixed changes.
func TestImportUpdatesOnlyWhatChanged(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		first := "email,first_name,last_name,zip_code,state,language,notes\n" +
			"ana@example.org,Ana,Ruiz,78701,TX,es,met at the vigil\n" +
			"luis@example.org,Luis,Pérez,10001,NY,en,\n"
		runNow(t, h, upload(t, h, "first.csv", first).ID, ImportOptions{})
		second := "email,first_name,last_name,zip_code,state,language,notes\n" +
			"ana@example.org,Ana,Ruiz,78702,TX,,\n" + // a new ZIP only
			"luis@example.org,Luisa,Pérez Gil,10001,NY,es,\n" // a new name and language
		imp := runNow(t, h, upload(t, h, "second.csv", second).ID, ImportOptions{})
		if got := tallyOf(imp); got != (tally{updated: 2}) {
			t.Fatalf("re-import = %+v", got)
		}
		get := func(email string) Person {
			t.Helper()
			res, err := h.s.Search(ctx, organizer, email, 1)
			if err != nil || len(res) != 1 {
				t.Fatalf("search %s = %v, %v", email, res, err)
			}
			p, err := h.s.Get(ctx, organizer, res[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		ana := get("ana@example.org")
		if ana.Address.ZIP != "78702" || ana.Address.State != "TX" || ana.GivenName != "Ana" || ana.Language != "es" || ana.Notes != "met at the vigil" {
			t.Errorf("ana = %+v", ana)
		}
		luis := get("luis@example.org")
		if luis.GivenName != "Luisa" || luis.FamilyName != "Pérez Gil" || luis.Language != "es" || luis.Address.ZIP != "10001" {
			t.Errorf("luis = %+v", luis)
		}
		for search, want := range map[string]int{"luisa": 1, "gil": 1, "luis p": 1, "ruiz": 1} {
			if res, err := h.s.Search(ctx, organizer, search, 5); err != nil || len(res) != want {
				t.Errorf("search %q = %d people, want %d (%v)", search, len(res), want, err)
			}
		}
	})
}

// TestImportStopsBetweenBatches cancels an import while its first batch is written: the
// batch finishes whole (a batch is not cancelled halfway), the next does not start, and
// the import resumes from the committed progress.
func TestImportStopsBetweenBatches(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, func(c *Config) { c.ImportBatch = 2 })
		file := "email\na@example.org\nb@example.org\nc@example.org\nd@example.org\ne@example.org\n"
		pre := upload(t, h, "stop.csv", file)
		if err := h.s.inTx(context.Background(), func(tx *db.Tx) error {
			return h.s.prepareRun(context.Background(), tx, pre.ID, ImportOptions{})
		}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		batches := 0
		err := h.s.runImport(ctx, pre.ID, func(Import) {
			batches++
			cancel() // as the first batch's progress is reported
		})
		if !errors.Is(err, context.Canceled) || batches != 1 {
			t.Fatalf("run = %v after %d batches, want cancelled after 1", err, batches)
		}
		imp, _ := h.s.Import(context.Background(), organizer, pre.ID)
		if n := countRows(t, d, "people"); imp.RowsDone != n || n == 0 || n == 5 {
			t.Errorf("stopped with %d rows done and %d people, want the same part", imp.RowsDone, n)
		}
		if err := h.s.runImport(context.Background(), pre.ID, nil); err != nil {
			t.Fatal(err)
		}
		if imp, _ := h.s.Import(context.Background(), organizer, pre.ID); imp.Status != ImportDone || imp.Created != 5 || countRows(t, d, "people") != 5 {
			t.Errorf("resumed = %+v", imp)
		}
	})
}

// TestImportRefsOfTwoTools imports one person from CiviCRM and from Action Network: each
// tool's id is kept, and a later file from one tool matches the person by its own id
// (with no e-mail to go by), never by the other tool's id of the same value.
func TestImportRefsOfTwoTools(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		civi := "Contact ID,First Name,Last Name,Email\n42,Rosa,Parks,rosa@example.org\n"
		an := "uuid,first_name,last_name,email,zip_code\n42,Rosa,Parks,rosa@example.org,78701\n"
		if imp := runNow(t, h, upload(t, h, "civi.csv", civi).ID, ImportOptions{}); imp.Created != 1 {
			t.Fatalf("CiviCRM import = %+v", tallyOf(imp))
		}
		if imp := runNow(t, h, upload(t, h, "an.csv", an).ID, ImportOptions{}); tallyOf(imp) != (tally{updated: 1}) {
			t.Fatalf("Action Network import = %+v", tallyOf(imp))
		}
		// By the Action Network id alone: the same person, whose CiviCRM id is also 42.
		again := "uuid,first_name,last_name,email,zip_code,can2_phone\n42,Rosa,Parks,,78701,512-555-0199\n"
		if imp := runNow(t, h, upload(t, h, "an2.csv", again).ID, ImportOptions{}); tallyOf(imp) != (tally{updated: 1}) {
			t.Fatalf("second Action Network import = %+v", tallyOf(imp))
		}
		var refs []string
		err := eachRow(context.Background(), d, "SELECT system || ':' || ref FROM person_refs ORDER BY system", nil, func(scan func(...any) error) error {
			var r string
			err := scan(&r)
			refs = append(refs, r)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, d, "people"); n != 1 || strings.Join(refs, ",") != "actionnetwork:42,civicrm:42" {
			t.Errorf("%d people with refs %q", n, refs)
		}
	})
}
