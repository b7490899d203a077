package app_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmImportCSV has three good rows and one with a bad e-mail (its fourth record).
const crmImportCSV = "First Name,Last Name,Email,Phone,Zip Code,Tags\n" +
	"Ana,Ruiz,ana@example.org,512 555 0101,78701,volunteer\n" +
	"Ben,Cole,ben@example.org,,78702,\n" +
	"Cy,Diaz,not-an-email,,78703,\n" +
	"Dee,Ng,dee@example.org,+52 55 1234 5678,,\"press, driver\"\n"

// An organizer uploads a CSV, sees the automatic mapping and a preview, runs a dry run
// (counts and rejects, nothing written), imports for real with a progress page, reads the
// rejected row with its translated reason and downloads it; importing the same file again
// changes nothing.
func TestStaffImport(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		up := g.upload("members.csv", []byte(crmImportCSV))
		id := crmIDFrom(t, up.Location, "/imports/")
		path := fmt.Sprintf("/imports/%d", id)
		page := g.get(path)
		page.expect(t, "mapping page", http.StatusOK, g.tr("crm.imports.flash.uploaded"), "members.csv", g.tr("crm.import.mapping"),
			`<option value="given_name" selected>`, `<option value="family_name" selected>`, `<option value="email" selected>`,
			`<option value="phone" selected>`, `<option value="zip" selected>`, `<option value="tags" selected>`,
			g.tr("crm.import.preview"), "not-an-email", "Dee", g.tr("people.import.status.uploaded"))
		page.lacks(t, "mapping page", `http-equiv="refresh"`)

		mapping := url.Values{"map-0": {"given_name"}, "map-1": {"family_name"}, "map-2": {""}, "map-3": {""}, "map-4": {"zip"}, "map-5": {""}}
		g.post(path+"/start", mapping).expect(t, "nothing identifies people", http.StatusUnprocessableEntity,
			g.tr("people.import.mapping_identity"))

		// Queued before any worker runs: the progress page refreshes itself, unless asked not to.
		queued := g.postTo(path+"/start", url.Values{"dry_run": {"yes"}}, path)
		queued.expect(t, "queued dry run", http.StatusOK, g.tr("crm.import.flash.dry_run"), "<progress", `<meta http-equiv="refresh" content="2">`,
			g.tr("crm.import.stop_refresh"))
		g.get(path+"?still=1").lacks(t, "refresh stopped", `http-equiv="refresh"`)

		crmStartJobs(t, a)
		dry := crmWaitImport(t, g, id)
		dry.expect(t, "dry run done", http.StatusOK, g.tr("crm.import.dry_counts"), g.tr("people.email.invalid"), g.tr("crm.import.start_button"))
		if got := [4]string{crmCell(dry, g.tr("crm.import.created")), crmCell(dry, g.tr("crm.import.updated")),
			crmCell(dry, g.tr("crm.import.unchanged")), crmCell(dry, g.tr("crm.import.rejected"))}; got != [4]string{"3", "0", "0", "1"} {
			t.Errorf("dry run counts %v", got)
		}
		dry.lacks(t, "dry run done", `http-equiv="refresh"`)
		if n := crmCount(t, a); n != 0 {
			t.Fatalf("the dry run wrote %d people", n)
		}

		g.postTo(path+"/start", url.Values{"tags": {"spring drive"}}, path)
		done := crmWaitImport(t, g, id)
		done.expect(t, "import done", http.StatusOK, g.tr("people.import.status.done"), g.tr("crm.import.counts"),
			g.tr("crm.import.rejects"), "<th scope=\"row\">4</th>", g.tr("people.import.field.email"), g.tr("people.email.invalid"))
		done.lacks(t, "import done", `action="`+path+`/start"`)
		if got := [2]string{crmCell(done, g.tr("crm.import.created")), crmCell(done, g.tr("crm.import.rejected"))}; got != [2]string{"3", "1"} {
			t.Errorf("import counts %v", got)
		}
		if n := crmCount(t, a); n != 3 {
			t.Fatalf("the import left %d people, want 3", n)
		}
		g.get("/people?tags=spring+drive").expect(t, "tagged by the import", http.StatusOK, "3 people", "Dee Ng")

		for _, lang := range []string{"en", "es"} {
			g.lang = lang
			g.get(path).expect(t, lang+" rejects", http.StatusOK, g.tr("people.email.invalid"))
			csvFile := g.get(path + "/rejects.csv")
			if csvFile.Status != http.StatusOK || !strings.HasPrefix(csvFile.Header.Get("Content-Disposition"), "attachment;") ||
				csvFile.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s rejects download: %d %v", lang, csvFile.Status, csvFile.Header)
			}
			for _, want := range []string{g.tr("people.import.rejects.reason"), g.tr("people.email.invalid"), "not-an-email", "Cy"} {
				if !strings.Contains(csvFile.Raw, want) {
					t.Errorf("%s rejects file lacks %q:\n%s", lang, want, csvFile.Raw)
				}
			}
		}
		g.lang = "en"

		again := g.upload("members.csv", []byte(crmImportCSV))
		id2 := crmIDFrom(t, again.Location, "/imports/")
		g.postTo(fmt.Sprintf("/imports/%d/start", id2), nil, fmt.Sprintf("/imports/%d", id2))
		second := crmWaitImport(t, g, id2)
		if got := [4]string{crmCell(second, g.tr("crm.import.created")), crmCell(second, g.tr("crm.import.updated")),
			crmCell(second, g.tr("crm.import.unchanged")), crmCell(second, g.tr("crm.import.rejected"))}; got != [4]string{"0", "0", "3", "1"} {
			t.Errorf("re-import counts %v, want nothing changed", got)
		}
		if n := crmCount(t, a); n != 3 {
			t.Errorf("re-importing left %d people", n)
		}
		g.get("/imports").expect(t, "imports list", http.StatusOK, fmt.Sprintf(`href="/imports/%d"`, id), fmt.Sprintf(`href="/imports/%d"`, id2))
	})
}

