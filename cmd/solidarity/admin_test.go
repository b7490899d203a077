package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// runCmd runs the binary with stdin and returns its combined output and exit code.
func runCmd(t *testing.T, bin, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

// The operator's commands: vault init and status, account creation with the password on
// standard input, an API key printed once, and audit verify catching a tampered entry.
func TestOperatorCommands(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	csv := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(csv, []byte("first_name,last_name,email,zip_code\nAna,Lopez,ana@example.org,78520\nBo,Smith,not-an-email,60608\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"", []string{"vault", "status", "--data", data}, 0, "not initialized"},
		{"too short\n", []string{"vault", "init", "--data", data}, 1, "passphrase"},
		{"correct horse battery staple\n", []string{"vault", "init", "--data", data}, 0, "vault initialized"},
		{"", []string{"vault", "status", "--data", data}, 0, "unsealed"},
		{"correct horse battery staple\n", []string{"vault", "init", "--data", data}, 1, ""},
		{"river stones carry quiet songs\n", []string{"admin", "create-user", "--data", data, "--email", "ana@example.org", "--name", "Ana", "--role", "administrator", "--password-stdin"}, 0, "created account 1"},
		{"password1234\n", []string{"admin", "create-user", "--data", data, "--email", "bo@example.org", "--name", "Bo", "--role", "organizer", "--password-stdin"}, 1, "common"},
		{"", []string{"admin", "create-user", "--data", data, "--email", "cy@example.org", "--name", "Cy", "--role", "emperor", "--password-stdin"}, 1, ""},
		{"", []string{"admin", "create-api-key", "--data", data, "--name", "sync", "--role", "organizer"}, 0, "sol_"},
		{"", []string{"admin", "create-api-key", "--data", data, "--name", "sync", "--role", "dispatcher"}, 1, "sensitive"},
		{"", []string{"admin", "reset-2fa", "--data", data, "--email", "ana@example.org"}, 0, "two-factor removed"},
		{"", []string{"admin", "disable-user", "--data", data, "--email", "nobody@example.org"}, 1, "does not exist"},
		{"", []string{"import", "people", csv, "--data", data, "--dry-run"}, 0, "dry run people.csv: 1 new, 0 updated, 0 unchanged, 1 rejected"},
		{"", []string{"import", "people", csv, "--data", data}, 0, "imported people.csv: 1 new, 0 updated, 0 unchanged, 1 rejected"},
		{"", []string{"import", "people", csv, "--data", data}, 0, "imported people.csv: 0 new, 0 updated, 1 unchanged, 1 rejected"},
		{"", []string{"import", "people", "--data", data}, 1, "exactly one CSV file"},
		{"", []string{"audit", "verify", "--data", data}, 0, "audit log intact"},
	}
	for _, s := range steps {
		out, code := runCmd(t, bin, s.stdin, s.args...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("solidarity %s: exit %d, want %d; output %q should contain %q", strings.Join(s.args, " "), code, s.code, out, s.want)
		}
		if strings.Contains(out, "river stones") || strings.Contains(out, "correct horse") {
			t.Errorf("solidarity %s printed a secret: %q", strings.Join(s.args, " "), out)
		}
	}

	// An attacker with the database file edits an entry: verify names it and fails.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "solidarity.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TRIGGER audit_log_no_update",
		"UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	out, code := runCmd(t, bin, "", "audit", "verify", "--data", data)
	if code == 0 || !strings.Contains(out, "2") {
		t.Errorf("audit verify after tampering: exit %d, output %q; want failure naming entry 2", code, out)
	}
}
