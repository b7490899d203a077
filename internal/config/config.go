// Package config holds Solidarity's typed configuration: defaults, command-line flags,
// SOLIDARITY_* environment variables and an optional env-style file, and Validate. Nothing
// here is global; main builds one Config and hands it down.
package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything an operator can set.
type Config struct {
	Addr        string // listen address
	DataDir     string // SQLite database, file store, runtime files
	DatabaseURL string // postgres://… to run on PostgreSQL; empty for embedded SQLite
	Demo        bool   // load the demo network and run with a throwaway vault
	BaseURL     string // public address used in links, e-mails and signature checks

	SMTP string // smtp://user:pass@host:port or smtps://…; empty: built-in outbox
	From string // From: address of outgoing e-mail

	SMSURL     string // Twilio-compatible API base URL; empty: built-in outbox
	SMSAccount string
	SMSToken   string
	SMSFrom    string
	SMSRate    float64 // messages per second handed to the SMS provider

	Metrics      bool   // serve /metrics
	MetricsToken string // when set, /metrics needs Authorization: Bearer <token>

	VaultPassphrase string // unseal at start (prefer VaultKeyFile)
	VaultKeyFile    string

	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string

	// TrustedProxies are the addresses (CIDRs, comma-separated) of reverse proxies whose
	// X-Forwarded-For is believed, so that rate limits see each client, not the proxy.
	TrustedProxies string

	LogLevel        string // debug, info, warn, error
	ShutdownTimeout time.Duration
	// AllowPrivateWebhooks lets outbound webhooks and providers reach loopback and private
	// addresses; only tests and single-machine set-ups need it.
	AllowPrivateWebhooks bool
}

// option binds one flag to its field and environment variable.
type option struct {
	name, env, usage string
	str              *string
	boolean          *bool
	float            *float64
	dur              *time.Duration
}

func (c *Config) options() []option {
	return []option{
		{name: "addr", env: "SOLIDARITY_ADDR", usage: "address to listen on", str: &c.Addr},
		{name: "data", env: "SOLIDARITY_DATA", usage: "folder for the embedded database and files", str: &c.DataDir},
		{name: "database", env: "SOLIDARITY_DATABASE_URL", usage: "postgres://… to run on PostgreSQL (default: embedded SQLite in the data folder)", str: &c.DatabaseURL},
		{name: "demo", env: "SOLIDARITY_DEMO", usage: "load the demo network and use a throwaway vault", boolean: &c.Demo},
		{name: "base-url", env: "SOLIDARITY_BASE_URL", usage: "public address of this system, used in links", str: &c.BaseURL},
		{name: "smtp", env: "SOLIDARITY_SMTP", usage: "outgoing mail server, smtp://user:pass@host:587 (STARTTLS) or smtps://…:465", str: &c.SMTP},
		{name: "mail-from", env: "SOLIDARITY_MAIL_FROM", usage: "From: address of outgoing mail", str: &c.From},
		{name: "sms-url", env: "SOLIDARITY_SMS_URL", usage: "base URL of a Twilio-compatible SMS API", str: &c.SMSURL},
		{name: "sms-account", env: "SOLIDARITY_SMS_ACCOUNT", usage: "SMS API account id", str: &c.SMSAccount},
		{name: "sms-token", env: "SOLIDARITY_SMS_TOKEN", usage: "SMS API token (also checks inbound signatures)", str: &c.SMSToken},
		{name: "sms-from", env: "SOLIDARITY_SMS_FROM", usage: "sending phone number", str: &c.SMSFrom},
		{name: "sms-rate", env: "SOLIDARITY_SMS_RATE", usage: "SMS messages per second the provider allows", float: &c.SMSRate},
		{name: "metrics", env: "SOLIDARITY_METRICS", usage: "serve Prometheus metrics at /metrics", boolean: &c.Metrics},
		{name: "metrics-token", env: "SOLIDARITY_METRICS_TOKEN", usage: "bearer token required for /metrics (implies --metrics)", str: &c.MetricsToken},
		{name: "vault-key-file", env: "SOLIDARITY_VAULT_KEY_FILE", usage: "file holding the vault key, to unseal at start", str: &c.VaultKeyFile},
		{name: "stripe-api-base", env: "SOLIDARITY_STRIPE_API_BASE", usage: "Stripe API address (tests: stripe-mock)", str: &c.StripeAPIBase},
		{name: "trusted-proxies", env: "SOLIDARITY_TRUSTED_PROXIES", usage: "CIDRs of reverse proxies whose X-Forwarded-For is believed (e.g. 127.0.0.1/32)", str: &c.TrustedProxies},
		{name: "log-level", env: "SOLIDARITY_LOG_LEVEL", usage: "debug, info, warn or error", str: &c.LogLevel},
		{name: "shutdown-timeout", env: "SOLIDARITY_SHUTDOWN_TIMEOUT", usage: "how long to drain requests and jobs on SIGTERM", dur: &c.ShutdownTimeout},
		{name: "allow-private-webhooks", env: "SOLIDARITY_ALLOW_PRIVATE_WEBHOOKS", usage: "let outbound calls reach private and loopback addresses (tests only)", boolean: &c.AllowPrivateWebhooks},
	}
}

