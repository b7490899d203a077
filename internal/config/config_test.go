package config_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"solidarity/internal/config"
)

func load(t *testing.T, args []string, env map[string]string) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	return config.Load(fs, args, func(k string) string { return env[k] })
}

// Flags win over the environment, which wins over the file; secrets come only from the
// environment or the file.
func TestLoadPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "solidarity.env")
	content := "# comment\nSOLIDARITY_ADDR=127.0.0.1:7000\nSOLIDARITY_SMS_RATE=3\nSOLIDARITY_VAULT_PASSPHRASE=\"from the file\"\nSOLIDARITY_DEMO=true\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t, []string{"--config", file, "--sms-rate", "7"}, map[string]string{"SOLIDARITY_ADDR": "127.0.0.1:8000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8000" || c.SMSRate != 7 || !c.Demo || c.VaultPassphrase != "from the file" {
		t.Errorf("precedence wrong: %+v", c)
	}
	c, err = load(t, nil, map[string]string{"SOLIDARITY_VAULT_PASSPHRASE": "from env", "SOLIDARITY_DATABASE_URL": "postgres://x@y/z"})
	if err != nil || c.VaultPassphrase != "from env" || c.DatabaseURL != "postgres://x@y/z" {
		t.Errorf("env: %+v %v", c, err)
	}
	if _, err := load(t, []string{"--vault-passphrase", "x"}, nil); err == nil {
		t.Error("a passphrase flag must not exist: secrets would show in the process list")
	}
	bad := filepath.Join(t.TempDir(), "bad.env")
	_ = os.WriteFile(bad, []byte("ADDR=1\n"), 0o600)
	if _, err := load(t, []string{"--config", bad}, nil); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad config line: %v", err)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*config.Config)
		want   string
	}{
		{"defaults", func(*config.Config) {}, ""},
		{"mysql", func(c *config.Config) { c.DatabaseURL = "mysql://x" }, "--database"},
		{"base url", func(c *config.Config) { c.BaseURL = "ftp://x" }, "--base-url"},
		{"smtp", func(c *config.Config) { c.SMTP = "http://mail" }, "--smtp"},
		{"sms incomplete", func(c *config.Config) { c.SMSURL = "https://api.example" }, "SOLIDARITY_SMS_ACCOUNT"},
		{"log level", func(c *config.Config) { c.LogLevel = "loud" }, "--log-level"},
		{"proxies", func(c *config.Config) { c.TrustedProxies = "10.0.0.0/8, nonsense" }, "--trusted-proxies"},
	}
	for _, tc := range cases {
		c := config.Default()
		tc.mutate(&c)
		err := c.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	c := config.Default()
	c.MetricsToken = "t"
	if err := c.Validate(); err != nil || !c.Metrics || c.BaseURL != "http://localhost:8080" || c.Secure() {
		t.Errorf("derived values: %+v %v", c, err)
	}
	c = config.Default()
	c.BaseURL = "https://network.example.org/"
	if err := c.Validate(); err != nil || !c.Secure() || c.BaseURL != "https://network.example.org" {
		t.Errorf("https base: %+v %v", c, err)
	}
}
