package auth_test

import (
	"regexp"
	"strings"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestCheckPassword(t *testing.T) {
	who := auth.Personal{Email: "maria.lopez@example.org", Name: "María José López"}
	cases := []struct {
		name, password, want string // want "" means accepted
	}{
		{"eleven characters", "river stone", "auth.password.too_short"},
		{"eleven runes though more bytes", "ñandú ñoños", "auth.password.too_short"},
		{"twelve characters", "river stonez", ""},
		{"long passphrase", "the heron waits where the canal bends toward the old mill", ""},
		{"any characters", "🌵 cactus ☀️ sol y sombra 🌙", ""},
		{"no composition rules", "lowercase only words here", ""},
		{"exactly 256", strings.Repeat("abcdefgh ", 28) + "abcd", ""},
		{"257 characters", strings.Repeat("abcdefgh ", 28) + "abcde", "auth.password.too_long"},
		{"listed", "iloveyouforever", "auth.password.common"},
		{"listed with capitals and spaces", "I Love You Forever", "auth.password.common"},
		{"listed base with year and symbol", "Password2024!", "auth.password.common"},
		{"leet spelling", "P@ssw0rd12345", "auth.password.common"},
		{"spanish phrase", "te quiero mucho", "auth.password.common"},
		{"spanish with accent dropped", "contrasena1234", "auth.password.common"},
		{"name padded by a sequence", "jennifer123456", "auth.password.common"},
		{"two listed words", "monkeydragon", "auth.password.common"},
		{"repeated word", "passwordpassword", "auth.password.common"},
		{"one character", "aaaaaaaaaaaaaaaa", "auth.password.common"},
		{"digit sequence", "123456789012", "auth.password.common"},
		{"keyboard row", "qwertyuiopasdf", "auth.password.common"},
		{"keyboard columns", "1qaz2wsx3edc", "auth.password.common"},
		{"short repeated unit", "abcabcabcabc", "auth.password.common"},
		{"context word", "solidaridad2026", "auth.password.common"},
		{"word with long random tail", "love83920174", ""},
		{"three unrelated words", "purple monkey dishwasher", ""},
		{"random digits", "830275916403", ""},
		{"e-mail local part", "maria.lopez is my login", "auth.password.personal"},
		{"part of the name", "my friend lopez rides bikes", "auth.password.personal"},
		{"name without accent", "jose walks the dog daily", "auth.password.personal"},
		{"resembles the name but is not", "marimba bands in town", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.CheckPassword(tc.password, who)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want accepted", tc.password, err)
				}
				return
			}
			wantField(t, err, "password", tc.want)
		})
	}
}

func TestCommonWordsPadded(t *testing.T) {
	// Words from each part of the list, padded the way people pad them.
	for _, w := range []string{"sunshine", "iloveyou", "qwerty", "dragon", "teamo", "mariposa", "guadalupe", "chivas", "pokemon", "steelers", "solidarity"} {
		for _, p := range []string{w + "2025!!!", "1" + strings.ToUpper(w[:1]) + w[1:] + "12345678"} {
			t.Run(p, func(t *testing.T) {
				wantField(t, auth.CheckPassword(p, auth.Personal{}), "password", "auth.password.common")
			})
		}
	}
}

func TestPasswordHashFormat(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "hash@example.org", auth.RoleMember)
		var stored string
		if err := e.db.QueryRowContext(e.ctx, "SELECT password_hash FROM accounts WHERE email = ?", "hash@example.org").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=8192,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
		if !phc.MatchString(stored) {
			t.Fatalf("stored hash %q is not a PHC argon2id string with its parameters", stored)
		}
		if strings.Contains(stored, passwordFor("hash@example.org")) {
			t.Fatal("hash contains the password")
		}
		// The right password signs in, a near miss does not.
		if _, err := e.svc.SignIn(e.ctx, "hash@example.org", passwordFor("hash@example.org"), client("a")); err != nil {
			t.Fatalf("right password refused: %v", err)
		}
		_, err := e.svc.SignIn(e.ctx, "hash@example.org", passwordFor("hash@example.org")+" ", client("a"))
		wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
	})
}

func TestDefaultPasswordParams(t *testing.T) {
	p := auth.DefaultPasswordParams()
	if p.Time != 1 || p.Memory != 64*1024 || p.Threads != 2 {
		t.Fatalf("default argon2id parameters = %+v, want t=1 m=65536 p=2", p)
	}
}
