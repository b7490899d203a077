package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
)

// adminCmd runs the account commands an operator needs on the server itself:
// create-user, reset-2fa, disable-user, create-api-key.
func adminCmd(args []string) error {
	if len(args) == 0 {
		return errors.New("admin: want create-user, reset-2fa, disable-user or create-api-key")
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("solidarity admin "+sub, flag.ContinueOnError)
	email := fs.String("email", "", "account e-mail")
	var name, role, expires *string
	var passwordStdin *bool
	switch sub {
	case "create-user":
		name = fs.String("name", "", "the person's name")
		role = fs.String("role", "", "role: administrator, organizer, dispatcher, responder, caseworker, researcher, member or partner")
		passwordStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	case "create-api-key":
		name = fs.String("name", "", "what the key is for")
		role = fs.String("role", "", "role the key acts with (not a sensitive one)")
		expires = fs.String("expires", "", "optional expiry date, YYYY-MM-DD")
	case "reset-2fa", "disable-user":
	default:
		return fmt.Errorf("admin: unknown subcommand %q", sub)
	}
	cfg, err := config.Load(fs, rest, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, newLogger("warn"))
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "create-user":
		if !*passwordStdin {
			return errors.New("admin create-user: give the password on standard input with --password-stdin")
		}
		password, err := auth.ReadPassword(os.Stdin)
		if err != nil {
			return err
		}
		acc, err := a.Auth.AdminCreateUser(ctx, *email, *name, auth.Role(*role), password)
		if err != nil {
			return err
		}
		fmt.Printf("created account %d (%s)\n", acc.ID, acc.Role)
	case "reset-2fa":
		if err := a.Auth.AdminResetTwoFactor(ctx, *email); err != nil {
			return err
		}
		fmt.Println("two-factor removed and sessions ended; the account enrols again at next sign-in")
	case "disable-user":
		if err := a.Auth.AdminDisableUser(ctx, *email); err != nil {
			return err
		}
		fmt.Println("account disabled and its sessions ended")
	case "create-api-key":
		n := auth.NewAPIKey{Name: *name, Role: auth.Role(*role)}
		if *expires != "" {
			t, err := time.Parse("2006-01-02", *expires)
			if err != nil {
				return errors.New("admin create-api-key: --expires must be YYYY-MM-DD")
			}
			n.ExpiresAt = &t
		}
		key, k, err := a.Auth.CreateAPIKey(ctx, auth.System("cli"), n)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "API key %d (%s) created; it is shown only this once:\n", k.ID, k.Role)
		fmt.Println(key)
	}
	return nil
}
