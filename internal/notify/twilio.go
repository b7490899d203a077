package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// texter posts SMS to a Twilio-compatible API (Twilio, and the providers and gateways
// that copy its Messages resource).
type texter struct {
	endpoint string // {base}/2010-04-01/Accounts/{account}/Messages.json
	account  string
	token    string
	from     string
	client   *http.Client
}

func newTexter(base, account, token, from string) (*texter, error) {
	u, err := parseProviderURL("SMS", base, "https", "http")
	if err != nil {
		return nil, err
	}
	if account == "" || token == "" || from == "" {
		return nil, errors.New("the SMS URL needs an account, a token and a From number")
	}
	if u.User != nil {
		return nil, errors.New("the SMS URL must not hold credentials; set the account and token")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = 10 * time.Second
	transport.ResponseHeaderTimeout = 30 * time.Second
	return &texter{
		endpoint: strings.TrimRight(u.String(), "/") + "/2010-04-01/Accounts/" + url.PathEscape(account) + "/Messages.json",
		account:  account,
		token:    token,
		from:     from,
		client: &http.Client{
			Transport: transport,
			Timeout:   45 * time.Second,
			// A redirect would replay (or drop) the POST; the configured URL must be the API.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// maxResponse bounds how much of the provider's answer is read.
const maxResponse = 64 << 10

// send posts one message. The provider's answer decides: 2xx sent (with its sid), 429 and
// 5xx retried, any other 4xx refused for good. A network failure before the request was
// fully written is retried; after that the provider may have taken the message, so the
// outcome is unknown.
func (t *texter) send(ctx context.Context, to, body string) result {
	form := url.Values{"To": {to}, "From": {t.from}, "Body": {body}}
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			wrote.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, t.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return retry("sms request", err)
	}
	req.SetBasicAuth(t.account, t.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		// The url.Error names the endpoint only, which holds the account id, not a secret.
		if wrote.Load() {
			return unknown("sms response", err)
		}
		return retry("sms connect", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	code := fmt.Sprintf("sms http %d", resp.StatusCode)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		var ok struct {
			SID string `json:"sid"`
		}
		if err := json.Unmarshal(raw, &ok); err != nil || ok.SID == "" {
			// Accepted all the same: a missing id must not cause a second send.
			return result{outcome: outcomeSent, detail: "the provider accepted the message without a sid"}
		}
		return result{outcome: outcomeSent, providerID: ok.SID}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return result{outcome: outcomeRetry, code: code, detail: providerMessage(resp.StatusCode, raw)}
	case resp.StatusCode >= 400:
		return result{outcome: outcomeRefused, code: code, detail: providerMessage(resp.StatusCode, raw)}
	default:
		// 1xx or 3xx: not the API answering; the message was not created.
		return result{outcome: outcomeRetry, code: code, detail: providerMessage(resp.StatusCode, raw)}
	}
}

// providerMessage turns a Twilio error document ({"code": 21211, "message": "…"}) into
// the delivery's error text; it may name the number, so it goes to the log row only.
func providerMessage(status int, raw []byte) string {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Message != "" {
		return fmt.Sprintf("HTTP %d: %d %s", status, e.Code, e.Message)
	}
	return fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
}
