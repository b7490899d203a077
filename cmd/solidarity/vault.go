package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"solidarity/internal/audit"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/vault"
)

// openDB opens and migrates the configured database for a command-line task.
func openDB(ctx context.Context, name string, args []string, extra func(*flag.FlagSet)) (*db.DB, config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("solidarity "+name, flag.ContinueOnError)
	if extra != nil {
		extra(fs)
	}
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil, cfg, fs, errUsage
	}
	if err != nil {
		return nil, cfg, fs, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, cfg, fs, err
	}
	log := newLogger("warn")
	d, err := db.Open(ctx, db.Options{URL: cfg.DatabaseURL, Dir: cfg.DataDir})
	if err != nil {
		return nil, cfg, fs, err
	}
	if err := d.Migrate(ctx, log, nil); err != nil {
		d.Close()
		return nil, cfg, fs, err
	}
	return d, cfg, fs, nil
}

// readSecret reads a passphrase from standard input: without echo on a terminal, else the
// first line of the pipe.
func readSecret(prompt string) (string, error) {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// vaultCmd runs solidarity vault init|status.
func vaultCmd(args []string) error {
	if len(args) == 0 {
		return errors.New("vault: want init or status")
	}
	ctx := context.Background()
	var keyFile *string
	d, _, _, err := openDB(ctx, "vault "+args[0], args[1:], func(fs *flag.FlagSet) {
		if args[0] == "init" {
			keyFile = fs.String("key-file", "", "use (or create, when missing) this key file instead of a passphrase")
		}
	})
	if err != nil {
		return err
	}
	defer d.Close()
	v := vault.New(d, newLogger("warn"))
	switch args[0] {
	case "init":
		var secret vault.Secret
		if *keyFile != "" {
			b, err := os.ReadFile(*keyFile)
			if errors.Is(err, os.ErrNotExist) {
				b = vault.GenerateKeyFile()
				if err := os.WriteFile(*keyFile, b, 0o600); err != nil {
					return fmt.Errorf("vault: write key file: %w", err)
				}
				fmt.Fprintf(os.Stderr, "wrote a new key file to %s: keep a copy apart from the backups\n", *keyFile)
			} else if err != nil {
				return fmt.Errorf("vault: key file: %w", err)
			}
			secret = vault.KeyFile(b)
		} else {
			p, err := readSecret("Vault passphrase (12 characters or more): ")
			if err != nil {
				return err
			}
			secret = vault.Passphrase(p)
		}
		defer secret.Wipe()
		if err := v.Init(ctx, secret); err != nil {
			return err
		}
		fmt.Println("vault initialized and unsealed; start the server with SOLIDARITY_VAULT_PASSPHRASE or --vault-key-file, or unseal it in the UI")
	case "status":
		st, err := v.Status(ctx)
		if err != nil {
			return err
		}
		switch {
		case !st.Initialized:
			fmt.Println("not initialized")
			return nil
		case st.ClusterSealed:
			fmt.Println("sealed")
		default:
			fmt.Println("unsealed")
		}
		fmt.Printf("key derivation: %s; field key versions: %d\n", st.KDF, len(st.FieldKeys))
	default:
		return fmt.Errorf("vault: unknown subcommand %q (want init or status)", args[0])
	}
	return nil
}

// auditCmd runs solidarity audit verify.
func auditCmd(args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("audit: want verify")
	}
	ctx := context.Background()
	d, _, _, err := openDB(ctx, "audit verify", args[1:], nil)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := audit.Verify(ctx, d)
	if err != nil {
		return fmt.Errorf("audit log broken: %w", err)
	}
	fmt.Printf("audit log intact: %d entries\n", n)
	return nil
}
