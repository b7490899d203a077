package vault_test

import (
	"context"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// eventually waits up to 5 s for cond, failing with what when it never holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two Vault instances on one database are two app nodes.
func TestSealAndUnsealFollowAcrossNodes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, secret := open(t, d)
		b := vault.New(d, testkit.Logger())
		b.SetAutoUnseal(secret)
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		go b.Watch(wctx, 20*time.Millisecond)

		eventually(t, "node B unseals itself from its key file", func() bool { return !b.Sealed() })
		ct, _ := a.EncryptString("reports", 3, "reporter_phone", "+15555550123")
		if got, err := b.DecryptString("reports", 3, "reporter_phone", ct); err != nil || got != "+15555550123" {
			t.Fatalf("node B reads node A's value: %q, %v", got, err)
		}

		// The emergency button on node A seals node B too, and B does not reopen itself.
		if err := a.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		eventually(t, "node B follows node A's seal", b.Sealed)
		time.Sleep(100 * time.Millisecond)
		if !b.Sealed() {
			t.Fatal("node B unsealed itself while the operator's seal stands")
		}

		// An operator unseals on a third node: B follows, A (no automatic secret) does not.
		c := vault.New(d, testkit.Logger())
		if err := c.Unseal(ctx, secret); err != nil {
			t.Fatal(err)
		}
		eventually(t, "node B follows the unseal", func() bool { return !b.Sealed() })
		if err := a.Refresh(ctx); err != nil || !a.Sealed() {
			t.Fatalf("node A without an automatic secret: sealed %v, %v", a.Sealed(), err)
		}

		// A rotation on C reaches B: B reads what C writes under the new key.
		if err := c.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		ct2, _ := c.EncryptString("reports", 4, "reporter_phone", "+15555550124")
		eventually(t, "node B loads the rotated key", func() bool {
			got, err := b.DecryptString("reports", 4, "reporter_phone", ct2)
			return err == nil && got == "+15555550124"
		})

		// A seal and an unseal both between two polls of node D still seal D.
		dnode := vault.New(d, testkit.Logger())
		if err := dnode.Unseal(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if err := c.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.Unseal(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if err := dnode.Refresh(ctx); err != nil || !dnode.Sealed() {
			t.Fatalf("node D missed a seal: sealed %v, %v", dnode.Sealed(), err)
		}

		// A new master secret on C seals B, whose key file is now stale, until it gets
		// the new one.
		eventually(t, "node B back after the quick seal", func() bool { return !b.Sealed() })
		fresh := vault.KeyFile(vault.GenerateKeyFile())
		if err := c.ChangeSecret(ctx, secret, fresh); err != nil {
			t.Fatal(err)
		}
		eventually(t, "node B seals on a secret change", b.Sealed)
		time.Sleep(100 * time.Millisecond)
		if !b.Sealed() {
			t.Fatal("node B unsealed with a stale secret")
		}
		if c.Sealed() {
			t.Fatal("the node that changed the secret sealed itself")
		}
		if err := c.Refresh(ctx); err != nil || c.Sealed() {
			t.Fatalf("node C after its own secret change: sealed %v, %v", c.Sealed(), err)
		}
		b.SetAutoUnseal(fresh)
		eventually(t, "node B unseals with the new secret", func() bool { return !b.Sealed() })
		if got, err := b.DecryptString("reports", 3, "reporter_phone", ct); err != nil || got != "+15555550123" {
			t.Fatalf("after the secret change: %q, %v", got, err)
		}
	})
}

// A Watch poll that read the seal record before this node's Init committed must not take
// the new keys away (it once did, sealing a node that had just been set up).
func TestWatchDoesNotUndoAnInitItRacedWith(t *testing.T) {
	ctx := context.Background()
	for i := range 20 {
		d := testkit.NewDB(t, db.SQLite)
		v := vault.New(d, testkit.Logger())
		wctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for wctx.Err() == nil {
				_ = v.Refresh(wctx) // polls as fast as it can
			}
		}()
		time.Sleep(time.Duration(i) * time.Millisecond)
		if err := v.InitEphemeral(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // a few more polls, now of the new record
		stop()
		<-done
		if v.Sealed() {
			t.Fatalf("round %d: the node was sealed by a poll of the record before its Init", i)
		}
	}
}