// secrets are read only from the environment or the config file, never from flags, so that
// they do not show in the process list.
func (c *Config) secrets() map[string]*string {
	return map[string]*string{
		"SOLIDARITY_VAULT_PASSPHRASE":      &c.VaultPassphrase,
		"SOLIDARITY_STRIPE_SECRET_KEY":     &c.StripeSecretKey,
		"SOLIDARITY_STRIPE_WEBHOOK_SECRET": &c.StripeWebhookSecret,
	}
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "data",
		From:            "Solidarity <no-reply@localhost>",
		SMSRate:         10,
		LogLevel:        "info",
		ShutdownTimeout: 20 * time.Second,
	}
}

// Load builds a Config from defaults, then an env-style file named by --config or
// SOLIDARITY_CONFIG, then the environment, then flags (each overriding the one before).
// getenv is os.Getenv outside tests.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Default()
	opts := c.options()
	configFile := fs.String("config", getenv("SOLIDARITY_CONFIG"), "file of SOLIDARITY_*=value lines")
	for _, o := range opts {
		switch {
		case o.str != nil:
			fs.StringVar(o.str, o.name, *o.str, o.usage+" ("+o.env+")")
		case o.boolean != nil:
			fs.BoolVar(o.boolean, o.name, *o.boolean, o.usage+" ("+o.env+")")
		case o.float != nil:
			fs.Float64Var(o.float, o.name, *o.float, o.usage+" ("+o.env+")")
		case o.dur != nil:
			fs.DurationVar(o.dur, o.name, *o.dur, o.usage+" ("+o.env+")")
		}
	}
	// First pass only to learn --config; flags are parsed again after env so they win.
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	values := map[string]string{}
	if *configFile != "" {
		fileValues, err := readFile(*configFile)
		if err != nil {
			return c, err
		}
		values = fileValues
	}
	lookup := func(key string) (string, bool) {
		if v := getenv(key); v != "" {
			return v, true
		}
		v, ok := values[key]
		return v, ok
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, o := range opts {
		v, ok := lookup(o.env)
		if !ok || set[o.name] {
			continue
		}
		if err := fs.Set(o.name, v); err != nil {
			return c, fmt.Errorf("config: %s: %w", o.env, err)
		}
	}
	for key, p := range c.secrets() {
		if v, ok := lookup(key); ok {
			*p = v
		}
	}
	return c, nil
}

func readFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(k, "SOLIDARITY_") {
			return nil, fmt.Errorf("config: %s line %d: want SOLIDARITY_NAME=value", filepath.Base(path), n)
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out, sc.Err()
}

// Validate checks the values and fills the ones derived from others.
func (c *Config) Validate() error {
	var problems []string
	if c.Addr == "" {
		problems = append(problems, "--addr is empty")
	}
	if c.DataDir == "" {
		problems = append(problems, "--data is empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		problems = append(problems, "--database must be a postgres:// URL")
	}
	if c.BaseURL == "" {
		// localhost rather than 127.0.0.1: browsers treat it as a secure context, and
		// passkeys need a host name, not an address.
		host, port, _ := strings.Cut(c.Addr, ":")
		if host == "" || host == "127.0.0.1" || host == "0.0.0.0" {
			host = "localhost"
		}
		c.BaseURL = "http://" + host + ":" + port
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, "--base-url must be an http(s) address")
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.SMTP != "" {
		if u, err := url.Parse(c.SMTP); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			problems = append(problems, "--smtp must be smtp://host:port or smtps://host:port")
		}
	}
	if c.SMSURL != "" && (c.SMSAccount == "" || c.SMSToken == "" || c.SMSFrom == "") {
		problems = append(problems, "--sms-url needs SOLIDARITY_SMS_ACCOUNT, SOLIDARITY_SMS_TOKEN and SOLIDARITY_SMS_FROM")
	}
	if c.SMSRate <= 0 {
		problems = append(problems, "--sms-rate must be above 0")
	}
	if c.MetricsToken != "" {
		c.Metrics = true
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, "--log-level must be debug, info, warn or error")
	}
	if c.ShutdownTimeout <= 0 {
		problems = append(problems, "--shutdown-timeout must be above 0")
	}
	if _, err := c.Proxies(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return errors.New("config: " + strings.Join(problems, "; "))
	}
	return nil
}

// Secure reports whether the system is served over TLS, which turns on HSTS and Secure
// cookies.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Proxies parses TrustedProxies.
func (c *Config) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(c.TrustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if a, err := netip.ParseAddr(part); err == nil {
				part = netip.PrefixFrom(a, a.BitLen()).String()
			}
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