// Uploads that cannot be imported come back on the upload form with a translated reason:
// too large (413), not a CSV file, no file at all (422).
func TestStaffImportRefused(t *testing.T) {
	a := openApp(t)
	g := adminAs(t, a, auth.RoleOrganizer)
	limit := a.People.MaxImportBytes()
	if limit != people.DefaultMaxImportBytes {
		t.Fatalf("the node takes uploads up to %d bytes; the message promises %d", limit, people.DefaultMaxImportBytes)
	}

	ctype, body := crmMultipart(t, "file", "big.csv", []byte("email\nx@example.org\n"))
	req := httptest.NewRequest(http.MethodPost, "/imports", body)
	req.Header.Set("Content-Type", ctype)
	req.ContentLength = limit + 1<<20
	for _, lang := range []string{"en", "es"} {
		g.lang = lang
		g.send(req.Clone(req.Context())).expect(t, lang+" declared too large", http.StatusRequestEntityTooLarge,
			g.tr("people.import.too_large"), g.tr("crm.imports.upload"), `aria-describedby="f-file-hint f-file-error"`)
	}
	g.lang = "en"

	// A file over the limit sent without a length, as a stream.
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", "huge.csv"); err != nil {
		t.Fatal(err)
	}
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	row := strings.Repeat("someone@example.org,Someone,Else\n", 1024)
	stream := io.MultiReader(bytes.NewReader(head.Bytes()), strings.NewReader("email,given,family\n"),
		io.LimitReader(&crmRepeat{s: row}, limit+10<<10), strings.NewReader(tail))
	g.uploadStream(mw.FormDataContentType(), stream).expect(t, "streamed too large", http.StatusRequestEntityTooLarge, g.tr("people.import.too_large"))

	g.upload("photo.csv", []byte("GIF89a\x00\x01\x02")).expect(t, "not a CSV", http.StatusUnprocessableEntity, g.tr("people.import.not_csv"))
	g.upload("empty.csv", nil).expect(t, "empty file", http.StatusUnprocessableEntity, g.tr("people.import.empty"))
	g.post("/imports", url.Values{}).expect(t, "no file", http.StatusUnprocessableEntity, g.tr("crm.imports.choose_file"))
	if list, err := a.People.Imports(req.Context(), crmSystem, 10); err != nil || len(list) != 0 {
		t.Errorf("refused uploads stored imports: %v %v", list, err)
	}
	if n := crmCount(t, a); n != 0 {
		t.Errorf("refused uploads stored %d people", n)
	}
}

// crmRepeat reads s over and over.
type crmRepeat struct {
	s   string
	off int
}

func (r *crmRepeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}
