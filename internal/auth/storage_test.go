package auth_test

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
)

// TestNoSecretsAtRest runs every flow that hands out a secret and then reads every auth
// table: no password, session token, link token, API key or recovery code may be there in
// any form a seized database would reveal.
func TestNoSecretsAtRest(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var secrets []string
		e.account(t, "root@example.org", auth.RoleAdministrator)
		secrets = append(secrets, passwordFor("root@example.org"))
		p := e.signIn(t, "root@example.org")
		secrets = append(secrets, p.Token)
		setup, err := e.svc.BeginTOTP(e.ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		en, err := e.svc.ConfirmTOTP(e.ctx, p.Token, e.code(t, setup.Secret))
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, en.SignedIn.Token)
		secrets = append(secrets, en.RecoveryCodes...)
		for _, c := range en.RecoveryCodes {
			secrets = append(secrets, strings.ReplaceAll(c, "-", ""))
		}
		actor := e.actorOf(t, *en.SignedIn)

		if _, err := e.svc.Invite(e.ctx, actor, auth.NewInvitation{Email: "new@example.org", Role: auth.RoleMember}); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, e.linkToken(t, "new@example.org", auth.InvitationPath))
		if err := e.svc.RequestReset(e.ctx, "root@example.org", client("x")); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, e.linkToken(t, "root@example.org", auth.ResetPath))
		key, _, err := e.svc.CreateAPIKey(e.ctx, actor, auth.NewAPIKey{Name: "Feed", Role: auth.RoleMember})
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, key, key[4:])
		const changed = "seven copper kettles whistle"
		if err := e.svc.ChangePassword(e.ctx, actor, passwordFor("root@example.org"), changed); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, changed)

		// Each secret in the forms it could be stored: as is, hex, base64 of its bytes.
		var forms []string
		for _, s := range secrets {
			forms = append(forms, s, hex.EncodeToString([]byte(s)), base64.StdEncoding.EncodeToString([]byte(s)))
			if raw, err := base64.RawURLEncoding.DecodeString(s); err == nil && len(raw) >= 16 {
				forms = append(forms, string(raw), hex.EncodeToString(raw))
			}
		}
		tables := []string{"accounts", "sessions", "recovery_codes", "passkeys", "passkey_ceremonies", "invitations", "password_resets", "api_keys"}
		for _, table := range tables {
			rows, err := e.db.QueryContext(e.ctx, "SELECT * FROM "+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			n := 0
			for rows.Next() {
				n++
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var text string
					switch x := v.(type) {
					case []byte:
						text = string(x) + " " + hex.EncodeToString(x)
					case time.Time:
						continue
					default:
						text = fmt.Sprint(x)
					}
					for _, f := range forms {
						if strings.Contains(text, f) {
							t.Errorf("%s.%s holds a secret in the clear", table, cols[i])
						}
					}
				}
			}
			rows.Close()
			if n == 0 && table != "passkeys" && table != "passkey_ceremonies" {
				t.Errorf("table %s is empty: the flow did not exercise it", table)
			}
		}
	})
}
