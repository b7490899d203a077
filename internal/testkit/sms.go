package testkit

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// SMSMessage is one message the fake provider accepted.
type SMSMessage struct {
	To, From, Body string
	SID            string    // the id the provider answered with
	At             time.Time // when the request arrived, for rate checks
}

// SMSServer is a fake Twilio-compatible SMS API: it takes POST
// /2010-04-01/Accounts/{Account}/Messages.json with HTTP basic auth (Account, Token) and
// form fields To, From and Body, answers 201 with a JSON sid, and keeps the messages. It
// can be scripted to fail.
type SMSServer struct {
	URL     string // base URL, the SMS URL to configure
	Account string
	Token   string

	mu       sync.Mutex
	msgs     []SMSMessage
	failures []int
	requests int
}

// NewSMSServer starts a fake provider with a random account and token; it stops when the
// test ends.
func NewSMSServer(t testing.TB) *SMSServer {
	t.Helper()
	s := &SMSServer{Account: "AC" + smsRandomHex(16), Token: smsRandomHex(16)}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// FailNext scripts the answers to the next authenticated requests, one status each, in
// order. Status 0 reads the request and then drops the connection without an answer, as a
// provider that fails after taking a message would; such a message is kept.
func (s *SMSServer) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, statuses...)
}

// Messages returns a copy of the messages taken so far.
func (s *SMSServer) Messages() []SMSMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMSMessage(nil), s.msgs...)
}

// Requests returns how many authenticated requests arrived, failed ones included.
func (s *SMSServer) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *SMSServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/2010-04-01/Accounts/"+s.Account+"/Messages.json" {
		twilioError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	if r.Method != http.MethodPost {
		twilioError(w, http.StatusMethodNotAllowed, 20004, "Method not allowed")
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.Account)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.Token)) != 1 {
		twilioError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioError(w, http.StatusBadRequest, 21600, "Bad form")
		return
	}
	m := SMSMessage{To: r.PostForm.Get("To"), From: r.PostForm.Get("From"), Body: r.PostForm.Get("Body"),
		SID: "SM" + smsRandomHex(16), At: time.Now()}
	s.mu.Lock()
	s.requests++
	status, scripted := 0, len(s.failures) > 0
	if scripted {
		status, s.failures = s.failures[0], s.failures[1:]
	}
	if scripted && status == 0 {
		s.msgs = append(s.msgs, m)
	}
	s.mu.Unlock()
	switch {
	case scripted && status == 0:
		panic(http.ErrAbortHandler) // drops the connection without an answer
	case scripted:
		// Like Twilio's own errors, the message names the number.
		twilioError(w, status, 30000+status, "Scripted failure for the 'To' number "+m.To)
		return
	case m.To == "" || m.From == "" || m.Body == "":
		twilioError(w, http.StatusBadRequest, 21604, "A 'To', 'From' and 'Body' are required")
		return
	}
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"sid": m.SID, "account_sid": s.Account, "to": m.To, "from": m.From, "body": m.Body, "status": "queued",
	})
}

func twilioError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message, "status": status})
}

func smsRandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
