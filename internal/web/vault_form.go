package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/ratelimit"
	"solidarity/internal/vault"
)

// Unseal attempts allowed per administrator: a passphrase guessed through the web page
// costs an argon2id derivation each time and is capped here on top.
const (
	adminUnsealLimit  = 10
	adminUnsealWindow = 15 * time.Minute
)

// adminKeyFileMax bounds a key file upload; a real one is 32 bytes, or 45 in base64.
const adminKeyFileMax = 4 << 10

// adminKeyFileField reports whether a vault form field carries a key file.
func adminKeyFileField(name string) bool { return name == "key_file" || name == "current_key_file" }

// adminVaultForm is a vault form as sent: passphrases as text, key files as bytes.
type adminVaultForm struct {
	values map[string]string
	files  map[string][]byte
}

// readVaultForm reads a vault form. Multipart bodies (key file uploads) are streamed part
// by part with a small cap, so that no key file is ever spooled to a temporary file on
// disk, as ParseMultipartForm would do for large parts.
func readVaultForm(r *http.Request) (adminVaultForm, error) {
	f := adminVaultForm{values: map[string]string{}, files: map[string][]byte{}}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return f, err
		}
		for k := range r.PostForm {
			f.values[k] = r.PostForm.Get(k)
		}
		return f, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return f, errs.Invalid("", "error.invalid")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return f, err
			}
			return f, errs.Invalid("", "error.invalid")
		}
		name := part.FormName()
		b, err := io.ReadAll(io.LimitReader(part, adminKeyFileMax+1))
		part.Close()
		if err != nil {
			return f, errs.Invalid("", "error.invalid")
		}
		switch {
		case adminKeyFileField(name) && len(b) > adminKeyFileMax:
			clear(b)
			return f, errs.Invalid(name, "vault.keyfile.invalid")
		case adminKeyFileField(name) && len(b) > 0:
			f.files[name] = b
		case !adminKeyFileField(name) && len(b) <= adminKeyFileMax:
			f.values[name] = string(b)
		}
	}
}

// secret returns the secret the form gives: the key file of fileField when one was sent,
// otherwise the passphrase of passField. The form's copy of a key file is wiped.
func (f adminVaultForm) secret(passField, fileField string) vault.Secret {
	if b, ok := f.files[fileField]; ok {
		s := vault.KeyFile(b)
		clear(b)
		delete(f.files, fileField)
		return s
	}
	return vault.Passphrase(f.values[passField])
}

// wipe forgets the key files the form still holds.
func (f adminVaultForm) wipe() {
	for k, b := range f.files {
		clear(b)
		delete(f.files, k)
	}
}

// adminUnsealAllowed counts one attempt to open the vault by the actor and, when the
// actor is over the limit, answers 429 with how long to wait and returns false.
func (s *Server) adminUnsealAllowed(w http.ResponseWriter, r *http.Request) bool {
	ok, wait, err := s.Limiter.Allow(r.Context(), "vault.unseal", actor(r).Label(), adminUnsealLimit, adminUnsealWindow)
	if err != nil {
		s.fail(w, r, err) // fail closed: guessing must not get easier when the limiter breaks
		return false
	}
	if !ok {
		key, n := ratelimit.WaitMessage(wait)
		w.Header().Set("Retry-After", adminRetryAfter(wait))
		s.render(w, r, http.StatusTooManyRequests, "admin_wait", "admin.vault.title", adminWait{Key: key, Count: n, Back: "/admin/vault"})
		return false
	}
	return true
}

// adminWait is the data of the page that asks to wait before trying again.
type adminWait struct {
	Key   string // plural message key
	Count int
	Back  string
}

// adminRetryAfter renders a wait as whole seconds, rounded up, for Retry-After.
func adminRetryAfter(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}
