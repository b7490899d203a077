package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"solidarity/internal/ratelimit"
	"solidarity/internal/retention"
	"solidarity/internal/vault"
)

// openPlatform wires the protection services every module stands on: the vault (unsealed
// at start when the operator gave a secret), rate limits, and retention.
func (a *App) openPlatform(ctx context.Context) error {
	a.Vault = vault.New(a.DB, a.Log)
	a.Vault.RegisterJobs(a.Jobs)
	if err := a.unsealAtStart(ctx); err != nil {
		return err
	}
	secret, err := ratelimit.Secret(ctx, a.DB)
	if err != nil {
		return err
	}
	a.Limiter = ratelimit.New(a.DB, secret)
	a.Limiter.RegisterJobs(a.Jobs, 5*time.Minute)
	a.Retention = retention.New(a.DB, a.Log)
	a.Retention.RegisterJobs(a.Jobs, time.Hour)
	return nil
}

// unsealAtStart opens the vault from SOLIDARITY_VAULT_PASSPHRASE or --vault-key-file; in
// demo mode it makes a throwaway vault. Without a secret the node runs sealed until an
// administrator unseals it in the UI.
func (a *App) unsealAtStart(ctx context.Context) error {
	if a.Config.Demo {
		initialized, err := a.Vault.Initialized(ctx)
		if err != nil {
			return err
		}
		if !initialized {
			return a.Vault.InitEphemeral(ctx)
		}
		return nil
	}
	var secret vault.Secret
	switch {
	case a.Config.VaultKeyFile != "":
		b, err := os.ReadFile(a.Config.VaultKeyFile)
		if err != nil {
			return fmt.Errorf("app: vault key file: %w", err)
		}
		secret = vault.KeyFile(b)
	case a.Config.VaultPassphrase != "":
		secret = vault.Passphrase(a.Config.VaultPassphrase)
		a.Config.VaultPassphrase = "" // keep it only inside the vault's Secret
	default:
		return nil
	}
	initialized, err := a.Vault.Initialized(ctx)
	if err != nil {
		return err
	}
	if !initialized {
		return errors.New("app: the vault is not initialized; run `solidarity vault init` first")
	}
	if err := a.Vault.Unseal(ctx, secret); err != nil {
		return fmt.Errorf("app: unseal the vault: %w", err)
	}
	a.Vault.SetAutoUnseal(secret)
	return nil
}
