package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmSystem is the actor that sets fixtures up through the service.
var crmSystem = auth.System("test")

// crmAdd adds a person through the service, failing the test on error.
func crmAdd(t *testing.T, a *app.App, in people.PersonInput) people.Person {
	t.Helper()
	p, err := a.People.Create(context.Background(), crmSystem, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return p
}

// crmCount is how many people the database holds.
func crmCount(t *testing.T, a *app.App) int {
	t.Helper()
	n, err := a.People.Count(context.Background(), crmSystem, people.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// crmIDFrom reads the id at the end of a redirect like /people/12 or /imports/3.
func crmIDFrom(t *testing.T, location, prefix string) int64 {
	t.Helper()
	rest, ok := strings.CutPrefix(location, prefix)
	if !ok {
		t.Fatalf("redirect to %q, want %s<id>", location, prefix)
	}
	if i := strings.IndexAny(rest, "?#/"); i >= 0 {
		rest = rest[:i]
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q: %v", location, err)
	}
	return id
}

// crmMultipart is a multipart form with one file field.
func crmMultipart(t *testing.T, field, filename string, content []byte) (string, *bytes.Buffer) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &body
}

// upload sends a file to /imports as a browser's file form would.
func (g *adminAgent) upload(filename string, content []byte) adminPage {
	g.t.Helper()
	ctype, body := crmMultipart(g.t, "file", filename, content)
	req := httptest.NewRequest(http.MethodPost, "/imports", body)
	req.Header.Set("Content-Type", ctype)
	return g.send(req)
}

// uploadStream sends a multipart body read from r, of unknown length (as a chunked
// upload arrives).
func (g *adminAgent) uploadStream(ctype string, r io.Reader) adminPage {
	g.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/imports", r)
	req.ContentLength = -1
	req.Header.Set("Content-Type", ctype)
	return g.send(req)
}

// crmStartJobs works the node's background jobs until the test ends.
func crmStartJobs(t *testing.T, a *app.App) {
	t.Helper()
	if err := a.Jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.Jobs.Stop(ctx)
	})
}

// crmWaitImport polls the import's page, as its refresh would, until the import is done
// or failed, and returns that page.
func crmWaitImport(t *testing.T, g *adminAgent, id int64) adminPage {
	t.Helper()
	path := fmt.Sprintf("/imports/%d", id)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		imp, err := g.a.People.Import(context.Background(), crmSystem, id)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status == people.ImportDone || imp.Status == people.ImportFailed {
			return g.get(path)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("import %d did not finish in 30 s", id)
	return adminPage{}
}

// crmCell returns the text of the definition (<dd>) that follows the term (<dt>) term on
// a page, for reading counts.
func crmCell(p adminPage, term string) string {
	i := strings.Index(p.Body, "<dt>"+term+"</dt>")
	if i < 0 {
		return ""
	}
	rest := p.Body[i:]
	start := strings.Index(rest, "<dd>")
	end := strings.Index(rest, "</dd>")
	if start < 0 || end < start {
		return ""
	}
	return strings.TrimSpace(rest[start+4 : end])
}

// postTo posts form and expects a 303 to want, then follows it as a browser would (which
// never sends the #fragment) and returns that page.
func (g *adminAgent) postTo(path string, form url.Values, want string) adminPage {
	g.t.Helper()
	p := g.post(path, form)
	if p.Status != http.StatusSeeOther || p.Location != want {
		g.t.Fatalf("POST %s: %d to %q, want 303 to %q\n%s", path, p.Status, p.Location, want, adminExcerpt(p.Body))
	}
	return g.follow(want)
}

// follow gets an address as a browser would, without its #fragment.
func (g *adminAgent) follow(href string) adminPage {
	g.t.Helper()
	href, _, _ = strings.Cut(href, "#")
	return g.get(href)
}
